"""Who may do what: every page and action of the site and the admin, for every kind of
visitor, as a table; then the rules a status code alone cannot show, and CSRF.

The visitors: anonymous; a guest (a browser that posted a comment); a member who wrote
a comment; another member; a banned member; a moderator (staff in the Moderators
group); a superuser. They share one set of articles, comments and cookies made once
for the module; each test's changes are rolled back after it.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import email_links, moderation, notifications
from comments.models import (
    Block,
    Comment,
    Follow,
    ModeratedPhrase,
    ModerationAction,
    Report,
    Vote,
)
from newsboard.accounts.models import User

from ...factories import ArticleFactory, UserFactory, post

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "guest",
    "member",
    "other-member",
    "banned-member",
    "moderator",
    "superuser",
)
SIGNED_IN = {"member", "other-member", "banned-member", "moderator", "superuser"}
STAFF = {"moderator", "superuser"}


@dataclass
class World:
    """What every test here reads and acts on."""

    article: Article
    draft: Article
    users: dict  # role → User
    cookies: dict  # role → {name: value}: the session's, or the guest's
    members_comment: Comment  # by "member", approved
    guests_comment: Comment  # by "guest", approved
    held_comment: Comment  # by "member", pending
    featured_comment: Comment  # by "other-member", approved and featured
    decision: ModerationAction
    phrase: ModeratedPhrase
    block: Block

    def visitor(self, role, **client_options):
        """A browser with this role's cookies."""
        client = Client(**client_options)
        for name, value in self.cookies.get(role, {}).items():
            client.cookies[name] = value
        return client


def cookies_of(user):
    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        article = ArticleFactory(headline="Who may do what")
        draft = ArticleFactory(status=Article.Status.DRAFT)
        moderators = Group.objects.get(name="Moderators")
        users = {
            "member": UserFactory(username="member"),
            "other-member": UserFactory(username="other-member"),
            "banned-member": UserFactory(username="banned-member", banned_at=timezone.now()),
            "moderator": UserFactory(username="moderator", is_staff=True),
            "superuser": UserFactory(username="superuser", is_staff=True, is_superuser=True),
        }
        users["moderator"].groups.add(moderators)
        cookies = {role: cookies_of(user) for role, user in users.items()}

        guest = Client()
        guest.post(
            reverse("comments:post", kwargs={"slug": article.slug}),
            {"body": "A guest's comment.", "name": "Gwen Guest", "email": "gwen@example.org"},
        )
        guest_cookie = settings.NEWSBOARD_GUEST_COOKIE_NAME
        cookies["guest"] = {guest_cookie: guest.cookies[guest_cookie].value}
        guests_comment = Comment.objects.get(guest_name="Gwen Guest")

        members_comment = post(article, "A member's comment.", user=users["member"])
        held_comment = post(article, "A member's held comment.", user=users["member"])
        moderation.set_status(Comment.objects.filter(pk=held_comment.pk), Comment.Status.PENDING)
        featured_comment = post(article, "A staff pick.", user=users["other-member"])
        moderation.set_featured(
            Comment.objects.filter(pk=featured_comment.pk), True, by=users["moderator"]
        )
        yield World(
            article=article,
            draft=draft,
            users=users,
            cookies=cookies,
            members_comment=members_comment,
            guests_comment=guests_comment,
            held_comment=held_comment,
            featured_comment=featured_comment,
            decision=ModerationAction.objects.filter(comment=held_comment).latest("pk"),
            phrase=ModeratedPhrase.objects.create(phrase="zzyzx", action="hold"),
            block=Block.objects.create(kind=Block.Kind.EMAIL, value="spammer@example.org"),
        )
        transaction.set_rollback(True)


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


def url(name, *objects, query=""):
    """world → the URL of a named route for objects of the world (attribute names)."""

    def resolve(world):
        args = [getattr(world, attribute).pk for attribute in objects]
        return reverse(name, args=args) + query

    return resolve


def slug_url(name, attribute="article"):
    return lambda world: reverse(name, kwargs={"slug": getattr(world, attribute).slug})


def user_url(name, role):
    return lambda world: reverse(name, args=[world.users[role].pk])


