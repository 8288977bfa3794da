"""E-mail about new comments: replies to your own, and discussions you follow.

When a comment becomes visible, the people to tell get a Notification row
each. The first unsent row for an address schedules one send a few minutes
later (NEWSBOARD_NOTIFICATION_BATCH_SECONDS), which mails everything unsent
for that address by then: several replies make one e-mail. Every e-mail
carries signed one-click unsubscribe links (email_links.py), in the text and
in the List-Unsubscribe header.

This module decides who hears of what and queues the sends; the e-mails are
written and sent by the tasks in tasks.py, which never call back here.
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import email_links, tasks
from .models import Comment, Follow, Notification


def notify_about(comments):
    """Queue e-mail about these newly visible comments for whoever asked for it.

    Each comment needs its account and its parent with the parent's account at
    hand, as the one who posted it has them (or notify_about_ids() loads them):
    no query per comment for them.
    """
    rows = []
    for comment in comments:
        recipients = _recipients(comment)
        author_email = (comment.user.email if comment.user_id else comment.guest_email).lower()
        recipients.pop(author_email, None)
        rows += [
            Notification(recipient=email, user_id=user_id, comment=comment, reason=reason)
            for email, (user_id, reason) in recipients.items()
        ]
    if not rows:
        return
    addresses = {row.recipient for row in rows}
    already_waiting = set(
        Notification.objects.filter(recipient__in=addresses, sent_at=None).values_list(
            "recipient", flat=True
        )
    )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    for address in addresses - already_waiting:
        transaction.on_commit(partial(_schedule_send, address))


def notify_about_ids(comment_ids):
    """notify_about() for comments known by their ids, such as a moderator's approvals:
    those of them that are approved, loaded in one query."""
    notify_about(
        Comment.objects.filter(pk__in=comment_ids, status=Comment.Status.APPROVED).select_related(
            "user", "parent__user"
        )
    )


def _recipients(comment):
    """{email: (user id, reason)} for whoever asked to hear of this comment: those who
    follow its article, and the author of the comment it replies to, if they want
    replies (a guest's wish is a follow too: both are read in one query)."""
    parent = comment.parent
    replied = parent if parent is not None and parent.status == Comment.Status.APPROVED else None
    replied_guest = replied.guest_email if replied and not replied.user_id else None
    recipients = {}
    guest_wants_replies = False
    for article_id, email, user_id, member_email, member_is_active in _confirmed_follows(
        comment.article_id, replied_guest
    ):
        if article_id is None:
            guest_wants_replies = True
        elif user_id is None:
            recipients[email] = (None, Notification.Reason.FOLLOWED)
        elif member_is_active and member_email:
            recipients[member_email.lower()] = (user_id, Notification.Reason.FOLLOWED)
    if guest_wants_replies:
        recipients[replied.guest_email] = (None, Notification.Reason.REPLY)
    elif replied and replied.user_id:
        author = replied.user
        if author.is_active and author.notify_replies and author.email and author.email_verified_at:
            recipients[author.email.lower()] = (author.pk, Notification.Reason.REPLY)
    return recipients


def _confirmed_follows(article_id, guest_email=None):
    """(article id, email, member id, member's email, member is active) for each confirmed
    follow of the article, and the guest's follow of replies to them, if a guest is given."""
    wanted = Q(article_id=article_id)
    if guest_email:
        wanted |= Q(article=None, user=None, email=guest_email)
    return Follow.objects.filter(wanted, confirmed_at__isnull=False).values_list(
        "article_id", "email", "user_id", "user__email", "user__is_active"
    )


def _schedule_send(address):
    task = tasks.send_notifications
    if task.get_backend().supports_defer:
        task = task.using(
            run_after=timezone.now()
            + timedelta(seconds=settings.NEWSBOARD_NOTIFICATION_BATCH_SECONDS)
        )
    task.enqueue(address)


def unsubscribe(email, scope):
    """Stop the e-mail the scope names for this address, members' and guests' alike."""
    members = get_user_model().objects.filter(email__iexact=email)
    follows = Follow.objects.filter(Q(email__iexact=email) | Q(user__in=members))
    with transaction.atomic():
        if scope in ("all", "replies"):
            members.update(notify_replies=False)
            follows.filter(article=None).delete()
        if scope == "all":
            follows.delete()
        elif scope.startswith("article:"):
            follows.filter(article_id=scope.removeprefix("article:")).delete()
        Notification.objects.filter(recipient=email, sent_at=None).delete()


def follow(article, *, user=None, email=""):
    """Follow a discussion (article) or, for a guest without article, replies to their comments.

    Members are followed at once. A guest's follow waits for them to confirm
    the address by the link e-mailed here; returns (follow, needs_confirmation).
    """
    if user is not None:
        entry, _created = Follow.objects.get_or_create(
            user=user, article=article, defaults={"confirmed_at": timezone.now()}
        )
        return entry, False
    entry, _created = Follow.objects.get_or_create(user=None, email=email.lower(), article=article)
    if entry.confirmed_at is None:
        transaction.on_commit(partial(tasks.send_follow_confirmation.enqueue, entry.pk))
    return entry, entry.confirmed_at is None


def unfollow(article, user):
    Follow.objects.filter(user=user, article=article).delete()


def confirm(token):
    """Confirm a guest's follow from the e-mailed link; returns it, or None if the link is
    bad, expired or the follow is gone."""
    follow_id = email_links.read_confirm_token(token)
    if follow_id is None:
        return None
    entry = Follow.objects.filter(pk=follow_id).select_related("article").first()
    if entry is not None and entry.confirmed_at is None:
        entry.confirmed_at = timezone.now()
        entry.save(update_fields=["confirmed_at"])
    return entry
