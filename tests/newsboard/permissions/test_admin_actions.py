"""Admin actions: offered by permission, and done only by those offered them; and the
admin's change and delete pages, where a status code alone does not show the rule."""

from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from comments.models import Comment

from ...factories import UserFactory
from .visitors import ROLES, STAFF, reloaded

pytestmark = pytest.mark.django_db


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