def profile_of(role):
    return lambda world: reverse("profile", kwargs={"username": world.users[role].username})


def fixed(path):
    return lambda world: path


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


# Admin actions: offered by permission, and done only by those offered them ----------------

COMMENT_ACTIONS = {"approve", "remove", "mark_as_spam", "feature", "unfeature"}
USER_ACTIONS = {
    *("ban", "ban_and_remove_comments", "suspend_for_a_day", "suspend_for_a_week"),
    *("reinstate", "trust", "stop_trusting"),
}


def offered_actions(response):
    action_form = response.context["action_form"] if response.status_code == 200 else None
    if action_form is None:
        return set()
    return {name for name, _label in action_form.fields["action"].choices if name}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("moderator", COMMENT_ACTIONS),
        ("superuser", COMMENT_ACTIONS | {"delete_selected"}),
    ],
)
def test_comment_queue_offers_moderation_actions_and_bulk_delete_only_to_superusers(
    world, role, expected
):
    response = world.visitor(role).get(reverse("admin:comments_comment_changelist"))
    assert offered_actions(response) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("moderator", USER_ACTIONS), ("superuser", USER_ACTIONS | {"delete_selected"})],
)
def test_user_list_offers_ban_actions_and_bulk_delete_only_to_superusers(world, role, expected):
    response = world.visitor(role).get(reverse("admin:newsboard_user_changelist"))
    assert offered_actions(response) == expected


def staff_without_moderation(world):
    """Staff who may see accounts but lacks newsboard.moderate_user."""
    clerk = UserFactory(username="clerk", is_staff=True)
    clerk.user_permissions.add(
        Permission.objects.get(content_type__app_label="newsboard", codename="view_user")
    )
    client = Client()
    client.force_login(clerk)
    return client


def test_ban_actions_need_the_moderate_user_permission(world):
    client = staff_without_moderation(world)
    response = client.get(reverse("admin:newsboard_user_changelist"))
    assert response.status_code == 200
    assert offered_actions(response) == set()
    target = world.users["other-member"]
    run_action(client, "admin:newsboard_user_changelist", "ban", [target])
    target.refresh_from_db()
    assert target.banned_at is None


@dataclass(frozen=True)
class Action:
    """An admin action on one row of the world, and how to tell that it was done."""

    changelist: str
    name: str
    target: object  # World → model instance
    done: object  # World, instance → bool
    allowed: frozenset
    data: dict = field(default_factory=dict)


def reloaded(instance):
    return type(instance).objects.filter(pk=instance.pk).first()


def comment_status_is(status):
    return lambda world, comment: reloaded(comment).status == status


