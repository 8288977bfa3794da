"""Commenters: posting comments and replies, and every way a post can be turned down."""

import json
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import moderation
from comments.models import Comment

from ..factories import ArticleFactory, UserFactory, guest_data, post, post_url

pytestmark = pytest.mark.django_db


def test_guest_posts_a_comment_and_is_redirected_to_its_permalink(client, article):
    response = client.post(post_url(article), guest_data())
    comment = Comment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/comments/{comment.pk}/"
    assert comment.guest_name == "Siobhán Ní Bhriain"
    assert comment.guest_email == "siobhan@example.org"
    assert comment.user is None
    follow = client.get(response["Location"])
    assert "Your comment was posted." in follow.content.decode()


def test_reply_is_stored_under_its_parent(client, article):
    parent = post(article, "top")
    client.post(post_url(article), guest_data(body="a reply", parent=str(parent.pk)))
    reply = Comment.objects.get(body="a reply")
    assert reply.parent == parent
    assert reply.thread_id == parent.pk


def test_signed_in_reader_posts_under_the_account(client, article):
    user = UserFactory(display_name="Łukasz Nowak")
    client.force_login(user)
    response = client.post(post_url(article), {"body": "Members have opinions too."})
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.user == user
    assert comment.guest_name == ""
    assert "Łukasz Nowak" in client.get(article.get_absolute_url()).content.decode()


def test_signed_in_reader_sees_no_name_or_email_fields(client, article):
    client.force_login(UserFactory())
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'name="body"' in html
    assert 'name="name"' not in html and 'name="email"' not in html


