"""Double submits and retries: the same comment form sent five times at once makes one
comment, and every answer points at it.

Five threads, each its own HTTP client (urllib, with the cookies and CSRF token of
one visit to the article page), post the same form at the same moment to a live
server. Posting takes SQLite's write lock (transaction_mode IMMEDIATE) or a row lock
on the article in PostgreSQL before it looks for a duplicate, so the latecomers find
the first comment instead of making their own.

pytest-django's live_server cannot show that on SQLite: with the test database in
memory it hands every request thread the test's one connection, so the posts would
share a transaction instead of racing for the lock. The server here gives each
request thread a connection of its own, as gunicorn's threads and workers have; on
SQLite it serves a file copy of the test database.
"""

import re
import sqlite3
import threading
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from http.cookiejar import CookieJar

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection, connections
from django.db.utils import load_backend
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler
from django.urls import reverse

from comments.models import Comment

from ..factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SENDS = 5


def open_connection(database):
    return load_backend(database["ENGINE"]).DatabaseWrapper(database, "default")


class ConnectionPerRequestServer(ThreadedWSGIServer):
    """A threaded WSGI server whose request threads each open their own connection."""

    def __init__(self, *args, database, **kwargs):
        super().__init__(*args, **kwargs)
        self.database = database

    def process_request_thread(self, request, client_address):
        connections["default"] = open_connection(self.database)
        super().process_request_thread(request, client_address)  # closes it when done


class ServerThread(LiveServerThread):
    def __init__(self, database):
        super().__init__("127.0.0.1", static_handler=lambda application: application)
        self.database = database

    def _create_server(self, connections_override=None):
        return ConnectionPerRequestServer(
            (self.host, self.port),
            QuietWSGIRequestHandler,
            allow_reuse_address=False,
            database=self.database,
        )


@pytest.fixture
def shared_database(tmp_path):
    """share() → the database the server and the test both use from then on: the test
    database on PostgreSQL, a file copy of the in-memory one (as it is then) on SQLite."""

    def share():
        if connection.vendor != "sqlite":
            return connection.settings_dict
        copy = {**connection.settings_dict, "NAME": str(tmp_path / "db.sqlite3")}
        connection.ensure_connection()
        target = sqlite3.connect(copy["NAME"])
        connection.connection.backup(target)
        target.close()
        return copy

    return share


@contextmanager
def reading(database):
    """This thread's ORM on the shared database for a while."""
    if database is connection.settings_dict:
        yield
        return
    original = connections["default"]
    connections["default"] = open_connection(database)
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = original


@pytest.fixture
def serve():
    """serve(database) → the address of a live server on it, stopped after the test."""
    started = []

    def serve(database):
        thread = ServerThread(database)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        started.append(thread)
        return f"http://{thread.host}:{thread.port}"

    yield serve
    for thread in started:
        thread.terminate()


class KeepRedirects(urllib.request.HTTPRedirectHandler):
    """A 303 is the answer under test, not something to follow."""

    def redirect_request(self, *args, **kwargs):
        return None


def http_client(cookies=()):
    """An HTTP client of its own, with its own cookie jar holding these cookies."""
    jar = CookieJar()
    for cookie in cookies:
        jar.set_cookie(cookie)
    client = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), KeepRedirects())
    client.jar = jar
    return client


def send(client, url, data=None):
    """(status, Location, body); an error status is an answer too."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with client.open(url, data=body, timeout=60) as response:
            return response.status, response.headers.get("Location"), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location"), error.read().decode()


def csrf_token_on(client, url):
    status, _location, page = send(client, url)
    assert status == 200
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def sign_in(client, base, username):
    token = csrf_token_on(client, base + reverse("login"))
    status, _location, _page = send(
        client,
        base + reverse("login"),
        {
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": "correct horse battery staple",
        },
    )
    assert status == 302


def send_at_once(clients, url, data):
    """Every client sends the same form, released together by a barrier: [(status,
    Location)] in the clients' order."""
    barrier = threading.Barrier(len(clients))
    answers = [None] * len(clients)

    def sender(index, client):
        barrier.wait()
        answers[index] = send(client, url, data)[:2]

    threads = [threading.Thread(target=sender, args=pair) for pair in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.mark.parametrize("author", ["guest", "member"])
def test_same_form_sent_five_times_at_once_makes_one_comment(shared_database, serve, author):
    article = ArticleFactory()
    if author == "member":
        UserFactory(username="double-clicker")
    database = shared_database()
    base = serve(database)

    visitor = http_client()
    if author == "member":
        sign_in(visitor, base, "double-clicker")
    form = {
        "csrfmiddlewaretoken": csrf_token_on(visitor, base + article.get_absolute_url()),
        "body": "Sent once, arrived five times.",
        "name": "Dana Double",
        "email": "dana@example.org",
    }
    tabs = [http_client(visitor.jar) for _ in range(SENDS)]

    answers = send_at_once(
        tabs, base + reverse("comments:post", kwargs={"slug": article.slug}), form
    )

    with reading(database):
        comments = list(Comment.objects.filter(article_id=article.pk).values_list("pk", flat=True))
    assert len(comments) == 1
    assert answers == [(303, f"/comments/{comments[0]}/")] * SENDS
