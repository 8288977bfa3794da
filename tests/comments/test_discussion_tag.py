"""The discussion tag: an article's discussion as an object its page renders and describes."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.test import RequestFactory

from articles.models import Article
from tests.factories import ArticleFactory, post

pytestmark = pytest.mark.django_db

PAGE = (
    "{% load discussion %}{% discussion article as discussion %}"
    "<main>{{ discussion }}</main>"
    "<data>{{ discussion.structured_data.commentCount }}"
    "|{% for c in discussion.structured_data.comment %}{{ c.text }};{% endfor %}</data>"
)


def render(article, query=""):
    article = Article.objects.get(pk=article.pk)  # with the counts as the page reads them
    request = RequestFactory().get(article.get_absolute_url() + query)
    request.user = AnonymousUser()
    template = engines["django"].from_string(PAGE)
    return template.render({"article": article}, request)


def test_the_discussion_renders_and_gives_what_the_structured_data_lists(article):
    post(article, "Opening the discussion.")
    html = render(article)
    shown = html.split("<data>")[0]
    assert '<section id="comments"' in shown and "Opening the discussion." in shown
    assert "<data>1|Opening the discussion.;</data>" in html


def test_another_page_of_the_discussion_lists_no_comments(article):
    post(article, "Opening the discussion.")
    assert "<data>1|</data>" in render(article, "?page=2")


def test_an_article_without_a_discussion_renders_and_describes_none():
    article = ArticleFactory(comments_mode=Article.CommentsMode.DISABLED)
    assert render(article) == "<main></main><data>|</data>"


def test_the_cached_discussion_still_gives_its_opening_comments(article, django_assert_num_queries):
    post(article, "Cached with the threads.")
    render(article)  # renders the threads and caches them
    with django_assert_num_queries(1):  # the article, as render() reads it
        html = render(article)
    assert "<data>1|Cached with the threads.;</data>" in html
