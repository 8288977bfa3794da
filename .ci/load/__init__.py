"""The parts of .ci/load_and_faults.py: its PostgreSQL server (postgres.py), its guest
readers (clients.py) and what it checks afterwards (checks.py); below, what all of them
use."""

from pathlib import Path


class Violation(Exception):
    """The run cannot go on; the message says why."""


def log(message=""):
    print(message, flush=True)


def read_log(path):
    try:
        return Path(path).read_text(errors="replace").splitlines()
    except OSError:
        return []
