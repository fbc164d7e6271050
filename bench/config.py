"""LocalConfig with the catalogue cache lifetime taken from BENCH_CACHE_SECONDS (0 turns the cache off).

Used by the benchmark's gunicorn only when --cache-seconds is given; otherwise it runs config.LocalConfig.
"""
import os

from config import LocalConfig


class BenchConfig(LocalConfig):
    CATALOGUE_CACHE_SECONDS = int(os.environ.get("BENCH_CACHE_SECONDS", LocalConfig.CATALOGUE_CACHE_SECONDS))
