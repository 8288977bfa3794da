"""Search: published articles and the approved comments under them."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from comments import moderation
from comments.models import Comment

from ..factories import ArticleFactory, post

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ranking is PostgreSQL full-text search"
)


def search(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response


def found(response):
    """The headlines or comment excerpts listed, in order."""
    return [
        result.headline if hasattr(result, "headline") else result.body
        for result in response.context["results"]
    ]


def test_empty_query_asks_for_words_without_searching(client):
    ArticleFactory(headline="Harbour reopens")
    with CaptureQueriesContext(connection) as queries:
        response = search(client, "   ")
    html = response.content.decode()
    assert "Type a few words" in html
    assert "search-results" not in html
    assert not [query for query in queries if "articles_article" in query["sql"]]


def test_articles_are_found_by_headline_standfirst_and_body(client):
    ArticleFactory(headline="Harbour reopens after storm")
    ArticleFactory(headline="Budget passed", standfirst="The harbour gets new cranes.")
    ArticleFactory(headline="Ferry timetable", body="Boats leave the harbour hourly.")
    ArticleFactory(headline="Tram line opens", body="Nothing about boats.")
    assert sorted(found(search(client, "harbour"))) == [
        "Budget passed",
        "Ferry timetable",
        "Harbour reopens after storm",
    ]


def test_drafts_and_scheduled_articles_are_never_found(client):
    ArticleFactory(headline="Lighthouse draft", status=Article.Status.DRAFT)
    ArticleFactory(headline="Lighthouse tomorrow", published_at=timezone.now() + timedelta(days=1))
    ArticleFactory(headline="Lighthouse restored")
    assert found(search(client, "lighthouse")) == ["Lighthouse restored"]


def test_every_word_must_match_and_a_minus_sign_leaves_a_word_out(client):
    ArticleFactory(headline="Harbour cranes arrive")
    ArticleFactory(headline="Harbour ferries return")
    ArticleFactory(headline="Airport cranes idle")
    assert found(search(client, "harbour cranes")) == ["Harbour cranes arrive"]
    assert found(search(client, "harbour -cranes")) == ["Harbour ferries return"]


@on_postgresql
def test_a_headline_match_ranks_above_a_body_match(client):
    ArticleFactory(
        headline="City news",
        body="Among many other things the council discussed, the aqueduct came up once.",
        published_at=timezone.now() - timedelta(minutes=1),
    )
    ArticleFactory(
        headline="Aqueduct to be restored", published_at=timezone.now() - timedelta(days=3)
    )
    assert found(search(client, "aqueduct")) == ["Aqueduct to be restored", "City news"]


@on_postgresql
def test_words_are_matched_by_their_stem(client):
    ArticleFactory(headline="New bridge for the river")
    assert found(search(client, "bridges")) == ["New bridge for the river"]


def test_comments_tab_finds_approved_comments_on_published_articles_only(client, article):
    post(article, "The gondola is a wonderful idea.")
    pending = post(article, "The gondola is a waste, pending.")
    moderation.set_status(Comment.objects.filter(pk=pending.pk), Comment.Status.PENDING)
    spam = post(article, "Gondola tickets cheap here, spam.")
    moderation.set_status(Comment.objects.filter(pk=spam.pk), Comment.Status.SPAM)
    unpublished = ArticleFactory()
    post(unpublished, "A gondola on an unpublished article.")
    Article.objects.filter(pk=unpublished.pk).update(status=Article.Status.DRAFT)
    silenced = ArticleFactory()
    post(silenced, "A gondola where the discussion is now off.")
    Article.objects.filter(pk=silenced.pk).update(comments_mode=Article.CommentsMode.DISABLED)

    response = search(client, "gondola", **{"in": "comments"})

    assert found(response) == ["The gondola is a wonderful idea."]
    html = response.content.decode()
    assert article.headline in html and "Guest Reader" in html
    assert 'aria-current="page">Comments<' in html
    assert '<a href="?q=gondola">Articles</a>' in html


def test_articles_tab_does_not_list_comments(client, article):
    post(article, "Nobody mentions zeppelins in the story.")
    assert found(search(client, "zeppelins")) == []
    assert "0 articles found" in search(client, "zeppelins").content.decode()


def test_results_are_paginated_twenty_a_page_keeping_the_query(client):
    for n in range(25):
        ArticleFactory(
            headline=f"Marathon report {n}", published_at=timezone.now() - timedelta(hours=n)
        )
    first = search(client, "marathon")
    assert len(first.context["results"]) == 20
    html = first.content.decode()
    assert "25 articles found" in html
    next_link = re.search(r'<a rel="next" href="([^"]+)"', html)[1]
    assert next_link == "?q=marathon&amp;page=2"
    second = search(client, "marathon", page=2)
    assert len(second.context["results"]) == 5
    assert set(found(first)).isdisjoint(found(second))


def test_a_page_past_the_end_shows_the_last_page(client):
    ArticleFactory(headline="Regatta results")
    for page in ("99", "abc", "-1"):
        assert found(search(client, "regatta", page=page)) == ["Regatta results"]


def test_excerpt_marks_the_match_and_escapes_the_text(client):
    ArticleFactory(
        headline="Museum opens",
        body="Curators said <script>alert('x')</script> the new observatory wing opens in May.",
    )
    html = search(client, "observatory").content.decode()
    assert re.search(r"<mark>observatory</mark>", html, re.IGNORECASE)
    assert "<script>alert" not in html
    assert "alert(&#x27;x&#x27;)" in html  # the text around is kept, escaped


def test_comment_excerpt_escapes_what_the_reader_typed(client, article):
    post(article, 'The <img src=x onerror="alert(1)"> planetarium is great.')
    html = search(client, "planetarium", **{"in": "comments"}).content.decode()
    assert re.search(r"<mark>planetarium</mark>", html, re.IGNORECASE)
    assert "<img src=x" not in html


@pytest.mark.parametrize(
    "query",
    [
        "' OR 1=1; DROP TABLE articles_article; --",
        "<script>alert(1)</script>",
        "\x00\x01 harbour \x1b[31m\x7f",
        "harbour " * 2000,
        '"unbalanced quote',
        "- -- ---",
        "!!! ((( ))) :* & | <->",
        "%_% \\ %",
        "or and not",
        "ﬁ ｈａｒｂｏｕｒ 港口 🚢",
    ],
)
def test_hostile_queries_are_answered_safely(client, query):
    ArticleFactory(headline="Harbour reopens")
    for scope in ("articles", "comments"):
        html = search(client, query, **{"in": scope}).content.decode()
        assert "<script>alert(1)" not in html
        assert "\x00" not in html


def test_the_query_is_shown_escaped(client):
    html = search(client, "<script>alert(1)</script>").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_search_runs_the_same_queries_for_few_and_many_results(client):
    ArticleFactory.create_batch(2, headline="Carnival news")
    client.get("/search/", {"q": "carnival"})  # warm per-process caches (navigation)
    with CaptureQueriesContext(connection) as few:
        search(client, "carnival")
    ArticleFactory.create_batch(30, headline="Carnival news")
    with CaptureQueriesContext(connection) as many:
        search(client, "carnival")
    assert len(few) == len(many) == 2  # the count and the page


def test_header_has_a_labelled_search_form_that_works_without_javascript(client):
    html = client.get("/").content.decode()
    form = re.search(
        r'<form class="site-search" role="search" method="get" action="/search/">(.*?)</form>',
        html,
        re.DOTALL,
    )
    assert form
    assert '<label class="visually-hidden" for="site-search-q">' in form[1]
    assert 'id="site-search-q" name="q"' in form[1]
    assert 'type="submit"' in form[1]


def test_search_pages_ask_not_to_be_indexed(client):
    assert '<meta name="robots" content="noindex">' in search(client, "harbour").content.decode()
