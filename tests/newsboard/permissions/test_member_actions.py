"""What members, guests and banned or suspended members may do, where a status code
alone does not show the rule: votes, reports, follows, account data, edits."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, Follow, Report, Vote
from newsboard.accounts.models import User

from ...factories import post
from .visitors import reloaded

pytestmark = pytest.mark.django_db


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


def test_banned_member_cannot_rewrite_their_comment(world):
    banned = world.users["banned-member"]
    # Posted just before the ban, so still within the edit window.
    comment = post(world.article, "Posted before the ban.", user=world.users["other-member"])
    Comment.objects.filter(pk=comment.pk).update(user=banned)
    world.visitor("banned-member").post(
        reverse("comments:edit", args=[comment.pk]), {"body": "Abuse after the ban."}
    )
    assert reloaded(comment).body == "Posted before the ban."


def test_suspended_member_is_refused_like_a_banned_one(world):
    member = world.users["other-member"]
    User.objects.filter(pk=member.pk).update(suspended_until=timezone.now() + timedelta(days=1))
    response = world.visitor("other-member").post(
        reverse("comments:post", kwargs={"slug": world.article.slug}), {"body": "Let me in."}
    )
    assert response.status_code == 400
    assert not Comment.objects.filter(body="Let me in.").exists()