ACTIONS = [
    Action(
        "admin:comments_comment_changelist",
        "approve",
        lambda world: world.held_comment,
        comment_status_is(Comment.Status.APPROVED),
        frozenset(STAFF),
    ),
    Action(
        "admin:comments_comment_changelist",
        "remove",
        lambda world: world.members_comment,
        comment_status_is(Comment.Status.REMOVED),
        frozenset(STAFF),
        {"post": "yes", "removal_reason": "spam"},
    ),
    Action(
        "admin:comments_comment_changelist",
        "mark_as_spam",
        lambda world: world.members_comment,
        comment_status_is(Comment.Status.SPAM),
        frozenset(STAFF),
    ),
    Action(
        "admin:comments_comment_changelist",
        "feature",
        lambda world: world.members_comment,
        lambda world, comment: reloaded(comment).featured_at is not None,
        frozenset(STAFF),
    ),
    Action(
        "admin:comments_comment_changelist",
        "unfeature",
        lambda world: world.featured_comment,
        lambda world, comment: reloaded(comment).featured_at is None,
        frozenset(STAFF),
    ),
    Action(
        "admin:comments_comment_changelist",
        "delete_selected",
        lambda world: world.guests_comment,
        lambda world, comment: reloaded(comment) is None,
        frozenset({"superuser"}),
        {"post": "yes"},
    ),
    Action(
        "admin:newsboard_user_changelist",
        "ban",
        lambda world: world.users["other-member"],
        lambda world, user: reloaded(user).banned_at is not None,
        frozenset(STAFF),
    ),
    Action(
        "admin:newsboard_user_changelist",
        "ban_and_remove_comments",
        lambda world: world.users["member"],
        lambda world, user: (
            reloaded(user).banned_at is not None
            and reloaded(world.members_comment).status == Comment.Status.REMOVED
        ),
        frozenset(STAFF),
    ),
    Action(
        "admin:newsboard_user_changelist",
        "suspend_for_a_day",
        lambda world: world.users["other-member"],
        lambda world, user: reloaded(user).suspended_until is not None,
        frozenset(STAFF),
    ),
    Action(
        "admin:newsboard_user_changelist",
        "suspend_for_a_week",
        lambda world: world.users["other-member"],
        lambda world, user: reloaded(user).suspended_until is not None,
        frozenset(STAFF),
    ),
    Action(
        "admin:newsboard_user_changelist",
        "reinstate",
        lambda world: world.users["banned-member"],
        lambda world, user: reloaded(user).banned_at is None,
        frozenset(STAFF),
    ),
    Action(
        "admin:newsboard_user_changelist",
        "trust",
        lambda world: world.users["other-member"],
        lambda world, user: reloaded(user).trusted,
        frozenset(STAFF),
    ),
    Action(
        "admin:newsboard_user_changelist",
        "stop_trusting",
        lambda world: world.users["other-member"],
        lambda world, user: not reloaded(user).trusted,
        frozenset(STAFF),
    ),
    Action(
        "admin:newsboard_user_changelist",
        "delete_selected",
        # An account without comments: see the expected failure below for the others.
        lambda world: world.users["banned-member"],
        lambda world, user: reloaded(user) is None,
        frozenset({"superuser"}),
        {"post": "yes"},
    ),
]


def run_action(client, changelist, action, rows, **data):
    return client.post(
        reverse(changelist),
        {"action": action, "_selected_action": [row.pk for row in rows], "index": 0, **data},
    )


@pytest.mark.parametrize(
    ("action", "role"),
    [
        pytest.param(action, role, id=f"{action.changelist.split('_')[1]}-{action.name}-as-{role}")
        for action in ACTIONS
        for role in ROLES
    ],
)
def test_admin_action_is_done_only_by_those_allowed_it(world, action, role):
    target = action.target(world)
    if action.name == "stop_trusting":
        type(target).objects.filter(pk=target.pk).update(trusted=True)
    run_action(world.visitor(role), action.changelist, action.name, [target], **action.data)
    assert action.done(world, target) == (role in action.allowed)


def test_moderator_banning_a_staff_account_leaves_it_alone(world):
    superuser = world.users["superuser"]
    run_action(world.visitor("moderator"), "admin:newsboard_user_changelist", "ban", [superuser])
    assert reloaded(superuser).banned_at is None


# Rules a status code alone does not show ---------------------------------------------------


def vote_as(world, role, comment, value="up"):
    return world.visitor(role).post(
        reverse("comments:vote", args=[comment.pk]),
        {"value": value},
        headers={"accept": "application/json"},
    )


def test_voting_twice_counts_one_vote(world):
    comment = world.members_comment
    vote_as(world, "other-member", comment)
    vote_as(world, "other-member", comment)
    assert Vote.objects.filter(comment=comment).count() == 1
    assert reloaded(comment).upvotes == 1


def test_vote_on_ones_own_comment_is_refused(world):
    response = vote_as(world, "member", world.members_comment)
    assert response.status_code == 400
    assert not Vote.objects.filter(comment=world.members_comment).exists()


def test_guest_cannot_vote(world):
    response = vote_as(world, "guest", world.members_comment)
    assert response.status_code == 403
    assert not Vote.objects.filter(comment=world.members_comment).exists()


@pytest.mark.parametrize("role", ["guest", "other-member"])
def test_reporting_twice_makes_one_report(world, role):
    comment = world.members_comment
    client = world.visitor(role)
    for _ in range(2):
        client.post(reverse("comments:report", args=[comment.pk]), {"reason": "spam"})
    assert Report.objects.filter(comment=comment).count() == 1
    assert reloaded(comment).report_count == 1


