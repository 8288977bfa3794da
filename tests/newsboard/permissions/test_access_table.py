"""Who may do what: every page and action of the site and the admin, for every kind of
visitor (see visitors.py), as a table."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from .visitors import ROLES, SIGNED_IN, STAFF, fixed, slug_url, url, user_url

pytestmark = pytest.mark.django_db


def answer(response):
    """A response as the table writes it: the status code, or where a redirect leads."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return "admin sign-in"
        if location.startswith(reverse("login")):
            return "sign-in"
        return "302"
    return response.status_code


# The table --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: object  # World → str
    expected: dict  # role → answer
    data: object = None  # World → dict of form data


def everyone(answer):
    return dict.fromkeys(ROLES, answer)


def only(roles, allowed, refused):
    return {role: allowed if role in roles else refused for role in ROLES}


def signed_in(allowed):
    return only(SIGNED_IN, allowed, "sign-in")


def admin(moderator, superuser):
    """An admin page: people who are not staff are sent to the admin's sign-in."""
    return {**everyone("admin sign-in"), "moderator": moderator, "superuser": superuser}


def profile_of(role):
    return lambda world: reverse("profile", kwargs={"username": world.users[role].username})


def form(**data):
    return lambda world: data


READING = [
    Case("front-page", "get", fixed(reverse("articles:list")), everyone(200)),
    Case("article-page", "get", slug_url("articles:detail"), everyone(200)),
    Case("draft-article-page", "get", slug_url("articles:detail", "draft"), only(STAFF, 200, 404)),
    Case("comment-page", "get", url("comments:detail", "members_comment"), everyone(200)),
    Case(
        "held-comment-page",
        "get",
        url("comments:detail", "held_comment"),
        only({"member", *STAFF}, 200, 404),
    ),
    Case("reply-page", "get", url("comments:reply", "members_comment"), everyone(200)),
    Case(
        "reply-page-of-a-held-comment",
        "get",
        url("comments:reply", "held_comment"),
        only({"member", *STAFF}, 200, 404),
    ),
    Case(
        "new-comment-count",
        "get",
        lambda world: slug_url("comments:new_comments")(world) + "?since=2020-01-01T00:00Z",
        everyone(200),
    ),
    Case("profile", "get", profile_of("member"), everyone(200)),
    Case("unknown-profile", "get", fixed("/users/nobody-by-this-name/"), everyone(404)),
    Case("health-check", "get", fixed(reverse("healthz")), everyone(200)),
]

POSTING = [
    Case(
        "post-a-comment",
        "post",
        slug_url("comments:post"),
        {**everyone(303), "banned-member": 400},
        form(body="May I?", name="Gwen Guest", email="gwen@example.org"),
    ),
    Case("post-a-comment-by-get", "get", slug_url("comments:post"), everyone(405)),
    Case(
        "edit-page-of-a-members-comment",
        "get",
        url("comments:edit", "members_comment"),
        only({"member"}, 200, 403),
    ),
    Case(
        "edit-a-members-comment",
        "post",
        url("comments:edit", "members_comment"),
        only({"member"}, 303, 403),
        form(body="Edited."),
    ),
    Case(
        "edit-page-of-a-guests-comment",
        "get",
        url("comments:edit", "guests_comment"),
        only({"guest"}, 200, 403),
    ),
    Case(
        "edit-a-guests-comment",
        "post",
        url("comments:edit", "guests_comment"),
        only({"guest"}, 303, 403),
        form(body="Edited."),
    ),
    Case(
        "delete-page-of-a-members-comment",
        "get",
        url("comments:delete", "members_comment"),
        only({"member"}, 200, 403),
    ),
    Case(
        "delete-a-members-comment",
        "post",
        url("comments:delete", "members_comment"),
        only({"member"}, 303, 403),
    ),
    Case(
        "delete-a-guests-comment",
        "post",
        url("comments:delete", "guests_comment"),
        only({"guest"}, 303, 403),
    ),
    # Members vote (their own comment is refused with a message: see the tests below).
    Case(
        "vote",
        "post",
        url("comments:vote", "members_comment"),
        signed_in(303),
        form(value="up"),
    ),
    Case("vote-by-get", "get", url("comments:vote", "members_comment"), everyone(405)),
    Case("report-page", "get", url("comments:report", "members_comment"), everyone(200)),
    Case(
        "report",
        "post",
        url("comments:report", "members_comment"),
        everyone(303),
        form(reason="spam"),
    ),
    Case(
        "report-page-of-a-held-comment",
        "get",
        url("comments:report", "held_comment"),
        everyone(404),
    ),
    Case(
        "moderate-on-the-public-page",
        "post",
        url("comments:moderate", "members_comment"),
        only(STAFF, 303, 403),
        form(decision="feature"),
    ),
    Case("moderate-by-get", "get", url("comments:moderate", "members_comment"), everyone(405)),
    Case("follow-page", "get", slug_url("comments:follow"), everyone(200)),
    Case(
        "follow",
        "post",
        slug_url("comments:follow"),
        everyone(303),
        form(email="follower@example.org"),
    ),
]

