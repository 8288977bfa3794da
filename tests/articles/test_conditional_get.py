"""Conditional GET: a reader or feed reader who has the page already gets 304 Not Modified.

Only readers without a session get validators on article pages: what a member, a
guest who posted or a moderator sees is theirs alone. Feeds are the same for
everyone.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import moderation, votes
from comments.models import Comment

from ..factories import ArticleFactory, SectionFactory, UserFactory, post

pytestmark = pytest.mark.django_db


def etag_after_two_visits(client, url):
    """The ETag a browser keeps after reading the page twice.

    The first visit sets the CSRF cookie that the page's forms are signed with,
    which is part of the page's version, so the page is current from the second.
    """
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    return response["ETag"]


def again(client, url, etag, **headers):
    return client.get(url, headers={"if-none-match": etag, **headers})


def test_a_reader_who_has_the_article_page_gets_not_modified(client, article):
    url = article.get_absolute_url()
    etag = etag_after_two_visits(client, url)
    response = again(client, url, etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_not_modified_renders_nothing_and_reads_only_the_article(
    client, article, django_assert_max_num_queries
):
    url = article.get_absolute_url()
    etag = etag_after_two_visits(client, url)
    with django_assert_max_num_queries(1):
        response = again(client, url, etag)
    assert response.status_code == 304
    assert response.templates == []


def test_the_article_page_has_validators_and_says_what_it_depends_on(client, article):
    response = client.get(article.get_absolute_url())
    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"]
    vary = {header.strip() for header in response["Vary"].split(",")}
    assert {"Cookie", "Accept-Language"} <= vary
    cache_control = {directive.strip() for directive in response["Cache-Control"].split(",")}
    assert {"private", "no-cache"} <= cache_control


def test_a_reader_whose_copy_is_as_new_as_the_last_change_gets_not_modified(client, article):
    url = article.get_absolute_url()
    last_modified = client.get(url)["Last-Modified"]
    response = client.get(url, headers={"if-modified-since": last_modified})
    assert response.status_code == 304


@pytest.mark.parametrize("change", ["posted", "approved", "voted", "removed", "article edited"])
def test_a_visible_change_makes_the_kept_copy_stale(client, change):
    article = ArticleFactory(moderation=Article.Moderation.PRE if change == "approved" else "")
    comment = post(article, "Already there.")
    url = article.get_absolute_url()
    etag = etag_after_two_visits(client, url)
    if change == "posted":
        post(article, "A new comment.")
    elif change == "approved":
        moderation.set_status(Comment.objects.filter(pk=comment.pk), Comment.Status.APPROVED)
    elif change == "voted":
        votes.vote(comment, UserFactory(), 1)
    elif change == "removed":
        moderation.set_status(Comment.objects.filter(pk=comment.pk), Comment.Status.REMOVED)
    else:
        article.headline = "Council delays the bridge"
        article.save()
    response = again(client, url, etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_comments_closing_by_themselves_make_the_kept_copy_stale(client, monkeypatch):
    article = ArticleFactory(close_comments_after_days=2)
    url = article.get_absolute_url()
    etag = etag_after_two_visits(client, url)
    assert 'name="body"' in client.get(url).text
    after_closing = article.comments_close_at + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: after_closing)
    response = again(client, url, etag)
    assert response.status_code == 200
    assert 'name="body"' not in response.text  # no comment form any more


@pytest.mark.parametrize(
    "query, headers",
    [("?sort=newest", {}), ("?page=2", {}), ("", {"accept-language": "fr"})],
    ids=["sort", "page", "language"],
)
def test_a_copy_of_another_sort_page_or_language_is_not_current(
    client, article, settings, query, headers
):
    settings.LANGUAGES = [("en", "English"), ("fr", "French")]
    url = article.get_absolute_url()
    etag = etag_after_two_visits(client, url)
    assert again(client, url + query, etag, **headers).status_code == 200


def test_a_reader_with_another_csrf_cookie_gets_the_page_again(client, article):
    url = article.get_absolute_url()
    etag = etag_after_two_visits(client, url)
    client.cookies["csrftoken"] = "x" * 32  # as after signing in and out again
    assert again(client, url, etag).status_code == 200


@pytest.mark.parametrize("reader", ["member", "guest who posted", "moderator"])
def test_a_reader_with_a_page_of_their_own_never_gets_not_modified(client, article, reader):
    url = article.get_absolute_url()
    etag = etag_after_two_visits(client, url)
    if reader == "member":
        client.force_login(UserFactory())
    elif reader == "moderator":
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
    else:
        data = {"body": "Mine.", "name": "Guest Reader", "email": "guest@example.org"}
        posted = client.post(reverse("comments:post", kwargs={"slug": article.slug}), data)
        client.get(posted["Location"])  # shows the message: what remains is the guest
    response = again(client, url, etag, **{"if-modified-since": "Fri, 01 Jan 2100 00:00:00 GMT"})
    assert response.status_code == 200
    assert not response.has_header("ETag")
    assert not response.has_header("Last-Modified")


def test_a_reader_with_a_message_waiting_gets_the_page_with_it_and_no_validators(client, article):
    url = article.get_absolute_url()
    etag = etag_after_two_visits(client, url)  # the page is kept for readers without a session
    client.post(reverse("comments:follow", kwargs={"slug": article.slug}), {"email": "a@b.org"})
    response = again(client, url, etag)
    assert response.status_code == 200
    assert "we sent you an e-mail" in response.text
    assert not response.has_header("ETag")


def test_a_reader_whose_message_was_shown_shares_the_page_again(client, article):
    url = article.get_absolute_url()
    client.post(reverse("comments:follow", kwargs={"slug": article.slug}), {"email": "a@b.org"})
    client.get(url)  # shows the message
    etag = client.get(url)["ETag"]
    assert again(client, url, etag).status_code == 304


def feed_urls(article):
    section = article.section.slug
    return [
        "/feeds/articles/rss/",
        "/feeds/articles/atom/",
        f"/feeds/sections/{section}/rss/",
        f"/feeds/sections/{section}/atom/",
        f"/feeds/articles/{article.slug}/comments/rss/",
        f"/feeds/articles/{article.slug}/comments/atom/",
    ]


@pytest.mark.parametrize("feed", range(6))
def test_a_feed_reader_who_has_the_feed_gets_not_modified(
    client, article, feed, django_assert_max_num_queries
):
    post(article, "On the feed.")
    url = feed_urls(article)[feed]
    etag = client.get(url)["ETag"]
    with django_assert_max_num_queries(2):  # the section or the article, and the items
        response = again(client, url, etag)
    assert response.status_code == 304
    assert response.content == b""


def test_not_modified_for_a_comments_feed_reads_only_the_article(
    client, article, django_assert_max_num_queries
):
    url = f"/feeds/articles/{article.slug}/comments/rss/"
    etag = client.get(url)["ETag"]
    with django_assert_max_num_queries(1):
        assert again(client, url, etag).status_code == 304


@pytest.mark.parametrize("feed", range(4))
def test_a_new_article_makes_the_articles_feeds_stale(client, article, feed):
    url = feed_urls(article)[feed]
    etag = client.get(url)["ETag"]
    ArticleFactory(section=article.section)
    assert again(client, url, etag).status_code == 200


@pytest.mark.parametrize("feed", range(4))
def test_an_article_taken_down_makes_the_articles_feeds_stale(client, article, feed):
    url = feed_urls(article)[feed]
    ArticleFactory(section=article.section, published_at=timezone.now() - timedelta(days=1))
    etag = client.get(url)["ETag"]
    article.status = Article.Status.DRAFT
    article.save()
    assert again(client, url, etag).status_code == 200


def test_a_scheduled_article_coming_out_makes_the_articles_feed_stale(client, monkeypatch):
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(hours=1))
    etag = client.get("/feeds/articles/rss/")["ETag"]
    coming_out = scheduled.published_at + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: coming_out)
    assert again(client, "/feeds/articles/rss/", etag).status_code == 200


def test_a_renamed_section_makes_the_feeds_that_name_it_stale(client, article):
    urls = feed_urls(article)[:4]
    etags = [client.get(url)["ETag"] for url in urls]
    article.section.name = "Local news"
    article.section.save()
    assert [
        again(client, url, etag).status_code for url, etag in zip(urls, etags, strict=True)
    ] == [200] * 4


@pytest.mark.parametrize("change", ["posted", "removed"])
def test_a_change_in_the_discussion_makes_the_comments_feed_stale(client, article, change):
    comment = post(article, "First.")
    url = f"/feeds/articles/{article.slug}/comments/atom/"
    etag = client.get(url)["ETag"]
    if change == "posted":
        post(article, "Second.")
    else:
        moderation.set_status(Comment.objects.filter(pk=comment.pk), Comment.Status.REMOVED)
    assert again(client, url, etag).status_code == 200


def test_a_feed_of_another_section_has_another_etag(client, article):
    other = ArticleFactory(section=SectionFactory())
    mine = client.get(feed_urls(article)[2])["ETag"]
    theirs = client.get(feed_urls(other)[2])["ETag"]
    assert mine != theirs
