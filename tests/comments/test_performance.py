"""Speed: the number of SQL queries a page runs does not grow with its comments."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import moderation, votes
from comments.models import Comment

from ..factories import ArticleFactory, UserFactory, guest_data, post, post_url

pytestmark = pytest.mark.django_db


def grow_discussion(article, count):
    """Bulk-load `count` comments in threads up to 7 levels deep (fast; no per-comment posting)."""
    roots = Comment.objects.bulk_create(
        Comment(
            article=article, guest_name=f"Guest {n}", guest_email="g@example.org", body=f"root {n}"
        )
        for n in range(max(1, count // 4))
    )
    for root in roots:
        root.thread_id = root.pk
    Comment.objects.bulk_update(roots, ["thread"])
    made, previous = len(roots), roots
    while made < count:
        layer = []
        for index, parent in enumerate(previous):
            if made + len(layer) >= count:
                break
            for n in range(2 if index % 2 else 1):
                layer.append(
                    Comment(
                        article=article,
                        parent=parent,
                        thread_id=parent.thread_id,
                        guest_name="Replier",
                        guest_email="r@example.org",
                        body=f"reply {n} to {parent.pk}",
                    )
                )
        previous = Comment.objects.bulk_create(layer[: count - made])
        made += len(previous)
    moderation.recount(article_ids=[article.pk])
    return Comment.objects.filter(article=article).count()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("sort", ["best", "newest", "oldest", "replies"])
def test_article_page_runs_the_same_queries_for_10_and_1000_comments(client, sort):
    small, large = ArticleFactory(), ArticleFactory()
    assert grow_discussion(small, 10) == 10
    assert grow_discussion(large, 1000) == 1000
    client.get(small.get_absolute_url())  # warm per-process caches (navigation)
    # Readers with a session never get the cached discussion: they pay the full price.
    client.force_login(UserFactory())
    assert count_queries(client, f"{small.get_absolute_url()}?sort={sort}") == count_queries(
        client, f"{large.get_absolute_url()}?sort={sort}"
    )


def test_article_page_for_a_reader_without_session_runs_five_queries_then_one(client):
    article = ArticleFactory()
    grow_discussion(article, 1000)
    client.get(article.get_absolute_url())  # warm per-process caches (navigation)
    moderation.discussion_changed([article.pk])  # as a new comment would
    # the article's version, which shows the kept page is stale; then the article,
    # the staff picks, the page of threads with their count, and one read of their
    # comments (which also gives the structured data those opening the discussion)
    assert count_queries(client, article.get_absolute_url()) == 5
    # then, until the discussion changes, the kept page: just the article's version
    assert count_queries(client, article.get_absolute_url()) == 1


def test_article_page_that_was_never_kept_costs_no_version_query(client):
    article = ArticleFactory()
    grow_discussion(article, 100)
    client.get(ArticleFactory().get_absolute_url())  # warm per-process caches (navigation)
    assert count_queries(client, article.get_absolute_url()) == 4


def test_article_page_without_any_cache_backend_asks_for_the_sections_once(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    article = ArticleFactory()
    grow_discussion(article, 100)
    # the four queries above, plus the navigation's sections: once, though three
    # templates of the page are rendered with the request
    assert count_queries(client, article.get_absolute_url()) == 5


def test_article_page_for_signed_in_reader_stays_within_eight_queries(client):
    article = ArticleFactory()
    grow_discussion(article, 1000)
    client.force_login(UserFactory())
    client.get(article.get_absolute_url())
    # the session, the account, the article, the staff picks, the count and page of
    # threads, the recursive read and the reader's own votes
    assert count_queries(client, article.get_absolute_url()) <= 8


def test_comment_page_runs_the_same_queries_for_small_and_large_threads(client):
    small, large = ArticleFactory(), ArticleFactory()
    grow_discussion(small, 10)
    grow_discussion(large, 1000)
    small_root = Comment.objects.filter(article=small, parent=None).first()
    large_root = Comment.objects.filter(article=large, parent=None).first()
    client.get(small_root.get_absolute_url())
    assert count_queries(client, small_root.get_absolute_url()) == count_queries(
        client, large_root.get_absolute_url()
    )


def test_front_page_runs_the_same_queries_for_few_and_many_articles(client):
    ArticleFactory.create_batch(2)
    client.get("/")
    few = count_queries(client, "/")
    ArticleFactory.create_batch(30)
    assert count_queries(client, "/") == few


def test_a_cached_discussion_costs_no_comment_queries(client):
    article = ArticleFactory()
    grow_discussion(article, 1000)
    client.get(article.get_absolute_url())  # renders and caches the threads
    with CaptureQueriesContext(connection) as queries:
        client.get(article.get_absolute_url())
    assert not [q for q in queries if "comments_comment" in q["sql"] and "RECURSIVE" in q["sql"]]


def test_a_new_comment_shows_at_once_despite_the_cache(client):
    article = ArticleFactory()
    post(article, "first")
    client.get(article.get_absolute_url())
    post(article, "second, after the page was cached")
    assert "second, after the page was cached" in client.get(article.get_absolute_url()).text


@pytest.mark.parametrize(
    "change",
    ["vote", "remove", "feature", "edit_article"],
)
def test_every_visible_change_refreshes_the_cached_discussion(client, change):
    article = ArticleFactory()
    comment = post(article, "watch me")
    client.get(article.get_absolute_url())
    selected = Comment.objects.filter(pk=comment.pk)
    if change == "vote":
        votes.vote(comment, UserFactory(), 1)
        expected = ">▲ 1 ▼ 0</a>"
    elif change == "remove":
        moderation.set_status(selected, Comment.Status.REMOVED)
        expected = None
    elif change == "feature":
        moderation.set_featured(selected, True, by=UserFactory())
        expected = "Staff pick"
    else:
        article.comments_mode = "closed"
        article.save()
        expected = "Comments on this article are closed."
    html = client.get(article.get_absolute_url()).text
    if expected is None:
        assert "watch me" not in html
    else:
        assert expected in html


def test_a_reader_without_a_session_gets_the_whole_page_from_the_cache(client):
    article = ArticleFactory()
    grow_discussion(article, 200)
    client.get(article.get_absolute_url())  # renders the page and keeps it
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url())
    assert len(queries) == 1  # the article: is the kept page still current?
    assert response.templates == []
    assert response.text.count(" data-comment-id=") > 100


@pytest.mark.parametrize(
    "take_down",
    [
        lambda article: setattr(article, "status", Article.Status.DRAFT),
        lambda article: setattr(article, "published_at", timezone.now() + timedelta(days=1)),
    ],
    ids=["unpublished", "rescheduled"],
)
def test_an_article_taken_down_is_no_longer_served_from_its_kept_page(client, take_down):
    article = ArticleFactory()
    client.get(article.get_absolute_url())  # renders the page and keeps it
    take_down(article)
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_each_reader_of_a_cached_page_gets_a_form_signed_for_their_own_cookie(article):
    from django.test import Client

    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(article.get_absolute_url())  # fills the cache with the first reader's page
    page = second.get(article.get_absolute_url())
    assert page.templates == []
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    posted = second.post(
        reverse("comments:post", kwargs={"slug": article.slug}),
        {
            "csrfmiddlewaretoken": token,
            "body": "Signed with my own cookie",
            "name": "Second Reader",
            "email": "second@example.org",
        },
    )
    assert posted.status_code == 303
    assert Comment.objects.filter(body="Signed with my own cookie").exists()


def test_a_page_with_another_query_string_is_rendered_afresh_and_not_kept(client, article):
    url = f"{article.get_absolute_url()}?utm_source=newsletter"
    client.get(url)
    assert client.get(url).templates != []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_postgresql_connections_never_compile_queries_just_in_time():
    """The planner overestimates a large thread's recursive read, so JIT would spend far
    longer compiling it than running it."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def posting_queries(client, article, data):
    """The statements one post sends, from the request to the response, as on SQLite.

    PostgreSQL first takes an advisory lock per author and article, which hands
    out the new comment's id too (comments.database.take_posting_lock), so a new
    thread names itself in its insert instead of an update after it: only a
    reply sends one statement more there.
    """
    with CaptureQueriesContext(connection) as queries:
        response = client.post(post_url(article), data)
    assert response.status_code == 303
    return len(queries) - (connection.vendor == "postgresql" and bool(data.get("parent")))


