"""The comment card (comments/jinja2/comments/comment_tree.html) and what it links to."""

from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse

from comments import moderation
from comments.models import Comment

from ..factories import ArticleFactory, UserFactory, post

pytestmark = pytest.mark.django_db


def sign_in_url(comment):
    return reverse("comments:sign_in_to_vote", args=[comment.pk])


def test_a_reader_without_an_account_signs_in_from_a_comment_and_comes_back_to_it(client):
    article = ArticleFactory()
    comment = post(article, "vote for me")
    html = client.get(article.get_absolute_url()).text
    assert f'href="{sign_in_url(comment)}"' in html
    assert "%23comment-" not in html  # no sign-in address with the article's per comment
    response = client.get(sign_in_url(comment))
    back = quote(f"{article.get_absolute_url()}#comment-{comment.pk}", safe="/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={back}"


def test_a_member_following_a_sign_in_to_vote_link_goes_straight_to_the_comment(client):
    article = ArticleFactory()
    comment = post(article, "vote for me")
    client.force_login(UserFactory())
    response = client.get(sign_in_url(comment))
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"


def test_no_sign_in_to_vote_link_for_a_comment_the_public_does_not_see(client):
    comment = post(ArticleFactory(), "gone")
    moderation.set_status(Comment.objects.filter(pk=comment.pk), Comment.Status.REMOVED)
    assert client.get(sign_in_url(comment)).status_code == 404


def test_every_sign_in_to_vote_link_is_described_by_one_shared_label(client):
    article = ArticleFactory()
    first, second = post(article, "one"), post(article, "two")
    html = client.get(article.get_absolute_url()).text
    assert html.count('id="vote-label"') == 1
    assert '<p hidden id="vote-label">Sign in to vote</p>' in html
    assert html.count('aria-describedby="vote-label"') == 2
    for comment in (first, second):
        item = html[html.index(f'id="comment-{comment.pk}"') :].split("</li>")[0]
        href = sign_in_url(comment)
        link = f'<a class="vote-sign-in" href="{href}" aria-describedby="vote-label">▲ 0 ▼ 0</a>'
        assert link in item


def test_crawlers_are_kept_from_the_links_only_a_reader_follows_by_robots_txt(client):
    """Said once in robots.txt rather than with rel="nofollow" on every comment's links."""
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /comments/*/sign-in/" in lines
    assert "Disallow: /comments/*/report/" in lines


def test_the_reply_forms_button_label_is_said_once_for_the_tree(client):
    article = ArticleFactory()
    post(article, "one")
    post(article, "two")
    html = client.get(article.get_absolute_url()).text
    assert html.count('data-reply-label="Post reply"') == 1
    assert '<ol class="comment-tree" data-reply-label="Post reply">' in html
    assert "aria-expanded" not in html.split('<ol class="comment-tree"')[1]


def test_the_cards_class_names_are_written_in_templates_only():
    """The card's markup lives in its template, where a designer can change it."""
    sources = [
        path
        for app in ("articles", "comments", "newsboard")
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py")
    ]
    assert sources
    for path in sources:
        text = path.read_text()
        for name in ("comment-card", "comment-meta", "vote-button"):
            assert name not in text, f"{name} in {path}"


def test_cards_name_members_by_their_public_name_and_erased_authors_as_deleted_users(client):
    article = ArticleFactory()
    member = UserFactory(username="ada", display_name="", first_name="Ada", last_name="Lovelace")
    post(article, "by a member", user=member)
    erased = post(article, "kept after its author left", user=UserFactory())
    Comment.objects.filter(pk=erased.pk).update(user=None, author_erased=True)
    reply = post(article, "answering", parent=erased)
    html = client.get(article.get_absolute_url()).text
    profile = reverse("profile", kwargs={"username": "ada"})
    assert f'<a class="comment-author" href="{profile}">Ada Lovelace</a>' in html
    assert 'aria-label="Comment by [deleted user]"' in html
    reply_item = html[html.index(f'id="comment-{reply.pk}"') :]
    assert "in reply to [deleted user]</a>" in reply_item.split("</header>")[0]
