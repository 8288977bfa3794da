"""Forgetting what identifies commenters: a deleted account's comments and votes, and
IP addresses once they are no longer needed."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Comment, Report, Vote
from .moderation import discussion_changed, set_status
from .votes import recount_votes


def erase_author(user, *, remove_comments):
    """Before an account is deleted: remove its comments, or keep them as “[deleted user]”.

    Either way nothing that identifies the author stays on their comments, and
    removed ones keep their thread's shape as placeholders. Their votes are
    withdrawn, and the scores they touched recomputed.
    """
    with transaction.atomic():
        voted_on = list(Vote.objects.filter(user=user).values_list("comment_id", flat=True))
        Vote.objects.filter(user=user).delete()
        recount_votes(voted_on)
        authored = Comment.objects.filter(user=user)
        if remove_comments:
            set_status(authored, Comment.Status.DELETED, by=user)
        discussion_changed(authored.values("article_id"))
        authored.update(
            user=None, author_erased=True, guest_name="", guest_email="", ip_address=None
        )


def erase_old_ip_addresses(*, days):
    """Forget commenters' and reporters' IP addresses once they are no longer needed."""
    before = timezone.now() - timedelta(days=days)
    erased = Comment.objects.filter(created_at__lt=before, ip_address__isnull=False).update(
        ip_address=None
    )
    erased += Report.objects.filter(created_at__lt=before, ip_address__isnull=False).update(
        ip_address=None
    )
    return erased
