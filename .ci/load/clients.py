"""Guest readers posting through the real comment form, one thread each."""

import http.client
import http.cookiejar
import random
import re
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from load import Violation, log

REPLY_SHARE = 0.5
NEW_READER_EVERY = 3  # every third post: a reader who has not commented yet
REQUEST_TIMEOUT = 60
RETRY_PAUSE = 0.1

LOCATION = re.compile(r"^(?:http://[^/]+)?/comments/(\d+)/$")
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
TITLE = re.compile(rb"<title>\s*(.*?)\s*</title>", re.DOTALL)
TRACEBACK = re.compile(rb"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d+")


@dataclass
class Attempt:
    """One HTTP request: when it started and ended, and what came back."""

    method: str
    started: float
    ended: float
    status: int | None  # None: failed at the TCP level
    error: str = ""
    retry_after: str | None = None
    location: str = ""
    title: str = ""
    traceback: bool = False
    content: bytes = b""


@dataclass
class Post:
    """One comment a client sends (again after a 503 or a failed connection)."""

    article_id: int
    slug: str
    parent_id: int | None
    body: str
    comment_id: int | None = None  # from the 303
    answered_at: float | None = None
    refusal: Attempt | None = None  # a final answer other than 303


@dataclass
class ClientLog:
    attempts: list = field(default_factory=list)
    posts: list = field(default_factory=list)
    crash: str = ""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 303 itself is what is checked


class Client:
    """A guest reader with a browser of their own: cookies, a CSRF token, a name and address."""

    def __init__(self, site, articles, number, tag):
        self.site = site
        self.articles = articles  # [(id, slug)]
        self.number = number
        self.tag = tag
        self.email = f"reader-{tag}-{number}@load.example"
        self.rng = random.Random(f"{tag}-{number}")
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects()
        )
        self.token = None
        self.log = ClientLog()

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.site.url + path, data=body)
        started = time.monotonic()
        try:
            try:
                response = self.opener.open(request, timeout=REQUEST_TIMEOUT)
            except urllib.error.HTTPError as error:
                response = error
            with response:
                content = response.read()
        except (OSError, http.client.HTTPException) as error:
            attempt = Attempt(request.get_method(), started, time.monotonic(), None, repr(error))
        else:
            title = TITLE.search(content)
            attempt = Attempt(
                request.get_method(),
                started,
                time.monotonic(),
                response.status,
                retry_after=response.headers.get("Retry-After"),
                location=response.headers.get("Location", ""),
                title=title.group(1).decode(errors="replace") if title else "",
                traceback=bool(TRACEBACK.search(content)),
                content=content if request.get_method() == "GET" else b"",
            )
        self.log.attempts.append(attempt)
        return attempt

    def open_article_page(self, deadline):
        """GETs an article page for the csrftoken cookie and the form's token."""
        _article_id, slug = self.articles[self.number % len(self.articles)]
        while time.monotonic() < deadline:
            attempt = self.request(f"/articles/{slug}/")
            if attempt.status == 200:
                match = CSRF_INPUT.search(attempt.content)
                if match is None:
                    raise Violation(f"/articles/{slug}/ has no comment form with a CSRF token")
                self.token = match.group(1).decode()
                attempt.content = b""
                return
            time.sleep(RETRY_PAUSE)
        raise Violation(f"client {self.number} could not open /articles/{slug}/ in time")

    def forget_all_but_csrf(self):
        """Drops what posting left (the guest's cookie, a message, a session if any)."""
        for cookie in list(self.cookies):
            if cookie.name != "csrftoken":
                self.cookies.clear(cookie.domain, cookie.path, cookie.name)

    def post(self, post, deadline):
        """Sends one comment until it is answered: a 303 or a refusal. 5xx answers and failed
        connections are retried with the same text, as a reader would send the form again
        (the checks report every 5xx but 503). Returns False when the deadline passed."""
        data = {
            "csrfmiddlewaretoken": self.token,
            "body": post.body,
            "parent": post.parent_id or "",
            "name": f"Load reader {self.number}",
            "email": self.email,
            "website": "",
        }
        self.log.posts.append(post)
        while time.monotonic() < deadline:
            attempt = self.request(f"/articles/{post.slug}/comments/", data)
            if attempt.status == 303 and (match := LOCATION.match(attempt.location)):
                post.comment_id, post.answered_at = int(match.group(1)), attempt.ended
                return True
            if attempt.status is not None and attempt.status < 500:
                post.refusal = attempt
                return True
            time.sleep(RETRY_PAUSE)
        return False

    def write(self, index, targets):
        """A new comment or reply, with a text no other post has."""
        article_id, slug = self.rng.choice(self.articles)
        parent_id = targets.pick(article_id, self.rng) if self.rng.random() < REPLY_SHARE else None
        words = self.rng.sample(
            ["trains", "budget", "council", "river", "schools", "*really*", "harbour", "data",
             "**agree**", "night", "tram", "library", "bridge", "tax", "vote", "museum"],
            k=6,
        )  # fmt: skip
        body = f"Load {self.tag} #{index} from reader {self.number}: {' '.join(words)}."
        return Post(article_id, slug, parent_id, body)


class ReplyTargets:
    """Comments posted in this run (their 303 seen), per article, to reply to."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by_article = {}

    def add(self, post):
        with self.lock:
            self.by_article.setdefault(post.article_id, []).append(post.comment_id)

    def pick(self, article_id, rng):
        with self.lock:
            ids = self.by_article.get(article_id)
            return rng.choice(ids) if ids else None


def run_clients(clients, work):
    """Runs work(client) in one thread per client; a crash is recorded, not lost."""

    def guarded(client):
        try:
            work(client)
        except Exception:
            client.log.crash = traceback.format_exc()

    threads = [threading.Thread(target=guarded, args=(c,), daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    return threads


def join_all(threads, deadline):
    for thread in threads:
        thread.join(max(0.1, deadline - time.monotonic()))
    return sum(thread.is_alive() for thread in threads)


def open_pages(clients):
    started = time.monotonic()
    threads = run_clients(clients, lambda client: client.open_article_page(started + 60))
    join_all(threads, started + 90)
    log(f"   {len(clients)} clients opened an article page in {time.monotonic() - started:.1f} s")
    crashed = [c for c in clients if c.log.crash or c.token is None]
    if crashed:
        client = crashed[0]
        raise Violation(
            f"client {client.number} could not open an article page:\n{client.log.crash}"
        )


def post_comments(clients, targets, next_index, deadline):
    """Each client posts until next_index() says stop (None); returns the threads."""

    def work(client):
        sent = 0
        while (index := next_index()) is not None:
            post = client.write(index, targets)
            sent += 1
            if sent % NEW_READER_EVERY == 0:
                client.forget_all_but_csrf()
            if not client.post(post, deadline):
                return
            if post.comment_id is not None:
                targets.add(post)

    return run_clients(clients, work)
