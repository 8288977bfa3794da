"""Votes and best-first sorting."""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse

from comments import moderation, votes
from comments.models import Comment, Vote

from ..factories import ArticleFactory, UserFactory, post

pytestmark = pytest.mark.django_db


def vote_url(comment):
    return reverse("comments:vote", kwargs={"pk": comment.pk})


def counts(comment):
    comment.refresh_from_db()
    return comment.upvotes, comment.downvotes


def order_on_page(client, url):
    return [
        int(pk) for pk in re.findall(r'data-comment-id="(\d+)"', client.get(url).content.decode())
    ]


@pytest.mark.parametrize(
    ("up", "down", "expected"),
    [
        # Lower bounds of the 95% Wilson interval, worked by hand from
        # (p + z²/2n − z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n) with z = 1.96.
        (0, 0, 0.0),
        (1, 0, 0.2065),
        (10, 0, 0.7225),
        (5, 5, 0.2366),
        (60, 40, 0.5020),
        (600, 400, 0.5693),
    ],
)
def test_wilson_lower_bound_matches_hand_computed_values(up, down, expected):
    assert votes.wilson_lower_bound(up, down) == pytest.approx(expected, abs=1e-4)


def test_member_votes_a_comment_up(client, article):
    comment = post(article)
    client.force_login(UserFactory())
    response = client.post(vote_url(comment), {"value": "up", "next": article.get_absolute_url()})
    assert response.status_code == 303
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert counts(comment) == (1, 0)
    assert comment.score == pytest.approx(0.2065, abs=1e-4)


def test_member_changes_a_vote(client, article):
    comment = post(article)
    client.force_login(UserFactory())
    client.post(vote_url(comment), {"value": "up"})
    client.post(vote_url(comment), {"value": "down"})
    assert counts(comment) == (0, 1)
    assert Vote.objects.get().value == -1


def test_member_withdraws_a_vote(client, article):
    comment = post(article)
    client.force_login(UserFactory())
    client.post(vote_url(comment), {"value": "up"})
    client.post(vote_url(comment), {"value": "clear"})
    assert counts(comment) == (0, 0)
    assert not Vote.objects.exists()
    assert comment.score == 0


def test_voting_twice_counts_once(client, article):
    comment = post(article)
    client.force_login(UserFactory())
    client.post(vote_url(comment), {"value": "up"})
    client.post(vote_url(comment), {"value": "up"})
    assert counts(comment) == (1, 0)


def test_vote_on_own_comment_is_refused(client, article):
    author = UserFactory()
    comment = post(article, user=author)
    client.force_login(author)
    response = client.post(vote_url(comment), {"value": "up"}, follow=True)
    assert "You cannot vote on your own comment." in response.content.decode()
    assert counts(comment) == (0, 0)


def test_guest_is_sent_to_sign_in_to_vote(client, article):
    comment = post(article)
    response = client.post(vote_url(comment), {"value": "up"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert counts(comment) == (0, 0)


def test_vote_on_a_hidden_comment_is_refused(client, article):
    comment = post(article)
    moderation.set_status(Comment.objects.filter(pk=comment.pk), Comment.Status.REMOVED)
    client.force_login(UserFactory())
    client.post(vote_url(comment), {"value": "up"})
    assert counts(comment) == (0, 0)


def test_a_nonsense_vote_is_refused(client, article):
    comment = post(article)
    client.force_login(UserFactory())
    client.post(vote_url(comment), {"value": "sideways"})
    assert counts(comment) == (0, 0)


def test_script_gets_the_new_counts_as_json(client, article):
    comment = post(article)
    client.force_login(UserFactory())
    response = client.post(
        vote_url(comment), {"value": "down"}, headers={"accept": "application/json"}
    )
    assert response.json() == {"up": 0, "down": 1, "vote": -1}


def test_the_page_shows_the_readers_own_vote_as_pressed(client, article):
    comment = post(article)
    client.force_login(UserFactory())
    client.post(vote_url(comment), {"value": "up"})
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'value="clear" aria-pressed="true"' in html


def test_best_sort_puts_the_best_voted_thread_first(client, article):
    plain, loved, mixed = (post(article, f"thread {n}") for n in range(3))
    voters = [UserFactory() for _ in range(6)]
    for voter in voters:
        votes.vote(loved, voter, 1)
    for voter in voters[:3]:
        votes.vote(mixed, voter, 1)
    for voter in voters[3:]:
        votes.vote(mixed, voter, -1)
    roots = order_on_page(client, article.get_absolute_url() + "?sort=best")
    assert roots == [loved.pk, mixed.pk, plain.pk]


def test_best_sort_orders_replies_best_first_within_a_thread(client, article):
    root = post(article, "root")
    early, late = post(article, "early", parent=root), post(article, "late", parent=root)
    votes.vote(late, UserFactory(), 1)
    ids = order_on_page(client, article.get_absolute_url() + "?sort=best")
    assert ids.index(late.pk) < ids.index(early.pk)
    ids = order_on_page(client, article.get_absolute_url() + "?sort=oldest")
    assert ids.index(early.pk) < ids.index(late.pk)


def test_most_replies_sort_puts_the_busiest_thread_first(client, article):
    quiet, busy = post(article, "quiet"), post(article, "busy")
    Comment.objects.filter(pk=quiet.pk).update(created_at=busy.created_at + timedelta(minutes=1))
    for n in range(3):
        post(article, f"reply {n}", parent=busy)
    ids = order_on_page(client, article.get_absolute_url() + "?sort=replies")
    assert ids.index(busy.pk) < ids.index(quiet.pk)


def test_default_sort_is_a_setting(client, article, settings):
    first, second = post(article, "first"), post(article, "second")
    Comment.objects.filter(pk=second.pk).update(created_at=first.created_at + timedelta(minutes=1))
    settings.NEWSBOARD_DEFAULT_SORT = "oldest"
    assert order_on_page(client, article.get_absolute_url()) == [first.pk, second.pk]
    settings.NEWSBOARD_DEFAULT_SORT = "newest"
    assert order_on_page(client, article.get_absolute_url()) == [second.pk, first.pk]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent voters need PostgreSQL's row locks"
)
def test_concurrent_votes_keep_the_counts_exact():
    article = ArticleFactory()
    comment = post(article)
    voters = [UserFactory() for _ in range(24)]
    barrier = threading.Barrier(len(voters))
    errors = []

    def vote_as(voter, value):
        try:
            barrier.wait()
            votes.vote(comment, voter, value)
            votes.vote(comment, voter, -value)
        except Exception as error:  # any failure is a failed vote: reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=vote_as, args=(voter, 1 if n % 3 else -1))
        for n, voter in enumerate(voters)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    up = Vote.objects.filter(comment=comment, value=1).count()
    down = Vote.objects.filter(comment=comment, value=-1).count()
    assert counts(comment) == (up, down) == (8, 16)
    assert comment.score == pytest.approx(votes.wilson_lower_bound(8, 16))
