"""Settings for `make bench`: production settings from the environment, static files elsewhere.

Everything comes from newsboard.settings and the environment (DEBUG off,
PostgreSQL or SQLite from DATABASE_URL, the discussion sizes from the
NEWSBOARD_* variables). Two additions: STATIC_ROOT, which is not an
environment variable, points at the run's temp dir, where bench/run.sh runs
collectstatic, so the benchmark never writes into the project; and
NEWSBOARD_BENCH_CACHE=off turns every cache off for the uncached runs.
"""

import os

from newsboard.settings import *  # noqa: F403

STATIC_ROOT = os.environ["NEWSBOARD_BENCH_STATIC_ROOT"]

# NEWSBOARD_BENCH_CACHE=off: no cache at all (Django's DummyCache), so every request
# renders from the database, as the peer does; unset: the site's own cache settings.
if os.environ.get("NEWSBOARD_BENCH_CACHE") == "off":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
