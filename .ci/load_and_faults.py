"""Load without loss, and a database restart under load, against the production set-up.

Starts a throwaway PostgreSQL server (a new cluster in a temp dir on 127.0.0.1, as
.ci/postgres.sh does), migrates it, loads a little demo content and serves the site
with gunicorn (2 workers, DEBUG off, the production settings relaxed for plain HTTP).
Guest readers then post through the real form: each client GETs an article page (the
CSRF cookie and the form's token), then POSTs with its own cookies, name and address;
every third post comes from a reader who has not commented yet (no cookie but the CSRF
one), as a first comment does.

1. Load: 16 clients post 2,000 comments and replies (replies to comments posted in
   this run). Every 303 must have its row with the text sent, every row its 303, no
   text may be stored twice, no answer may be anything but a 303, and every article's
   comment_count must equal its approved comments. Prints posts/s and POST latency.
   On a machine too busy to post 2,000 in LOAD_BUDGET seconds, it checks what was
   posted by then and says so (fewer than LOAD_MINIMUM is a failure).
2. Faults: 8 clients post for 20 s while PostgreSQL is stopped (fast shutdown), kept
   down for 3 s and started again on the same data and port. While it is down every
   answer must be a 503 with Retry-After and no traceback; no answer may be a 5xx other
   than 503 (or anything but 303 and 503); the first 303 must come within 5 s of the
   server accepting connections again; and no row may be half-written, lost or doubled,
   and the counts must still match a recount of the rows. A client re-sends the same
   text after a 503 or a failed connection (at once, sooner than Retry-After asks, to
   measure recovery), as a reader would; the duplicate check makes that one comment.

Exits 1 with every violation, and the server's log without its 503 lines, on failure.
Everything it starts is stopped and its temp dirs removed, whatever happens.

    .venv/bin/python .ci/load_and_faults.py     (.ci/run runs it after the tests)

Needs the PostgreSQL server binaries in /usr/lib/postgresql/*/bin; as root, the server
runs as the user postgres. gunicorn and the management commands run through
tests/system/servers.py, as the two-process tests and the bench do; with DEBUG off
pages need collected static files, which go to the run's temp dir, not into the project.
"""

import contextlib
import glob
import http.client
import http.cookiejar
import itertools
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

try:
    import psycopg
except ImportError:
    raise SystemExit(
        "load_and_faults: psycopg is missing; run it with the project's virtualenv: "
        ".venv/bin/python .ci/load_and_faults.py"
    ) from None

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.system.servers import (  # noqa: E402 (the project's root is on sys.path now)
    ServerError,
    free_port,
    manage,
    production_environment,
    serve,
)

LOAD_CLIENTS = 16
LOAD_POSTS = 2000
# The whole run stays under 3 minutes: the load phase posts for at most LOAD_BUDGET
# seconds, less on a machine so busy that the set-up was slow, and leaves FAULT_RESERVE.
RUN_BUDGET = 170
FAULT_RESERVE = 50
LOAD_BUDGET = 100
LOAD_MINIMUM = 500  # posts within the budget below which the site is too slow to pass
FAULT_CLIENTS = 8
FAULT_SECONDS = 20
FAULT_STOP_AT = 5  # seconds into the fault phase
OUTAGE_SECONDS = 3
RECOVERY_LIMIT = 5  # seconds from "accepts connections" to the first 303
REPLY_SHARE = 0.5
NEW_READER_EVERY = 3  # every third post: a reader who has not commented yet
REQUEST_TIMEOUT = 60
ANSWER_DEADLINE = 30  # seconds after posting stops for a post under way to be answered
RETRY_PAUSE = 0.1

