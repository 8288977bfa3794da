#!/usr/bin/env bash
# Prints the path of the first Python 3.12+ interpreter it finds; otherwise explains
# and exits 1. Used by `make venv`.
#
# Each candidate is run rather than looked up: pyenv puts shims such as python3.13 on
# PATH that fail when that version is not the selected one, and python3 may be older.
set -uo pipefail

for candidate in python3.13 python3.12 "$(PYENV_VERSION=3.12 pyenv which python 2>/dev/null)" python3; do
  [ -n "$candidate" ] || continue
  if exe=$("$candidate" -c 'import sys; sys.version_info >= (3, 12) or sys.exit(1); print(sys.executable)' 2>/dev/null); then
    echo "$exe"
    exit 0
  fi
done
echo "Newsboard needs Python 3.12 or newer; install it (e.g. pyenv install 3.12) and run make again" >&2
exit 1