ACCOUNTS = [
    Case("account-settings", "get", fixed(reverse("account_settings")), signed_in(200)),
    Case("delete-account-page", "get", fixed(reverse("delete_account")), signed_in(200)),
    Case("account-data", "get", fixed(reverse("account_data")), signed_in(200)),
    Case("resend-confirmation", "post", fixed(reverse("resend_confirmation")), signed_in(200)),
    Case("password-change-page", "get", fixed(reverse("password_change")), signed_in(200)),
    Case("signup-page", "get", fixed(reverse("signup")), everyone(200)),
]

ADMIN = [
    Case("admin-index", "get", fixed(reverse("admin:index")), admin(200, 200)),
    # Comments: moderators decide; nobody adds; only superusers delete for good.
    Case(
        "admin-comment-queue",
        "get",
        fixed(reverse("admin:comments_comment_changelist")),
        admin(200, 200),
    ),
    Case(
        "admin-comment",
        "get",
        url("admin:comments_comment_change", "members_comment"),
        admin(200, 200),
    ),
    Case("admin-comment-add", "get", fixed(reverse("admin:comments_comment_add")), admin(403, 403)),
    Case(
        "admin-comment-hard-delete",
        "get",
        url("admin:comments_comment_delete", "members_comment"),
        admin(403, 200),
    ),
    # The moderation log: read by both, changed by nobody.
    Case(
        "admin-moderation-log",
        "get",
        fixed(reverse("admin:comments_moderationaction_changelist")),
        admin(200, 200),
    ),
    Case(
        "admin-moderation-log-entry",
        "get",
        url("admin:comments_moderationaction_change", "decision"),
        admin(200, 200),
    ),
    Case(
        "admin-moderation-log-entry-change",
        "post",
        url("admin:comments_moderationaction_change", "decision"),
        admin(403, 403),
        form(reason="Rewritten history"),
    ),
    Case(
        "admin-moderation-log-add",
        "get",
        fixed(reverse("admin:comments_moderationaction_add")),
        admin(403, 403),
    ),
    Case(
        "admin-moderation-log-entry-delete",
        "get",
        url("admin:comments_moderationaction_delete", "decision"),
        admin(403, 403),
    ),
    Case(
        "admin-reports",
        "get",
        fixed(reverse("admin:comments_report_changelist")),
        admin(200, 200),
    ),
    # The word and block lists are the moderators' to edit.
    *[
        Case(f"admin-{name}", "get", path, admin(200, 200))
        for name, path in [
            ("phrases", fixed(reverse("admin:comments_moderatedphrase_changelist"))),
            ("phrase-add", fixed(reverse("admin:comments_moderatedphrase_add"))),
            ("phrase", url("admin:comments_moderatedphrase_change", "phrase")),
            ("phrase-delete", url("admin:comments_moderatedphrase_delete", "phrase")),
            ("blocks", fixed(reverse("admin:comments_block_changelist"))),
            ("block-add", fixed(reverse("admin:comments_block_add"))),
            ("block", url("admin:comments_block_change", "block")),
            ("block-delete", url("admin:comments_block_delete", "block")),
        ]
    ],
    # Accounts: moderators see them (to ban, suspend and trust) but do not edit them.
    Case("admin-users", "get", fixed(reverse("admin:newsboard_user_changelist")), admin(200, 200)),
    Case("admin-user", "get", user_url("admin:newsboard_user_change", "member"), admin(200, 200)),
    Case("admin-user-add", "get", fixed(reverse("admin:newsboard_user_add")), admin(403, 200)),
    Case(
        "admin-user-delete",
        "get",
        user_url("admin:newsboard_user_delete", "member"),
        admin(403, 200),
    ),
    Case(
        "admin-articles",
        "get",
        fixed(reverse("admin:articles_article_changelist")),
        admin(200, 200),
    ),
    Case("admin-article-add", "get", fixed(reverse("admin:articles_article_add")), admin(403, 200)),
    Case("admin-groups", "get", fixed(reverse("admin:auth_group_changelist")), admin(403, 200)),
]

TABLE = [*READING, *POSTING, *ACCOUNTS, *ADMIN]


@pytest.mark.parametrize(
    ("case", "role"),
    [pytest.param(case, role, id=f"{case.name}-as-{role}") for case in TABLE for role in ROLES],
)
def test_visitor_gets_the_answer_the_table_gives(world, case, role):
    client = world.visitor(role)
    data = case.data(world) if case.data else {}
    response = getattr(client, case.method)(case.url(world), data)
    assert answer(response) == case.expected[role]


def test_table_covers_every_visitor_in_every_row():
    assert all(set(case.expected) == set(ROLES) for case in TABLE)
    assert len({case.name for case in TABLE}) == len(TABLE)
