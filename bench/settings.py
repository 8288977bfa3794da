"""Settings for `make bench`: the production settings that every server the harness in
tests/system/servers.py starts runs under (everything from the environment, DEBUG off,
PostgreSQL or SQLite from DATABASE_URL, static files collected into the run's temp
dir), plus one switch: NEWSBOARD_BENCH_CACHE=off turns every cache off for the
uncached runs.
"""

import os

from tests.system.production_settings import *  # noqa: F403

# NEWSBOARD_BENCH_CACHE=off: no cache at all (Django's DummyCache), so every request
# renders from the database, as the peer does; unset: the site's own cache settings.
if os.environ.get("NEWSBOARD_BENCH_CACHE") == "off":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
