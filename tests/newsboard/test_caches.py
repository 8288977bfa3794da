"""The per-process caches (newsboard.caches): listed in one place, cleared in one way."""

import pytest
from django.test import override_settings

from newsboard.caches import clear_process_caches, process_caches
from tests.factories import ArticleFactory, post

pytestmark = pytest.mark.django_db


def entries(cached):
    return cached.cache_info().currsize if hasattr(cached, "cache_info") else len(cached)


def fill_caches(client):
    """Read an article page with a comment form, and post a comment: what fills them."""
    article = ArticleFactory()
    post(article, "Filling the caches, *with* Markdown.")
    assert client.get(article.get_absolute_url()).status_code == 200


def test_the_caches_the_site_keeps_per_process_are_listed(client):
    fill_caches(client)
    assert sum(1 for cached in process_caches() if entries(cached)) >= 3


def test_a_changed_setting_empties_every_process_cache(client):
    fill_caches(client)
    with override_settings(NEWSBOARD_MAX_LINKS=9):
        assert [entries(cached) for cached in process_caches()] == [0] * len(process_caches())


def test_clear_process_caches_empties_every_one(client):
    fill_caches(client)
    clear_process_caches()
    assert not any(entries(cached) for cached in process_caches())


def test_the_front_page_shows_as_many_articles_as_the_setting_says(client, settings):
    ArticleFactory.create_batch(3)
    settings.NEWSBOARD_ARTICLES_PER_PAGE = 2
    response = client.get("/")
    assert len(response.context["page_obj"].object_list) == 2
    assert response.context["paginator"].num_pages == 2
