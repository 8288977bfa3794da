"""What the `make bench` scripts share: Django set-up and the peer's thread shapes.

The threads come from the peer harness's own `shape.py`
(../shared/peers/xtd/bench/shape.py, or NEWSBOARD_PEER_DIR), imported from
there at run time, so Newsboard and django-comments-xtd are measured on
exactly the same comments. Nothing of the peer's is copied into this repo.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER_DIR = Path(os.environ.get("NEWSBOARD_PEER_DIR", ROOT.parent / "shared" / "peers" / "xtd"))
# The scripts run as `python bench/NAME.py`: the project, and the server harness in
# tests/system/servers.py, are importable once this module is.
sys.path.insert(0, str(ROOT))


def setup_django():
    """Django with bench.settings (production settings from the environment)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def shape():
    """The peer harness's deterministic thread generator (its bench/shape.py)."""
    path = (PEER_DIR / "bench").resolve()
    if not (path / "shape.py").is_file():
        raise SystemExit(f"no shape.py in {path}: set NEWSBOARD_PEER_DIR to the peer harness")
    sys.path.insert(0, str(path))
    import shape as module

    return module
