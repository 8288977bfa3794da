"""What the load and fault run checks: the answers, the rows and the counts, and the
server's log when something failed."""

import re
from collections import Counter

import psycopg

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
