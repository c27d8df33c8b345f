"""Settings for the gunicorn that bench/tiles_bench.py starts: Kent's own, with the vector-tile
cache switched by KENT_BENCH_MVT_CACHE (0: every MVT request runs its ST_AsMVT query)."""

import os

from kent.settings import *  # noqa: F403

KENT_TILE_CACHE_MVT = os.environ.get("KENT_BENCH_MVT_CACHE", "1") == "1"
