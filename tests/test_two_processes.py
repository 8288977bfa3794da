"""Two app processes sharing one PostgreSQL database and one Redis cache, as production runs.

A real redis-server and two gunicorn processes with the production settings (DEBUG
off) serve the suite's PostgreSQL test database; the tests commit their rows, so the
processes see them. What one process caches, the other serves; what one process
writes, the other shows at once.
"""

import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import suppress
from dataclasses import dataclass

import pytest
import redis
from django.conf import settings
from django.core.cache.backends.redis import RedisSerializer
from django.db import connection
from django.urls import reverse

from .conftest import REDIS_SERVER, WITH_A_REDIS_SERVER
from .factories import ArticleFactory, post

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the processes share the database: SQLite's test database is in this process",
    ),
    *WITH_A_REDIS_SERVER,
    pytest.mark.django_db(transaction=True),  # the processes see committed rows only
]

STARTUP_SECONDS = 60
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(ready, what, process, log_path):
    """Polls ready() until it is true; fails with the process's log if it dies or hangs."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            log = log_path.read_text(errors="replace")[-3000:] if log_path.exists() else ""
            pytest.fail(f"{what} did not come up; its log:\n{log}")
        time.sleep(0.1)


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    """A throwaway redis-server on a free port that keeps nothing on disk; its client."""
    assert REDIS_SERVER.exists(), f"redis-server is required in CI but {REDIS_SERVER} is missing"
    directory = tmp_path_factory.mktemp("redis")
    port = free_port()
    log_path = directory / "redis.log"
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(directory), "--logfile", str(log_path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    client = redis.Redis(host="127.0.0.1", port=port)

    def answers():
        with suppress(redis.ConnectionError):
            return client.ping()
        return False

    try:
        wait_until(answers, "redis-server", process, log_path)
        yield client
    finally:
        client.close()
        stop(process)


@pytest.fixture
def empty_redis(redis_server):
    redis_server.flushdb()
    return redis_server


def database_url(database):
    """A DATABASE_URL for Django's connection settings (the test database's, here)."""
    user = urllib.parse.quote(database["USER"] or "", safe="")
    password = urllib.parse.quote(database["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = urllib.parse.quote(database["HOST"] or "127.0.0.1", safe="")
    return f"postgres://{credentials}{host}:{database['PORT'] or 5432}/{database['NAME']}"


@pytest.fixture(scope="module")
def production_environment(tmp_path_factory, django_db_setup, redis_server):
    """The environment of the app processes: the production settings (DEBUG off) on the
    test database and the redis-server, relaxed for plain HTTP, with static files
    collected into a temp dir (a two-line settings module there sets STATIC_ROOT)."""
    directory = tmp_path_factory.mktemp("site")
    (directory / "two_process_settings.py").write_text(
        "from newsboard.settings import *  # noqa: F403\n"
        f"STATIC_ROOT = {str(directory / 'static')!r}\n"
    )
    port = redis_server.connection_pool.connection_kwargs["port"]
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "NEWSBOARD_", "DATABASE_", "EMAIL_", "REDIS_"))
    }
    environment.update(
        PYTHONPATH=os.pathsep.join([str(settings.BASE_DIR), str(directory)]),
        DJANGO_SETTINGS_MODULE="two_process_settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SESSION_COOKIE_SECURE="0",
        DJANGO_CSRF_COOKIE_SECURE="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_MEDIA_ROOT=str(directory / "media"),
        # pytest-django's test database (test_<name>): its settings are the connection's now.
        DATABASE_URL=database_url(connection.settings_dict),
        REDIS_URL=f"redis://127.0.0.1:{port}/0",
        NEWSBOARD_NEW_COMMENTER_APPROVALS="0",  # a guest's first comment shows at once
    )
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )
    if collected.returncode:
        pytest.fail(f"collectstatic failed:\n{collected.stdout}{collected.stderr}")
    return environment, directory


def start_gunicorn(environment, log_path):
    """gunicorn newsboard.wsgi with one worker on a free port, once it answers; the process
    and its base URL."""
    port = free_port()
    with open(log_path, "a") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "newsboard.wsgi", "--workers", "1",
             "--bind", f"127.0.0.1:{port}"],
            cwd=settings.BASE_DIR,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: Reader(base).get("/healthz").status == 200, "gunicorn", process, log_path
        )
    except BaseException:
        stop(process)
        raise
    return process, base


@pytest.fixture(scope="module")
def app_processes(production_environment):
    """Two app processes on the same database and Redis; their base URLs."""
    environment, directory = production_environment
    started = []
    try:
        for name in ("a", "b"):
            started.append(start_gunicorn(environment, directory / f"gunicorn-{name}.log"))
        yield [base for _process, base in started]
    finally:
        for process, _base in started:
            stop(process)


@pytest.fixture
def process_a(app_processes):
    return app_processes[0]


@pytest.fixture
def process_b(app_processes):
    return app_processes[1]


@dataclass
class Answer:
    status: int
    headers: dict
    text: str


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Reader:
    """A reader's browser, through one process: its own cookies; redirects not followed."""

    def __init__(self, base):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects
        )

    def get(self, path, headers=None):
        return self._open(urllib.request.Request(self.base + path, headers=headers or {}))

    def post(self, path, data):
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(self.base + path, data=body))

    def _open(self, request):
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:  # 3xx, 4xx and 5xx answers
            response = error
        except OSError:  # not listening yet
            return Answer(0, {}, "")
        with response:
            text = response.read().decode()
            return Answer(response.status, dict(response.headers), text)


