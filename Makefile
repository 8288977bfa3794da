# Newsboard developer tasks.
#
#   make run     migrate, load demo content if the database has no articles, then serve
#                on http://127.0.0.1:$(PORT)/ with the task worker (e-mail, printed to the
#                console) beside it (PORT=8000; DJANGO_DEBUG=1 unless you set it;
#                DEMO_ARGS changes the demo content options)
#   make test    the whole suite, browser, two-process and fuzz tests included (without
#                Chromium or redis-server those skip and say why, unless CI=true);
#                PYTEST_ARGS is passed through, e.g. make test PYTEST_ARGS="-x -k tree"
#   make test-fast  the edit-test loop: everything but the tests marked browser,
#                multiprocess or fuzz (tests/system/ and a few browser checks elsewhere),
#                stopping at the first failure; PYTEST_ARGS as above
#   make lint    ruff check .
#   make bench   Newsboard against django-comments-xtd (the peer harness in ../shared/peers/xtd)
#                in one run: render times, gunicorn + wrk, posting, 1,000,000 comments; prints
#                one table with every guard rail PASS or FAIL (exits 1 on a FAIL) and writes
#                bench/results/latest.md (under 10 min; runs its own PostgreSQL; installs wrk
#                with apt-get when missing); see bench/README.md
#   make venv    create .venv and install requirements.lock (run, test and lint do it for you;
#                it re-installs only when requirements.lock or build-constraints.txt changed)
#   make lock    regenerate requirements.lock from pyproject.toml after changing dependencies:
#                  uv pip compile pyproject.toml --group dev --generate-hashes \
#                      --python-version 3.12 -o requirements.lock
#                existing pins are kept where they still fit; make lock LOCK_ARGS=--upgrade
#                moves everything to the newest allowed versions
#   make clean   remove .venv, db.sqlite3, media/ and staticfiles/
#
# The lock is installed with pip --require-hashes. xstatic-bootstrap ships only an
# sdist whose setup.py imports pkg_resources, which setuptools 81 removed, so its
# isolated build gets build-constraints.txt (setuptools<81) through pip's
# --build-constraint option (pip >= 25.3, hence the pinned pip below).

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
PIP_VERSION := 26.3
UV_VERSION := 0.13.9
# Marks which requirements.lock the venv was installed from (make compares mtimes).
STAMP := $(VENV)/.installed-from-lock

PORT ?= 8000
DEMO_ARGS ?= --articles 12 --comments 400 --seed 1

.PHONY: help venv run test test-fast lint bench lock clean

help:
	@sed -n '/^#/!q; s/^# \{0,1\}//p' Makefile

# A bare venv; the finder prints its own message and fails when there is no Python 3.12+.
$(PY):
	@python="$$(.ci/find-python.sh)" && echo "Creating $(VENV) with $$python" \
		&& "$$python" -m venv $(VENV)

$(STAMP): requirements.lock build-constraints.txt | $(PY)
	$(PIP) install -q pip==$(PIP_VERSION)
	$(PIP) install -q --require-hashes --build-constraint build-constraints.txt -r requirements.lock
	@touch $@

venv: $(STAMP)

run: export DJANGO_DEBUG ?= 1
run: export NEWSBOARD_TASKS ?= database
run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_content --if-empty $(DEMO_ARGS)
	@# The task worker (e-mail) runs beside the server and stops with it.
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT; \
		$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: venv
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test-fast: venv
	$(VENV)/bin/pytest -m "not browser and not multiprocess and not fuzz" -x $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .

bench: venv
	bash bench/run.sh

# uv is a tool for this target only, so it is not in the lock; it needs just the bare
# venv, so a lock that no longer installs can still be regenerated.
lock: | $(PY)
	$(PIP) install -q uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile pyproject.toml --group dev --generate-hashes \
		--python-version 3.12 -o requirements.lock $(LOCK_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
