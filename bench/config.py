"""LocalConfig with every app cache lifetime (each *_CACHE_SECONDS setting) taken from BENCH_CACHE_SECONDS;
0 turns them all off.

Used by the benchmark's gunicorn only when --cache-seconds is given; otherwise it runs config.LocalConfig.
"""
import os

from config import LocalConfig


class BenchConfig(LocalConfig):
    def __init__(self) -> None:
        super().__init__()
        seconds = int(os.environ["BENCH_CACHE_SECONDS"])
        for name in dir(self):
            if name.isupper() and name.endswith("_CACHE_SECONDS"):
                setattr(self, name, seconds)
