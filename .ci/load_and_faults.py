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
import itertools
import os
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

try:
    import psycopg  # noqa: F401 (load.checks reads the database with it)
except ImportError:
    raise SystemExit(
        "load_and_faults: psycopg is missing; run it with the project's virtualenv: "
        ".venv/bin/python .ci/load_and_faults.py"
    ) from None

# The script's parts (.ci/load/) and the project (tests.system.servers) become importable.
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from load import Violation, log, read_log  # noqa: E402
from load.checks import (  # noqa: E402
    check_answers,
    check_database,
    count_statuses,
    describe,
    errors_explained,
    max_comment_id,
    percentile,
    without_503s,
)
from load.clients import (  # noqa: E402
    REQUEST_TIMEOUT,
    Client,
    ReplyTargets,
    join_all,
    open_pages,
    post_comments,
)
from load.postgres import Postgres  # noqa: E402

from tests.system.servers import (  # noqa: E402
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
ANSWER_DEADLINE = 30  # seconds after posting stops for a post under way to be answered


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