def test_following_again_unfollows(world):
    client = world.visitor("other-member")
    follow_url = reverse("comments:follow", kwargs={"slug": world.article.slug})
    following = Follow.objects.filter(user=world.users["other-member"], article=world.article)
    client.post(follow_url)
    assert following.exists()
    client.post(follow_url)
    assert not following.exists()


def test_account_data_holds_only_the_members_own_comments(world):
    data = world.visitor("member").get(reverse("account_data")).json()
    assert data["account"]["username"] == "member"
    assert {comment["id"] for comment in data["comments"]} == {
        world.members_comment.pk,
        world.held_comment.pk,
    }


def admin_change_form_data(response):
    """What the admin's change form would send back unchanged: the editable fields and
    the inlines' management forms."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
    return data


def test_moderator_decides_on_a_comment_in_the_admin_but_cannot_rewrite_it(world):
    comment = world.held_comment
    client = world.visitor("moderator")
    change_url = reverse("admin:comments_comment_change", args=[comment.pk])
    data = admin_change_form_data(client.get(change_url))
    response = client.post(
        change_url,
        {**data, "status": "approved", "body": "Rewritten by a moderator", "guest_name": "X"},
    )
    assert response.status_code == 302
    comment = reloaded(comment)
    assert comment.status == Comment.Status.APPROVED
    assert comment.body == "A member's held comment."


def test_moderator_cannot_change_an_account_in_the_admin(world):
    member = world.users["member"]
    response = world.visitor("moderator").post(
        reverse("admin:newsboard_user_change", args=[member.pk]),
        {"username": "renamed", "display_name": "Renamed", "is_staff": "on"},
    )
    assert response.status_code == 403
    assert reloaded(member).username == "member"


@pytest.mark.parametrize("role", sorted(STAFF))
def test_moderation_log_cannot_be_deleted_even_by_a_superuser(world, role):
    decision = world.decision
    response = world.visitor(role).post(
        reverse("admin:comments_moderationaction_delete", args=[decision.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert reloaded(decision) is not None


@pytest.mark.parametrize(("role", "deleted"), [("moderator", False), ("superuser", True)])
def test_only_a_superuser_deletes_a_comment_for_good(world, role, deleted):
    comment = world.guests_comment
    world.visitor(role).post(
        reverse("admin:comments_comment_delete", args=[comment.pk]), {"post": "yes"}
    )
    assert (reloaded(comment) is None) == deleted


def test_banned_member_cannot_rewrite_their_comment(world):
    banned = world.users["banned-member"]
    # Posted just before the ban, so still within the edit window.
    comment = post(world.article, "Posted before the ban.", user=world.users["other-member"])
    Comment.objects.filter(pk=comment.pk).update(user=banned)
    world.visitor("banned-member").post(
        reverse("comments:edit", args=[comment.pk]), {"body": "Abuse after the ban."}
    )
    assert reloaded(comment).body == "Posted before the ban."


def delete_page(client, user):
    return client.post(reverse("admin:newsboard_user_delete", args=[user.pk]), {"post": "yes"})


def bulk_delete(client, user):
    return run_action(
        client, "admin:newsboard_user_changelist", "delete_selected", [user], post="yes"
    )


@pytest.mark.parametrize("delete", [delete_page, bulk_delete])
def test_superuser_deletes_a_member_with_comments_in_the_admin(world, delete):
    member = world.users["member"]
    response = delete(world.visitor("superuser", raise_request_exception=False), member)
    assert response.status_code == 302
    assert reloaded(member) is None
    comment = reloaded(world.members_comment)
    assert comment.user_id is None
    assert comment.author_erased


# CSRF -----------------------------------------------------------------------------------------


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


def test_suspended_member_is_refused_like_a_banned_one(world):
    member = world.users["other-member"]
    User.objects.filter(pk=member.pk).update(suspended_until=timezone.now() + timedelta(days=1))
    response = world.visitor("other-member").post(
        reverse("comments:post", kwargs={"slug": world.article.slug}), {"body": "Let me in."}
    )
    assert response.status_code == 400
    assert not Comment.objects.filter(body="Let me in.").exists()
