"""CSRF: every state-changing POST is refused without a token, except the one-click
unsubscribe that mail clients send (RFC 8058)."""

from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from comments import email_links, notifications
from comments.models import Follow

from .visitors import fixed, slug_url, url, user_url

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Post:
    name: str
    role: str
    url: object  # World → str
    data: dict = field(default_factory=dict)


STATE_CHANGING = [
    Post("post-a-comment", "anonymous", slug_url("comments:post"), {"body": "x", "name": "G"}),
    Post("follow", "member", slug_url("comments:follow")),
    Post("report", "anonymous", url("comments:report", "members_comment"), {"reason": "spam"}),
    Post("vote", "other-member", url("comments:vote", "members_comment"), {"value": "up"}),
    Post("edit", "member", url("comments:edit", "members_comment"), {"body": "x"}),
    Post("delete", "member", url("comments:delete", "members_comment")),
    Post(
        "moderate",
        "moderator",
        url("comments:moderate", "members_comment"),
        {"decision": "feature"},
    ),
    Post("confirm-follow", "anonymous", fixed(reverse("comments:confirm_follow", args=["x"]))),
    Post("resend-confirmation", "member", fixed(reverse("resend_confirmation"))),
    Post("signup", "anonymous", fixed(reverse("signup")), {"username": "new"}),
    Post("sign-in", "anonymous", fixed(reverse("login")), {"username": "member"}),
    Post("sign-out", "member", fixed(reverse("logout"))),
    Post("account-settings", "member", fixed(reverse("account_settings")), {"display_name": "x"}),
    Post("delete-account", "member", fixed(reverse("delete_account")), {"comments": "keep"}),
    Post("password-change", "member", fixed(reverse("password_change"))),
    Post("password-reset", "anonymous", fixed(reverse("password_reset")), {"email": "a@b.org"}),
    Post("admin-sign-in", "anonymous", fixed(reverse("admin:login")), {"username": "superuser"}),
    Post(
        "admin-action",
        "moderator",
        fixed(reverse("admin:comments_comment_changelist")),
        {"action": "approve"},
    ),
    Post(
        "admin-comment-change",
        "moderator",
        url("admin:comments_comment_change", "members_comment"),
        {"status": "removed"},
    ),
    Post(
        "admin-phrase-add",
        "moderator",
        fixed(reverse("admin:comments_moderatedphrase_add")),
        {"phrase": "x"},
    ),
    Post(
        "admin-user-change",
        "superuser",
        user_url("admin:newsboard_user_change", "member"),
        {"username": "x"},
    ),
]


@pytest.mark.parametrize("request_", [pytest.param(p, id=p.name) for p in STATE_CHANGING])
def test_state_changing_post_without_a_csrf_token_is_refused(world, request_):
    client = world.visitor(request_.role, enforce_csrf_checks=True)
    response = client.post(request_.url(world), request_.data)
    assert response.status_code == 403
    assert b"CSRF" in response.content


def test_state_changing_post_with_a_csrf_token_gets_past_the_check(world):
    client = world.visitor("member", enforce_csrf_checks=True)
    token = "a" * 32
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    response = client.post(
        reverse("comments:follow", kwargs={"slug": world.article.slug}),
        {"csrfmiddlewaretoken": token},
    )
    assert response.status_code == 303


def unsubscribe_url(email, scope="all"):
    return reverse(
        "comments:unsubscribe", kwargs={"token": email_links.unsubscribe_token(email, scope)}
    )


def test_one_click_unsubscribe_needs_no_csrf_token_by_design(world):
    """Mail clients POST the List-Unsubscribe link without a form (RFC 8058): the view
    is csrf_exempt and the signed token is the key."""
    follower = world.users["other-member"]
    notifications.follow(world.article, user=follower)
    client = Client(enforce_csrf_checks=True)
    response = client.post(unsubscribe_url(follower.email))
    assert response.status_code == 200
    assert not Follow.objects.filter(user=follower).exists()


def test_one_click_unsubscribe_with_a_forged_token_changes_nothing(world):
    follower = world.users["other-member"]
    notifications.follow(world.article, user=follower)
    token = email_links.unsubscribe_token(follower.email, "all")
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("comments:unsubscribe", kwargs={"token": forged}))
    assert response.status_code == 400
    assert Follow.objects.filter(user=follower).exists()
