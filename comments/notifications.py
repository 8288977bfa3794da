"""E-mail about new comments: replies to your own, and discussions you follow.

When a comment becomes visible, the people to tell get a Notification row
each. The first unsent row for an address schedules one send a few minutes
later (NEWSBOARD_NOTIFICATION_BATCH_SECONDS), which mails everything unsent
for that address by then: several replies make one e-mail. Every e-mail
carries signed one-click unsubscribe links, in the text and in the
List-Unsubscribe header.
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import tasks
from .models import Comment, Follow, Notification

UNSUBSCRIBE_SALT = "comments.unsubscribe"
CONFIRM_SALT = "comments.confirm-follow"
CONFIRM_DAYS = 7


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
    follow of the article, and the guest's follow of replies to them, if a guest is given.

    Written out in SQL: through the ORM it took longer to build than to run, and
    every post asks it.
    """
    quote = connection.ops.quote_name
    follows, members = quote(Follow._meta.db_table), quote(get_user_model()._meta.db_table)
    wanted, params = "f.article_id = %s", [article_id]
    if guest_email:
        wanted += " OR (f.article_id IS NULL AND f.user_id IS NULL AND f.email = %s)"
        params.append(guest_email)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT f.article_id, f.email, f.user_id, m.email, m.is_active"  # noqa: S608
            f" FROM {follows} f LEFT JOIN {members} m ON m.id = f.user_id"
            f" WHERE f.confirmed_at IS NOT NULL AND ({wanted})",
            params,
        )
        return cursor.fetchall()


def _schedule_send(address):
    task = tasks.send_notifications
    if task.get_backend().supports_defer:
        task = task.using(
            run_after=timezone.now()
            + timedelta(seconds=settings.NEWSBOARD_NOTIFICATION_BATCH_SECONDS)
        )
    task.enqueue(address)


def send_batch(address):
    """Mail everything still unsent for one address in one message; returns how many."""
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(recipient=address, sent_at=None)
            .select_related("comment__article", "comment__user", "user")
            .order_by("created_at", "pk")
        )
        if not waiting:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(sent_at=timezone.now())
    # Moderators may have hidden a comment since: those are dropped, not sent.
    visible = [n for n in waiting if n.comment.status == Comment.Status.APPROVED]
    if not visible:
        return 0
    articles = {n.comment.article for n in visible if n.reason == Notification.Reason.FOLLOWED}
    context = {
        "notifications": visible,
        "name": visible[0].user.public_name if visible[0].user else "",
        "site_url": settings.NEWSBOARD_SITE_URL,
        "replies_unsubscribe_url": unsubscribe_url(address, "replies"),
        "article_unsubscribe_urls": [
            (article, unsubscribe_url(address, f"article:{article.pk}")) for article in articles
        ],
        "all_unsubscribe_url": unsubscribe_url(address, "all"),
        "any_replies": any(n.reason == Notification.Reason.REPLY for n in visible),
    }
    message = EmailMessage(
        subject=_subject(visible),
        body=render_to_string("comments/email/notifications.txt", context),
        to=[address],
        headers={
            "List-Unsubscribe": f"<{context['all_unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()
    return len(visible)


def _subject(notifications):
    first = notifications[0]
    if len(notifications) > 1:
        return ngettext(
            "%(count)d new comment on Newsboard",
            "%(count)d new comments on Newsboard",
            len(notifications),
        ) % {"count": len(notifications)}
    if first.reason == Notification.Reason.REPLY:
        return _("%(name)s replied to your comment on “%(headline)s”") % {
            "name": first.comment.author_name,
            "headline": first.comment.article.headline,
        }
    return _("New comment on “%(headline)s”") % {"headline": first.comment.article.headline}


def unsubscribe_token(email, scope):
    """A signed token for an unsubscribe link: scope is "all", "replies" or "article:<id>"."""
    return signing.dumps({"email": email, "scope": scope}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(email, scope):
    path = reverse("comments:unsubscribe", kwargs={"token": unsubscribe_token(email, scope)})
    return f"{settings.NEWSBOARD_SITE_URL}{path}"


def read_unsubscribe_token(token):
    """(email, scope), or None for a token we did not sign. Unsubscribe links never expire."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return data["email"], data["scope"]


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


def confirm_token(follow_entry):
    return signing.dumps({"follow": follow_entry.pk}, salt=CONFIRM_SALT)


def confirm(token):
    """Confirm a guest's follow from the e-mailed link; returns it, or None if the link is
    bad, expired or the follow is gone."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=timedelta(days=CONFIRM_DAYS))
    except signing.BadSignature:
        return None
    entry = Follow.objects.filter(pk=data["follow"]).select_related("article").first()
    if entry is not None and entry.confirmed_at is None:
        entry.confirmed_at = timezone.now()
        entry.save(update_fields=["confirmed_at"])
    return entry
