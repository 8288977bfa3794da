"""What the word rules cost when posting: 1,000 comments against 5,000 banned and suspect phrases.

Posts the same 1,000 comments twice through comments.posting.post_comment on
a fresh database: once with empty phrase lists (the reference) and once with
2,500 banned and 2,500 suspect phrases, and also times the phrase matching on
its own. Prints the figures and the ratio of the rule check to the rest of posting.

    .venv/bin/python bench/moderation_rules.py            # SQLite in a temp dir
    DATABASE_URL=postgres://... .venv/bin/python bench/moderation_rules.py
"""

import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
workdir = tempfile.mkdtemp(prefix="newsboard-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from articles.models import Article  # noqa: E402
from comments import posting  # noqa: E402
from comments.management.demo import corpus  # noqa: E402
from comments.models import Comment, ModeratedPhrase  # noqa: E402
from comments.rules import moderation_lists  # noqa: E402

COMMENTS = 1000
PHRASES = 5000


def made_up_word(rng):
    return "".join(rng.choice("bcdfghjklmnprstvz") + rng.choice("aeiou") for _ in range(4))


def phrase_list(rng):
    phrases = set()
    while len(phrases) < PHRASES:
        words = [made_up_word(rng) for _ in range(rng.choice((1, 1, 2, 3)))]
        phrases.add(" ".join(words) + ("*" if rng.random() < 0.1 else ""))
    return sorted(phrases)


def post_all(article, bodies):
    started = time.perf_counter()
    for index, body in enumerate(bodies):
        posting.post_comment(
            article=article, body=body, guest_name="Bench", guest_email=f"b{index}@example.org"
        )
    return time.perf_counter() - started


def main():
    call_command("migrate", verbosity=0)
    rng = random.Random(1)
    bodies = [
        corpus.comment_body(rng, headline="Night trains", depth=0, parent_body=None) + f" ({n})"
        for n in range(COMMENTS)
    ]
    article = Article.objects.create(
        headline="Bench", slug="bench", body="Bench.", status=Article.Status.PUBLISHED
    )
    with override_settings(NEWSBOARD_NEW_COMMENTER_APPROVALS=0):
        reference = post_all(article, bodies)
        Comment.objects.all().delete()
        phrases = phrase_list(rng)
        ModeratedPhrase.objects.bulk_create(
            ModeratedPhrase(phrase=phrase, action="reject" if n % 2 else "hold")
            for n, phrase in enumerate(phrases)
        )
        started = time.perf_counter()
        matchers = moderation_lists().matchers
        compile_time = time.perf_counter() - started
        started = time.perf_counter()
        for body in bodies:
            for matcher in matchers.values():
                matcher.find(body)
        matching = time.perf_counter() - started
        with_rules = post_all(article, bodies)
    rules = max(with_rules - reference, matching)
    print(f"database: {django.db.connection.vendor}")
    print(f"{COMMENTS} comments, {PHRASES} phrases ({PHRASES // 2} banned, {PHRASES // 2} suspect)")
    per_comment = 1000 / COMMENTS
    print(f"posting, empty phrase lists (reference): {reference * per_comment:8.3f} ms/comment")
    print(f"posting, 5,000 phrases:                  {with_rules * per_comment:8.3f} ms/comment")
    print(f"phrase matching alone (both lists):      {matching * per_comment:8.3f} ms/comment")
    print(f"compiling the lists (once per process):  {compile_time * 1000:8.1f} ms")
    print(f"rule check / rest of posting:            {rules / (with_rules - rules):8.3f}")


if __name__ == "__main__":
    main()