def cached_discussions(client, article):
    return client.keys(f"*discussion-threads:{article.pk}:*")


def test_a_page_one_process_cached_is_served_by_the_other_from_redis(
    empty_redis, process_a, process_b
):
    article = ArticleFactory()
    post(article, "Already there.")
    assert "Already there." in Reader(process_a).get(article.get_absolute_url()).text
    [key] = empty_redis.keys("*public-page:*")
    version, _pieces = RedisSerializer().loads(empty_redis.get(key))
    # What Redis holds for the page is what the other process shows.
    kept = (version, [b"<p>Straight from Redis.</p>"])
    empty_redis.set(key, RedisSerializer().dumps(kept), keepttl=True)
    page = Reader(process_b).get(article.get_absolute_url())
    assert page.status == 200
    assert "Straight from Redis." in page.text


def test_a_comment_posted_through_one_process_shows_at_once_in_the_other(
    empty_redis, process_a, process_b
):
    article = ArticleFactory()
    url = article.get_absolute_url()
    assert Reader(process_a).get(url).status == 200
    assert cached_discussions(empty_redis, article), "process A did not cache the discussion"

    guest = Reader(process_b)
    token = CSRF_INPUT.search(guest.get(url).text).group(1)
    answer = guest.post(
        reverse("comments:post", kwargs={"slug": article.slug}),
        {
            "csrfmiddlewaretoken": token,
            "body": "Posted through process B.",
            "name": "Guest Reader",
            "email": "guest@example.org",
            "parent": "",
            "website": "",
        },
    )
    assert answer.status == 303, answer.text[:2000]

    assert "Posted through process B." in Reader(process_a).get(url).text


def test_the_processes_agree_on_etags_until_the_discussion_changes(process_a, process_b):
    article = ArticleFactory()
    url = article.get_absolute_url()
    reader = Reader(process_a)
    reader.get(url)  # sets the CSRF cookie, part of the page's version
    etag = reader.get(url).headers["ETag"]
    reader.base = process_b  # the same browser, sent to the other process by the balancer
    assert reader.get(url, {"If-None-Match": etag}).status == 304
    post(article, "A new comment.")
    reader.base = process_a
    assert reader.get(url, {"If-None-Match": etag}).status == 200
