"""newsboard.settings, read from the environment as in production, for the servers that
tests/system/servers.py starts. STATIC_ROOT is not an environment variable there: here
it is the run's own directory, so collectstatic never writes into the project."""

import os

from newsboard.settings import *  # noqa: F403

STATIC_ROOT = os.environ["NEWSBOARD_RUN_STATIC_ROOT"]
