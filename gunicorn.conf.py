"""gunicorn settings shared by `make run`, the benchmark and production (`gunicorn -c gunicorn.conf.py`).

Worker memory (measured with `python -m bench`, 2 sync workers, 20,000 courses): a worker grows by 20-30 MiB
over its first thousand requests; most of it is the caches capped in config.py and app/database.py, the rest
is freed memory glibc keeps inside the heap. These hooks hand that back and keep start-up objects out of the
garbage collector's way.
"""
import ctypes
import gc

# Every this many requests a worker returns the free pages inside its heap to the system (malloc_trim):
# 4-6 MiB per worker after the catalogue's largest queries, for 0.05-0.35 ms per call.
TRIM_EVERY = 64

try:
    _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
except (OSError, AttributeError):  # not glibc: nothing to trim
    _malloc_trim = None


def post_worker_init(worker):
    # The app's modules and objects live as long as the worker: moved out of the collected generations,
    # full collections stop walking them and run often enough to free each request's cycles sooner.
    gc.collect()
    gc.freeze()
    worker.requests_since_trim = 0


def post_request(worker, req, environ, resp):
    if _malloc_trim is None:
        return
    worker.requests_since_trim = getattr(worker, "requests_since_trim", 0) + 1
    if worker.requests_since_trim >= TRIM_EVERY:
        worker.requests_since_trim = 0
        _malloc_trim(0)
