"""What comments adds to the site's search page and feeds, at the addresses they always had."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, post

pytestmark = pytest.mark.django_db


def test_the_comments_feeds_keep_their_addresses(article):
    assert reverse("comments:rss", kwargs={"slug": article.slug}) == (
        f"/feeds/articles/{article.slug}/comments/rss/"
    )
    assert reverse("comments:atom", kwargs={"slug": article.slug}) == (
        f"/feeds/articles/{article.slug}/comments/atom/"
    )


def test_the_article_page_links_its_comments_feeds(client, article):
    html = client.get(article.get_absolute_url()).text
    assert f'href="/feeds/articles/{article.slug}/comments/rss/"' in html
    assert f'href="/feeds/articles/{article.slug}/comments/atom/"' in html


def test_the_search_page_searches_what_the_settings_list(client, settings):
    article = ArticleFactory(headline="Zeppelin mast approved")
    post(article, "A zeppelin over the harbour, at last.")
    settings.NEWSBOARD_SEARCH_SCOPES = ["articles.search.ARTICLES"]
    response = client.get("/search/", {"q": "zeppelin", "in": "comments"})
    assert [result.headline for result in response.context["results"]] == [article.headline]
    assert ">Comments<" not in response.text


def test_the_comments_tab_keeps_its_address_and_finds_comments(client):
    article = ArticleFactory(headline="Harbour news")
    post(article, "A zeppelin over the harbour, at last.")
    response = client.get("/search/", {"q": "zeppelin", "in": "comments"})
    assert [result.body for result in response.context["results"]] == [
        "A zeppelin over the harbour, at last."
    ]
    assert "1 comment found for “zeppelin”" in response.text
    assert '<input type="hidden" name="in" value="comments">' in response.text
