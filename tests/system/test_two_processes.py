"""Two app processes sharing one PostgreSQL database and one Redis cache, as production runs.

A real redis-server and two gunicorn processes with the production settings (DEBUG
off) serve the suite's PostgreSQL test database; the tests commit their rows, so the
processes see them. What one process caches, the other serves; what one process
writes, the other shows at once.
"""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass

import pytest
import redis
from django.core.cache.backends.redis import RedisSerializer
from django.db import connection
from django.urls import reverse

from ..conftest import REDIS_SERVER, WITH_A_REDIS_SERVER
from ..factories import ArticleFactory, post
from .servers import manage, production_environment, serve, serve_redis

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the processes share the database: SQLite's test database is in this process",
    ),
    *WITH_A_REDIS_SERVER,
    pytest.mark.django_db(transaction=True),  # the processes see committed rows only
]

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A throwaway redis-server that keeps nothing on disk; its URL."""
    assert REDIS_SERVER.exists(), f"redis-server is required in CI but {REDIS_SERVER} is missing"
    with serve_redis(tmp_path_factory.mktemp("redis"), executable=REDIS_SERVER) as url:
        yield url


@pytest.fixture
def empty_redis(redis_url):
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.close()


def database_url(database):
    """A DATABASE_URL for Django's connection settings (the test database's, here)."""
    user = urllib.parse.quote(database["USER"] or "", safe="")
    password = urllib.parse.quote(database["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = urllib.parse.quote(database["HOST"] or "127.0.0.1", safe="")
    return f"postgres://{credentials}{host}:{database['PORT'] or 5432}/{database['NAME']}"


@pytest.fixture(scope="module")
def app_processes(tmp_path_factory, django_db_setup, redis_url):
    """Two app processes with the production settings on the test database and the
    redis-server (static files collected into a temp dir); their base URLs."""
    directory = tmp_path_factory.mktemp("site")
    environment = production_environment(
        directory,
        # pytest-django's test database (test_<name>): its settings are the connection's now.
        DATABASE_URL=database_url(connection.settings_dict),
        REDIS_URL=redis_url,
        NEWSBOARD_NEW_COMMENTER_APPROVALS="0",  # a guest's first comment shows at once
    )
    manage(environment, "collectstatic", "--noinput")
    with ExitStack() as servers:
        started = [
            servers.enter_context(serve(environment, log_path=directory / f"gunicorn-{name}.log"))
            for name in ("a", "b")
        ]
        yield [server.url for server in started]


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
        except OSError:  # no answer at all
            return Answer(0, {}, "")
        with response:
            text = response.read().decode()
            return Answer(response.status, dict(response.headers), text)


def cached_discussions(client, article):
    return client.keys(f"*discussion-threads:*:{article.pk}:*")


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