LOCATION = re.compile(r"^(?:http://[^/]+)?/comments/(\d+)/$")
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
TITLE = re.compile(rb"<title>\s*(.*?)\s*</title>", re.DOTALL)
TRACEBACK = re.compile(rb"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d+")
# How Django logs a 500, and a SessionInterrupted (answered 400), and a traceback's frames.
LOGGED_ERROR = re.compile(
    r"^(?:(?P<e500>Internal Server Error)"
    r"|(?P<e400>The request's session was deleted before the request completed)).*: (?P<path>/\S*)$"
)
FRAME = re.compile(
    r'^  File "(?:.*/site-packages/)?(?P<file>[^"]+)", line (?P<line>\d+), in (?P<f>\S+)'
)
HANDLER_FILES = ("django/core/handlers/", "django/utils/deprecation.py")
EXCEPTION_LINE = re.compile(r"^[\w.]+(?:Error|Exception|Interrupted|Shutdown)\b.*")


class Violation(Exception):
    """The run cannot go on; the message says why."""


def log(message=""):
    print(message, flush=True)


def read_log(path):
    try:
        return Path(path).read_text(errors="replace").splitlines()
    except OSError:
        return []


class Postgres:
    """A throwaway cluster that can be stopped and started again on the same data and port.

    pg_stop in .ci/postgres.sh also deletes the data, so the restart needs this instead.
    """

    def __init__(self, port):
        bins = sorted(
            glob.glob("/usr/lib/postgresql/*/bin"),
            key=lambda path: int(path.split("/")[-2].split(".")[0]),
        )
        if not bins or not os.access(f"{bins[-1]}/initdb", os.X_OK):
            raise Violation(
                "no PostgreSQL server in /usr/lib/postgresql (apt-get install postgresql)"
            )
        self.bin = bins[-1]
        self.port = port
        self.dir = tempfile.mkdtemp(prefix="newsboard-pg.")
        self.data = f"{self.dir}/data"
        self.log_path = f"{self.dir}/postgres.log"
        self.url = f"postgres://postgres@127.0.0.1:{port}/newsboard"
        self.process = None
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")

    def _as_owner(self, *command):
        # initdb and postgres refuse to run as root.
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *command]
        return list(command)

    def init(self):
        result = subprocess.run(
            self._as_owner(
                f"{self.bin}/initdb", "-D", self.data, "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
            ),
            capture_output=True,
            text=True,
        )  # fmt: skip
        if result.returncode:
            raise Violation(f"initdb failed:\n{result.stdout}{result.stderr}")

    def start(self):
        """Starts the server; returns once it accepts connections."""
        with open(self.log_path, "a") as server_log:
            self.process = subprocess.Popen(
                self._as_owner(
                    f"{self.bin}/postgres", "-D", self.data, "-p", str(self.port),
                    "-c", "listen_addresses=127.0.0.1",
                    "-c", f"unix_socket_directories={self.dir}",
                    # Speed only: a restart of the server loses nothing committed either way.
                    "-c", "fsync=off", "-c", "full_page_writes=off",
                ),
                stdin=subprocess.DEVNULL,
                stdout=server_log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while not self.accepts_connections():
            if self.process.poll() is not None or time.monotonic() > deadline:
                log_tail = "\n".join(read_log(self.log_path)[-30:])
                raise Violation(f"PostgreSQL did not start; its log:\n{log_tail}")
            time.sleep(0.05)

    def accepts_connections(self):
        command = [f"{self.bin}/pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port)]
        return subprocess.run([*command, "-U", "postgres", "-d", "postgres"]).returncode == 0

    def create_database(self):
        subprocess.run(
            [f"{self.bin}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
             "newsboard"],
            check=True,
        )  # fmt: skip

    def stop(self):
        """Fast shutdown (open sessions are ended); returns once the server is gone."""
        if self.process is None:
            return
        stopped = subprocess.run(
            self._as_owner(f"{self.bin}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"),
            capture_output=True,
        )
        if stopped.returncode and self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def remove(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


# --- the clients ----------------------------------------------------------------------


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


# --- checks ---------------------------------------------------------------------------


def without_503s(lines):
    """The server's log without the one line per 503 that an outage fills it with."""
    return [line for line in lines if not line.startswith("Service Unavailable:")]


def errors_explained(lines):
    """One line per 500 or SessionInterrupted in the server's log: what was asked, the
    exception, and the code that raised it."""
    starts = [n for n, line in enumerate(lines) if LOGGED_ERROR.match(line)]
    explained = Counter()
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=False):
        block = lines[start:end]
        last = max((n for n, line in enumerate(block) if line.startswith("Traceback")), default=0)
        frames = [m for line in block[last:] if (m := FRAME.match(line))]
        # The first frame below Django's handler and middleware wrapper raised it.
        raiser = next((f for f in frames if not f["file"].startswith(HANDLER_FILES)), None)
        where = f"{raiser['file']}:{raiser['line']} {raiser['f']}()" if raiser else "?"
        if raiser and raiser["f"] == "process_response":
            where += " (after the view, where DatabaseUnavailableMiddleware does not reach)"
        exception = [line for line in block if EXCEPTION_LINE.match(line)]
        exception = exception[-1][:110] if exception else "?"
        match = LOGGED_ERROR.match(block[0])
        status = 500 if match["e500"] else 400
        explained[f"{status} on {match['path']}: {exception} -- raised in {where}"] += 1
    return [f"server log: {what} ({count} time(s))" for what, count in explained.items()]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def describe(attempt):
    if attempt.status is None:
        return f"no answer ({attempt.error})"
    what = f"{attempt.status}"
    if attempt.title:
        what += f" (page “{attempt.title}”)"
    return what + (" with a traceback" if attempt.traceback else "")


def check_answers(clients, allowed):
    """Answers other than allowed, answers with a traceback, 503s without Retry-After,
    and client threads that crashed."""
    problems = []
    unexpected = Counter()
    for attempt in (a for c in clients for a in c.log.attempts):
        if attempt.traceback or attempt.status not in (None, *allowed):
            unexpected[f"{attempt.method} answered {describe(attempt)}"] += 1
        if attempt.status == 503 and not attempt.retry_after:
            unexpected["503 without a Retry-After header"] += 1
    problems += [f"{what}: {count} time(s)" for what, count in unexpected.items()]
    problems += [f"client {c.number} crashed:\n{c.log.crash}" for c in clients if c.log.crash]
    return problems


def check_rows(db, posts, after_id):
    """Every 303 has its row with the text sent, every row since after_id has its 303,
    no text is stored twice, no row is half-written, every post was answered."""
    problems = []
    rows = {
        row[0]: row
        for row in db.execute(
            "SELECT id, article_id, parent_id, thread_id, body, body_html, status"
            " FROM comments_comment WHERE id > %s",
            [after_id],
        )
    }
    stored_as = {row[4]: comment_id for comment_id, row in rows.items()}
    answered = {}
    for post in posts:
        if post.comment_id is None:
            stored = stored_as.get(post.body)
            outcome = f"stored as comment {stored}" if stored else "not stored"
            if post.refusal is not None:
                problems.append(f"a post was answered {describe(post.refusal)}, {outcome}")
            else:
                problems.append(f"a post got no answer before the deadline, {outcome}")
            if stored:
                answered[stored] = post  # its row is explained above
            continue
        if post.comment_id in answered:
            problems.append(f"two posts were answered with comment {post.comment_id}")
        answered[post.comment_id] = post
        row = rows.get(post.comment_id)
        if row is None:
            problems.append(f"303 to /comments/{post.comment_id}/ but no such row: {post.body!r}")
        elif (row[1], row[2], row[4]) != (post.article_id, post.parent_id, post.body):
            problems.append(
                f"comment {post.comment_id} is not what was sent: article {row[1]}, parent"
                f" {row[2]}, text {row[4]!r}; sent article {post.article_id}, parent"
                f" {post.parent_id}, text {post.body!r}"
            )
    for comment_id, (_, _, _, thread_id, body, body_html, status) in rows.items():
        if comment_id not in answered:
            problems.append(f"comment {comment_id} was stored but no post got its 303: {body!r}")
        if thread_id is None or not body or not body_html:
            problems.append(f"comment {comment_id} is half-written (thread {thread_id}): {body!r}")
        if status != "approved":
            problems.append(f"comment {comment_id} is {status}, not approved")
    for body, count in db.execute(
        "SELECT body, count(*) FROM comments_comment WHERE id > %s"
        " GROUP BY body HAVING count(*) > 1",
        [after_id],
    ):
        problems.append(f"{count} rows with the same text {body!r}")
    return problems, len(rows)


def check_counts(db):
    """The stored counts against a recount of the rows, and every row's thread."""
    problems = []
    for article_id, stored, counted in db.execute(
        "SELECT a.id, a.comment_count, count(c.id) FILTER (WHERE c.status = 'approved')"
        " FROM articles_article a LEFT JOIN comments_comment c ON c.article_id = a.id"
        " GROUP BY a.id HAVING a.comment_count <> count(c.id) FILTER (WHERE c.status = 'approved')"
    ):
        problems.append(
            f"article {article_id}: comment_count {stored}, approved comments {counted}"
        )
    for comment_id, stored, counted in db.execute(
        "SELECT p.id, p.reply_count, count(c.id) FILTER (WHERE c.status = 'approved')"
        " FROM comments_comment p LEFT JOIN comments_comment c ON c.parent_id = p.id"
        " GROUP BY p.id HAVING p.reply_count <> count(c.id) FILTER (WHERE c.status = 'approved')"
    ):
        problems.append(f"comment {comment_id}: reply_count {stored}, approved replies {counted}")
    for (comment_id,) in db.execute(
        "SELECT c.id FROM comments_comment c LEFT JOIN comments_comment p ON p.id = c.parent_id"
        " WHERE c.thread_id IS NULL"
        " OR (c.parent_id IS NULL AND c.thread_id <> c.id)"
        " OR (c.parent_id IS NOT NULL"
        "     AND (c.thread_id <> p.thread_id OR c.article_id <> p.article_id))"
    ):
        problems.append(f"comment {comment_id} has no thread or the wrong one")
    return problems


def max_comment_id(url):
    with psycopg.connect(url) as db:
        return db.execute("SELECT coalesce(max(id), 0) FROM comments_comment").fetchone()[0]


def check_database(url, posts, after_id):
    with psycopg.connect(url, autocommit=True) as db:
        problems, rows = check_rows(db, posts, after_id)
        return problems + check_counts(db), rows


def count_statuses(attempts):
    """'GET 200: 16, POST 303: 2,000, POST no answer: 1'."""
    counts = Counter(
        f"{a.method} {a.status if a.status is not None else 'no answer'}" for a in attempts
    )
    return ", ".join(f"{key}: {counts[key]:,}" for key in sorted(counts))


# --- the two phases -------------------------------------------------------------------


def load_phase(site, pg, articles, tag, run_ends):
    log(f"\n== Load: {LOAD_CLIENTS} clients post {LOAD_POSTS:,} comments and replies")
    after_id = max_comment_id(pg.url)
    clients = [Client(site, articles, number, tag) for number in range(LOAD_CLIENTS)]
    open_pages(clients)
    targets = ReplyTargets()
    indexes = iter(range(LOAD_POSTS))
    lock = threading.Lock()
    started = time.monotonic()
    budget = min(LOAD_BUDGET, run_ends - FAULT_RESERVE - started)
    budget_ends = started + budget

    def next_index():
        with lock:
            return next(indexes, None) if time.monotonic() < budget_ends else None

    threads = post_comments(clients, targets, next_index, budget_ends + ANSWER_DEADLINE)
    busy = join_all(threads, budget_ends + ANSWER_DEADLINE + REQUEST_TIMEOUT)
    elapsed = time.monotonic() - started

    attempts = [a for c in clients for a in c.log.attempts]
    posts = [p for c in clients for p in c.log.posts]
    posted = [p for p in posts if p.comment_id is not None]
    latencies = [a.ended - a.started for a in attempts if a.method == "POST" and a.status]
    problems = check_answers(clients, allowed=(200, 303))
    if busy:
        problems.append(f"{busy} client(s) still waiting for an answer at the end")
    db_problems, rows = check_database(pg.url, posts, after_id)
    problems += db_problems
    if len(posted) < LOAD_MINIMUM:
        problems.append(
            f"only {len(posted)} comments posted in {budget:.0f} s (at least {LOAD_MINIMUM})"
        )

    p50, p99, slowest = (1000 * percentile(latencies, share) for share in (0.5, 0.99, 1))
    log(
        f"   {len(posted):,} posted ({sum(p.parent_id is not None for p in posted):,} replies) "
        f"in {elapsed:.1f} s: {len(posted) / elapsed:.0f} posts/s"
    )
    log(f"   POST latency p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {slowest:.0f} ms")
    log(f"   answers: {count_statuses(attempts)}")
    log(
        f"   rows created {rows:,}, 303s {len(posted):,}, "
        f"distinct comment ids {len({p.comment_id for p in posted}):,}"
    )
    if len(posts) < LOAD_POSTS:
        log(
            f"   NOTE: the {budget:.0f} s budget ran out after {len(posts):,} of "
            f"{LOAD_POSTS:,} posts (load average {os.getloadavg()[0]:.1f} on "
            f"{os.cpu_count()} CPUs): the machine is busy; the posted ones were checked"
        )
    return problems


def fault_phase(site, pg, articles, tag):
    log(
        f"\n== Faults: {FAULT_CLIENTS} clients post for {FAULT_SECONDS} s; PostgreSQL stops "
        f"at {FAULT_STOP_AT} s (fast shutdown) and starts again {OUTAGE_SECONDS} s later"
    )
    after_id = max_comment_id(pg.url)
    clients = [Client(site, articles, 100 + number, tag) for number in range(FAULT_CLIENTS)]
    open_pages(clients)
    targets = ReplyTargets()
    indexes = itertools.count(LOAD_POSTS)
    lock = threading.Lock()
    stop_posting = threading.Event()

    def next_index():
        with lock:
            return None if stop_posting.is_set() else next(indexes)

    started = time.monotonic()
    answer_deadline = started + FAULT_SECONDS + ANSWER_DEADLINE
    threads = post_comments(clients, targets, next_index, answer_deadline)
    time.sleep(max(0.0, started + FAULT_STOP_AT - time.monotonic()))
    stop_began = time.monotonic()
    pg.stop()
    down_at = time.monotonic()
    time.sleep(OUTAGE_SECONDS)
    restart_began = time.monotonic()
    pg.start()
    up_at = time.monotonic()  # pg_isready has said it accepts connections
    time.sleep(max(0.0, started + FAULT_SECONDS - time.monotonic()))
    stop_posting.set()
    busy = join_all(threads, answer_deadline + REQUEST_TIMEOUT)

    attempts = [a for c in clients for a in c.log.attempts]
    posts = [p for c in clients for p in c.log.posts]
    posted = [p for p in posts if p.comment_id is not None]
    problems = check_answers(clients, allowed=(200, 303, 503))
    if busy:
        problems.append(f"{busy} client(s) still waiting for an answer at the end")
    # Sent once the server was gone and answered before it was started again: only a 503.
    outage = [a for a in attempts if a.started >= down_at and a.ended <= restart_began]
    problems += [
        f"while the database was down, {a.method} answered {describe(a)}"
        for a in outage
        if a.status is not None and a.status != 503
    ]
    during = [a for a in attempts if a.ended >= stop_began and a.started <= up_at]
    outage_503s = sum(a.status == 503 for a in during)
    if not outage_503s:
        problems.append("no request reached the site while the database was down")
    # From pg_isready's yes to the first 303; one that came sooner (pg_isready polls) is 0 s.
    recovered = [p.answered_at for p in posted if p.answered_at >= restart_began]
    recovery = max(0.0, min(recovered) - up_at) if recovered else None
    if recovery is None:
        problems.append("no comment was posted after PostgreSQL came back")
    elif recovery > RECOVERY_LIMIT:
        problems.append(
            f"the first 303 came {recovery:.1f} s after PostgreSQL accepted connections again "
            f"(at most {RECOVERY_LIMIT} s)"
        )
    db_problems, rows = check_database(pg.url, posts, after_id)
    problems += db_problems

    log(
        f"   outage: {up_at - stop_began:.2f} s from the stop to accepting connections again "
        f"(the fast shutdown took {down_at - stop_began:.2f} s)"
    )
    log(
        f"   answers: {count_statuses(attempts)}; {outage_503s} were 503s during the outage, "
        f"{sum(a.status is None for a in attempts)} requests failed at the TCP level"
    )
    if recovery is not None:
        log(f"   recovery: first 303 {recovery:.2f} s after PostgreSQL accepted connections")
    resent = sum(a.status in (None, 503) for a in attempts)
    log(f"   {len(posted):,} posted, rows created {rows:,}; {resent} re-sent after a 503")
    return problems


def set_up(environment):
    """Migrates, collects static files, loads demo content; returns the articles open for
    comments as [(id, slug)]."""
    manage(environment, "migrate", "--noinput")
    manage(environment, "collectstatic", "--noinput")
    manage(environment, "demo_content", "--articles", "3", "--comments", "50", "--seed", "1")
    listed = manage(
        environment,
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from articles.models import Article\n"
        "for a in Article.objects.published():\n"
        "    if a.accepts_comments: print(a.pk, a.slug)",
    )
    articles = [(int(pk), slug) for pk, slug in (line.split() for line in listed.splitlines())]
    if not articles:
        raise Violation("demo_content made no article that is open for comments")
    return articles


def main():
    started = time.monotonic()
    # A TERM or HUP (CI cancelled) unwinds through the clean-up below, as Ctrl-C does.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda signum, _frame: sys.exit(128 + signum))
    problems = []
    server_log = []
    # Whatever happens, gunicorn and PostgreSQL are stopped and the temp dirs removed
    # (last registered, first run), every step even if one before it fails.
    with contextlib.ExitStack() as cleanup:
        workdir = tempfile.mkdtemp(prefix="newsboard-load.")
        cleanup.callback(shutil.rmtree, workdir, ignore_errors=True)
        try:
            pg = Postgres(free_port(25900))
            cleanup.callback(pg.remove)
            pg.init()
            pg.start()
            pg.create_database()
            environment = production_environment(
                workdir,
                DATABASE_URL=pg.url,
                # Every client posts from 127.0.0.1, far faster than any reader may.
                NEWSBOARD_RATE_LIMIT_IP="1000000",
                NEWSBOARD_RATE_LIMIT_AUTHOR="1000000",
                NEWSBOARD_NEW_COMMENTER_APPROVALS="0",
                NEWSBOARD_TASKS="immediate",
            )
            articles = set_up(environment)
            gunicorn_log = Path(workdir, "gunicorn.log")
            cleanup.callback(lambda: server_log.extend(read_log(gunicorn_log)))
            site = cleanup.enter_context(serve(environment, log_path=gunicorn_log, workers=2))
            log(
                f"PostgreSQL on port {pg.port}, gunicorn (2 workers) on port {site.port}, "
                f"{len(articles)} articles; set up in {time.monotonic() - started:.1f} s"
            )
            tag = secrets.token_hex(4)
            run_ends = started + RUN_BUDGET
            problems += [f"load: {p}" for p in load_phase(site, pg, articles, tag, run_ends)]
            problems += [f"faults: {p}" for p in fault_phase(site, pg, articles, tag)]
        except (Violation, ServerError) as error:
            problems.append(str(error))

    log(f"\nTook {time.monotonic() - started:.0f} s.")
    if not problems:
        log("OK: no comment lost or doubled, no 5xx but 503, counts exact, recovered in time.")
        return
    if server_log:
        log("\n-- gunicorn's log, without its 'Service Unavailable' lines (end):")
        log("\n".join(without_503s(server_log)[-60:]))
    problems += errors_explained(server_log)
    log(f"\nFAILED: {len(problems)} violation(s):")
    for problem in problems[:40]:
        log(f"  - {problem}")
    if len(problems) > 40:
        log(f"  ... and {len(problems) - 40} more")
    sys.exit(1)


if __name__ == "__main__":
    main()