def test_guest_form_has_contract_field_names(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    for field in ("body", "parent", "name", "email"):
        assert f'name="{field}"' in html


def test_source_is_stored_as_typed_and_rendered_once(client, article):
    body = "Typos stay: “teh” – and *so* does this.\n\nSee https://example.org/report"
    client.post(post_url(article), guest_data(body=body))
    comment = Comment.objects.get()
    assert comment.body == body
    assert "<em>so</em>" in comment.body_html
    assert '<a href="https://example.org/report" rel="nofollow ugc noopener">' in comment.body_html


def test_windows_line_endings_are_normalized(client, article):
    client.post(post_url(article), guest_data(body="one\r\ntwo"))
    assert Comment.objects.get().body == "one\ntwo"


def test_hostile_body_renders_inert(client, article):
    body = "<script>alert(1)</script><img src=x onerror=alert(2)>[x](javascript:alert(3))"
    client.post(post_url(article), guest_data(body=body))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def assert_rejected_and_kept(response, text, message):
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    if text:
        assert text in html


def test_empty_body_is_rejected_with_a_message(client, article):
    response = client.post(post_url(article), guest_data(body="   \n  "))
    assert_rejected_and_kept(response, "Siobhán", "Please write your comment before posting it.")
    assert not Comment.objects.exists()


def test_too_long_body_is_rejected_and_text_kept(client, article):
    body = "word " * 1100
    response = client.post(post_url(article), guest_data(body=body))
    assert_rejected_and_kept(response, body.strip()[:200], "the limit is 5,000")
    assert not Comment.objects.exists()


def test_body_of_exactly_the_limit_is_accepted(client, article):
    response = client.post(post_url(article), guest_data(body="x" * 5000))
    assert response.status_code == 303


def test_guest_without_name_is_rejected_and_text_kept(client, article):
    response = client.post(post_url(article), guest_data(name=""))
    assert_rejected_and_kept(response, "I was at the meeting too.", "Please give the name")


def test_guest_without_email_is_rejected_and_text_kept(client, article):
    response = client.post(post_url(article), guest_data(email=""))
    assert_rejected_and_kept(response, "I was at the meeting too.", "Please give your email")


def test_guest_with_invalid_email_is_rejected_and_text_kept(client, article):
    response = client.post(post_url(article), guest_data(email="not-an-address"))
    assert_rejected_and_kept(response, "I was at the meeting too.", "valid email")


def test_reply_to_comment_on_another_article_is_rejected_and_text_kept(client, article):
    elsewhere = post(ArticleFactory(), "elsewhere")
    response = client.post(post_url(article), guest_data(parent=str(elsewhere.pk)))
    assert_rejected_and_kept(response, "I was at the meeting too.", "not part of this discussion")
    assert Comment.objects.count() == 1


def test_reply_to_removed_comment_is_rejected_and_text_kept(client, article):
    parent = post(article, "removed soon")
    moderation.set_status(Comment.objects.filter(pk=parent.pk), Comment.Status.REMOVED)
    response = client.post(post_url(article), guest_data(parent=str(parent.pk)))
    assert_rejected_and_kept(response, "I was at the meeting too.", "no longer visible")


@pytest.mark.parametrize("parent", ["abc", "-3", "99999999", "1e3", "٣", "9" * 30])
def test_reply_to_unknown_parent_is_rejected_and_text_kept(client, article, parent):
    response = client.post(post_url(article), guest_data(parent=parent))
    assert_rejected_and_kept(response, "I was at the meeting too.", "replying to")


def test_closed_article_rejects_new_comment_and_keeps_text(client):
    article = ArticleFactory(comments_mode="closed")
    response = client.post(post_url(article), guest_data())
    assert_rejected_and_kept(response, "I was at the meeting too.", "closed")
    assert not Comment.objects.exists()


def test_disabled_article_rejects_new_comment_and_keeps_text(client):
    article = ArticleFactory(comments_mode="disabled")
    response = client.post(post_url(article), guest_data())
    assert_rejected_and_kept(response, "I was at the meeting too.", "closed")


def test_null_character_is_rejected_with_a_message(client, article):
    response = client.post(post_url(article), guest_data(body="nul\x00here"))
    assert_rejected_and_kept(response, "", "Null characters are not allowed")


def test_posting_to_unknown_article_is_not_found(client):
    response = client.post("/articles/no-such-story/comments/", guest_data())
    assert response.status_code == 404


@pytest.mark.parametrize(
    "unpublished",
    [{"status": "draft"}, {"published_at": timezone.now() + timedelta(hours=1)}],
    ids=["draft", "scheduled"],
)
def test_posting_to_an_unpublished_article_is_not_found(client, unpublished):
    article = ArticleFactory(**unpublished)
    assert client.post(post_url(article), guest_data()).status_code == 404
    assert not Comment.objects.exists()


def test_get_on_post_url_is_not_allowed(client, article):
    assert client.get(post_url(article)).status_code == 405


def test_same_form_submitted_twice_makes_one_comment(client, article):
    first = client.post(post_url(article), guest_data())
    second = client.post(post_url(article), guest_data())
    assert Comment.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_same_text_from_another_guest_is_a_new_comment(client, article):
    client.post(post_url(article), guest_data())
    client.post(post_url(article), guest_data(email="someone.else@example.org"))
    assert Comment.objects.count() == 2


def test_same_text_as_a_reply_in_the_same_discussion_is_a_new_comment(client, article):
    client.post(post_url(article), guest_data(body="Agreed."))
    parent = post(article, "The tram should run later.")
    client.post(post_url(article), guest_data(body="Agreed.", parent=str(parent.pk)))
    reply = Comment.objects.get(body="Agreed.", parent=parent)
    assert reply.is_approved
    assert Comment.objects.filter(body="Agreed.").count() == 2


def test_same_text_to_the_same_place_after_the_duplicate_window_is_a_new_comment(
    client, article, settings
):
    client.post(post_url(article), guest_data(body="Agreed."))
    earlier = timezone.now() - timedelta(seconds=settings.NEWSBOARD_DUPLICATE_WINDOW_SECONDS + 1)
    Comment.objects.update(created_at=earlier)
    client.post(post_url(article), guest_data(body="Agreed."))
    assert Comment.objects.count() == 2
    assert Comment.objects.latest("created_at").is_approved


def test_counts_follow_posting_and_moderation(client, article):
    top = post(article, "top")
    post(article, "reply", parent=top)
    article.refresh_from_db()
    top.refresh_from_db()
    assert (article.comment_count, top.reply_count) == (2, 1)
    moderation.set_status(Comment.objects.filter(parent=top), Comment.Status.REMOVED)
    article.refresh_from_db()
    top.refresh_from_db()
    assert (article.comment_count, top.reply_count) == (1, 0)


def test_returning_guest_finds_name_and_email_filled_in(client, article):
    client.post(post_url(article), guest_data())
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'value="Siobhán Ní Bhriain"' in html
    assert 'value="siobhan@example.org"' in html


def test_returning_guest_finds_their_name_even_after_blank_forms_were_shown(client, article):
    Client().get(article.get_absolute_url())  # a new reader's blank form, kept once made
    client.post(post_url(article), guest_data())
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'value="Siobhán Ní Bhriain"' in html
    assert 'value="Siobhán Ní Bhriain"' not in Client().get(article.get_absolute_url()).text


def test_a_guest_posts_without_a_session(client, article, settings):
    assert client.post(post_url(article), guest_data()).status_code == 303
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    assert not Session.objects.exists()


@pytest.mark.parametrize("secure", [True, False], ids=["https", "plain-http"])
def test_the_guest_cookie_is_kept_from_scripts_and_other_sites_like_the_session(
    client, article, settings, secure
):
    settings.SESSION_COOKIE_SECURE = secure
    client.post(post_url(article), guest_data())
    cookie = client.cookies[settings.NEWSBOARD_GUEST_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert bool(cookie["secure"]) is secure


def test_a_guest_who_alters_their_cookie_gains_no_one_elses_comment(client, article, settings):
    settings.NEWSBOARD_MODERATION = "pre"
    held = post(article, "Someone else's comment, held.")
    client.post(post_url(article), guest_data(body="Mine."))
    guest_cookie = settings.NEWSBOARD_GUEST_COOKIE_NAME
    payload, timestamp, signature = client.cookies[guest_cookie].value.rsplit(":", 2)
    state = json.loads(signing.b64_decode(payload.encode()))
    state["comments"].append(held.pk)
    altered = signing.b64_encode(json.dumps(state).encode()).decode()
    client.cookies[guest_cookie] = f"{altered}:{timestamp}:{signature}"
    assert client.get(reverse("comments:edit", kwargs={"pk": held.pk})).status_code == 403
    assert "Someone else's comment, held." not in client.get(article.get_absolute_url()).text


def test_signing_out_forgets_the_name_and_email_given_as_a_guest(client, article):
    client.post(post_url(article), guest_data())
    client.force_login(UserFactory())
    client.post(reverse("logout"))
    assert 'value="Siobhán Ní Bhriain"' not in client.get(article.get_absolute_url()).text


def test_reply_page_quotes_parent_and_sets_parent_field(client, article):
    parent = post(article, "The *original* point.", name="Hisham Saber")
    html = client.get(f"/comments/{parent.pk}/reply/").content.decode()
    assert "Reply to Hisham Saber" in html
    assert "The <em>original</em> point." in html
    assert f'name="parent" value="{parent.pk}"' in html


def test_reply_page_for_hidden_comment_is_not_found(client, article):
    parent = post(article, "gone")
    moderation.set_status(Comment.objects.filter(pk=parent.pk), Comment.Status.SPAM)
    assert client.get(f"/comments/{parent.pk}/reply/").status_code == 404


def test_csrf_is_enforced_on_posting(article):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(post_url(article), guest_data())
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_guest_posts_comment_and_reply_over_plain_http_with_csrf_token(article):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    page = browser.get(article.get_absolute_url())
    token = page.context["csrf_token"]
    browser.post(
        post_url(article), {**guest_data(body="top via form"), "csrfmiddlewaretoken": str(token)}
    )
    top = Comment.objects.get()
    response = browser.post(
        post_url(article),
        {
            **guest_data(body="reply via form"),
            "parent": str(top.pk),
            "csrfmiddlewaretoken": str(token),
        },
    )
    assert response.status_code == 303
    assert Comment.objects.get(body="reply via form").parent == top


def test_members_only_site_asks_guests_to_sign_in(client, article, settings):
    settings.NEWSBOARD_ALLOW_GUESTS = False
    html = client.get(article.get_absolute_url()).content.decode()
    assert "to join the discussion" in html
    assert 'name="email"' not in html


def test_members_only_site_refuses_a_guest_post_and_keeps_the_text(client, article, settings):
    settings.NEWSBOARD_ALLOW_GUESTS = False
    response = client.post(post_url(article), guest_data(body="let me in please"))
    assert response.status_code == 400
    assert "Please sign in to comment" in response.content.decode()
    assert "let me in please" in response.content.decode()
    assert not Comment.objects.exists()


def test_members_only_site_takes_members_comments(client, article, settings):
    settings.NEWSBOARD_ALLOW_GUESTS = False
    client.force_login(UserFactory())
    assert client.post(post_url(article), {"body": "member here"}).status_code == 303
