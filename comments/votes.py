"""Readers' votes on comments, and the score that ranks a discussion best first."""

import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Comment, Vote
from .moderation import discussion_changed


def vote(comment, user, value):
    """Record a reader's vote (1 up, -1 down, 0 withdrawn) and return the comment's new
    (upvotes, downvotes).

    The comment's row is locked while its counts change, so concurrent voters
    queue up and the counts stay exact; the score is recomputed from them.
    """
    if not user.is_authenticated:
        raise ValidationError(_("Please sign in to vote."), code="anonymous")
    if value not in (1, -1, 0):
        raise ValidationError(_("That is not a vote."), code="invalid")
    with transaction.atomic():
        locked = (
            Comment.objects.select_for_update()
            .only("pk", "user_id", "status", "upvotes", "downvotes")
            .get(pk=comment.pk)
        )
        if locked.user_id == user.pk:
            raise ValidationError(_("You cannot vote on your own comment."), code="own")
        if not locked.is_approved:
            raise ValidationError(_("This comment is not open for votes."), code="hidden")
        existing = Vote.objects.filter(comment=locked, user=user).first()
        old = existing.value if existing else 0
        if value == old:
            return locked.upvotes, locked.downvotes
        if value == 0:
            existing.delete()
        elif existing:
            Vote.objects.filter(pk=existing.pk).update(value=value, created_at=timezone.now())
        else:
            Vote.objects.create(comment=locked, user=user, value=value)
        up = locked.upvotes + (value == 1) - (old == 1)
        down = locked.downvotes + (value == -1) - (old == -1)
        Comment.objects.filter(pk=locked.pk).update(
            upvotes=up, downvotes=down, score=wilson_lower_bound(up, down)
        )
        discussion_changed([comment.article_id])
    return up, down


def wilson_lower_bound(up, down, z=1.959964):
    """The lower bound of the 95% Wilson score interval for the share of up votes.

    A comment with 10 up and 0 down ranks above one with 1 up and 0 down: the
    bound rewards evidence, not just the ratio (Evan Miller, “How not to sort
    by average rating”).
    """
    n = up + down
    if n == 0:
        return 0.0
    share = up / n
    z2 = z * z
    centre = share + z2 / (2 * n)
    spread = z * math.sqrt((share * (1 - share) + z2 / (4 * n)) / n)
    return (centre - spread) / (1 + z2 / n)


def recount_votes(comment_ids):
    """Recompute the vote counts and scores of these comments from their votes."""
    counts = {pk: [0, 0] for pk in comment_ids}
    for comment_id, value in Vote.objects.filter(comment__in=comment_ids).values_list(
        "comment_id", "value"
    ):
        counts[comment_id][0 if value == 1 else 1] += 1
    for pk, (up, down) in counts.items():
        Comment.objects.filter(pk=pk).update(
            upvotes=up, downvotes=down, score=wilson_lower_bound(up, down)
        )
    discussion_changed(Comment.objects.filter(pk__in=comment_ids).values("article_id"))
