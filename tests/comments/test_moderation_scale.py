"""The word rules at newsroom scale: thousands of phrases, a thousand comments.

Timings are for bench/moderation_rules.py; here the cost is counted in what
does not depend on the machine: database work and how often the lists are compiled.
"""

import random

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from comments import rules
from comments.models import Comment, ModeratedPhrase

from ..factories import post

pytestmark = pytest.mark.django_db

SYLLABLES = [c + v for c in "bcdfghjklmnprstvz" for v in "aeiou"]


def phrase_list(rng, count):
    phrases = set()
    while len(phrases) < count:
        words = ["".join(rng.choices(SYLLABLES, k=4)) for _ in range(rng.choice((1, 2, 3)))]
        phrases.add(" ".join(words))
    return sorted(phrases)


def test_a_thousand_comments_against_five_thousand_phrases(article):
    rng = random.Random(3)
    phrases = phrase_list(rng, 5000)
    banned, suspect = phrases[:2500], phrases[2500:]
    ModeratedPhrase.objects.bulk_create(
        [ModeratedPhrase(phrase=p, action="reject") for p in banned]
        + [ModeratedPhrase(phrase=p, action="hold") for p in suspect]
    )
    rules.moderation_lists()  # compiled once per process, before the clock would start
    compiled_before = rules._moderation_lists.cache_info().misses
    outcomes = {"refused": 0, "pending": 0, "approved": 0}
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        for n in range(1000):
            planted = {0: rng.choice(banned).upper(), 1: rng.choice(suspect)}.get(n % 10, "")
            body = f"Comment {n} on the night trains. {planted} Sleepers matter."
            try:
                comment = post(article, body, email=f"r{n}@example.org")
            except ValidationError:
                outcomes["refused"] += 1
            else:
                outcomes[comment.status] += 1
    assert outcomes == {"refused": 100, "pending": 100, "approved": 800}
    assert rules._moderation_lists.cache_info().misses == compiled_before
    rule_queries = [sql for sql in statements if "moderatedphrase" in sql]
    # One statement per comment asks whether the lists changed; posting does the rest.
    assert len(rule_queries) == 1000
    assert len(rule_queries) < (len(statements) - len(rule_queries)) / 2
    assert Comment.objects.count() == 900
