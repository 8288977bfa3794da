"""Static files as production collects them: our ES modules import each other by the
hashed names, so every module gets the far-future cache headers of its version."""

import json
import re

from django.conf import settings
from django.core.management import call_command

MODULES = sorted(
    path.relative_to(settings.BASE_DIR / "static").as_posix()
    for path in (settings.BASE_DIR / "static" / "js" / "newsboard").glob("*.js")
)
IMPORT = re.compile(r"""^import .* from "(?P<specifier>[^"]+)";$""", re.MULTILINE)


def test_collected_modules_import_each_other_by_their_hashed_names(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "newsboard.storage.HashedStaticFilesStorage"},
    }
    # The admin's and Bootstrap's files take most of the time and import none of ours.
    call_command("collectstatic", "--noinput", ignore_patterns=["admin", "bootstrap"], verbosity=0)

    hashed_names = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    imported = set()
    for module in MODULES:
        hashed = tmp_path / hashed_names[module]
        for specifier in IMPORT.findall(hashed.read_text()):
            target = (hashed.parent / specifier).resolve().relative_to(tmp_path).as_posix()
            assert target in hashed_names.values(), f"{hashed_names[module]} imports {specifier}"
            imported.add(target)
    # Every module but the entry point is imported, by its hashed name.
    assert imported == {hashed_names[m] for m in MODULES if m != "js/newsboard/main.js"}