def test_a_returning_guest_posts_in_eleven_queries(client, article):
    client.post(post_url(article), guest_data(body="My first comment."))
    # the article, the phrase and block lists' version, rate limits; savepoint, the
    # author's record (their comments with the same text, the statuses of their latest
    # decided ones), insert, thread id, followers, the article's counts, release. No
    # session: the guest's name, email and comments are in a cookie of their own, the
    # message for the next page too.
    assert posting_queries(client, article, guest_data(body="And a second one.")) == 11


def test_a_member_posts_in_thirteen_queries(client, article):
    client.force_login(UserFactory())
    client.post(post_url(article), {"body": "My first comment."})  # reads the phrase lists
    # the guest's eleven, the session and the account (the session is not saved)
    assert posting_queries(client, article, {"body": "Members have opinions too."}) == 13


@pytest.mark.parametrize("replied", ["member", "guest"])
def test_a_reply_costs_one_query_more_than_a_comment(client, article, replied):
    if replied == "member":
        parent = post(article, "Start here.", user=UserFactory(notify_replies=False))
    else:  # whether the guest asked for replies is read with the discussion's followers
        parent = post(article, "Start here.", email="another-guest@example.org")
    client.post(post_url(article), guest_data(body="My first comment."))
    comment = posting_queries(client, article, guest_data(body="Another comment."))
    reply = posting_queries(client, article, guest_data(body="A reply.", parent=str(parent.pk)))
    assert reply == comment + 1  # the parent, with its author
