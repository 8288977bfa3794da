"""E-mails sent in the background, after the decision that causes them has been committed.

Each task reads what it needs from the database and writes its e-mail here;
moderation and notifications.py enqueue them. (Nothing here imports those
modules back.)
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, send_mail, send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import email_links
from .models import Comment, Follow, Notification


@task
def send_removal_notice(comment_id):
    """Tell the author of a removed comment why, when they left an address."""
    comment = Comment.objects.select_related("article", "user").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.REMOVED:
        return
    address = comment.user.email if comment.user_id else comment.guest_email
    if not address:
        return
    context = {"comment": comment, "site_url": settings.NEWSBOARD_SITE_URL}
    send_mail(
        _("Your comment on “%s” was removed") % comment.article.headline,
        render_to_string("comments/email/removal_notice.txt", context),
        None,
        [address],
    )


@task
def notify_moderators_of_reports(comment_id):
    """E-mail the moderators who asked to hear about comments readers have reported."""
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None:
        return
    moderators = (
        get_user_model()
        .objects.filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="moderate_comment")
            | Q(user_permissions__codename="moderate_comment"),
            is_active=True,
            moderation_emails=True,
        )
        .exclude(email="")
        .distinct()
    )
    context = {"comment": comment, "site_url": settings.NEWSBOARD_SITE_URL}
    subject = _("Comment reported on “%s”") % comment.article.headline
    body = render_to_string("comments/email/reported.txt", context)
    send_mass_mail([(subject, body, None, [moderator.email]) for moderator in moderators])


@task
def send_notifications(address):
    """One e-mail with every reply and followed comment waiting for this address: what
    is still unsent for it, in one message; returns how many comments it told of."""
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
        "replies_unsubscribe_url": email_links.unsubscribe_url(address, "replies"),
        "article_unsubscribe_urls": [
            (article, email_links.unsubscribe_url(address, f"article:{article.pk}"))
            for article in articles
        ],
        "all_unsubscribe_url": email_links.unsubscribe_url(address, "all"),
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


@task
def send_follow_confirmation(follow_id):
    """Ask a guest to confirm the address they want comment e-mail at."""
    entry = Follow.objects.select_related("article").filter(pk=follow_id).first()
    if entry is None or entry.confirmed_at is not None:
        return
    path = reverse("comments:confirm_follow", kwargs={"token": email_links.confirm_token(entry)})
    context = {
        "follow": entry,
        "confirm_url": f"{settings.NEWSBOARD_SITE_URL}{path}",
        "days": email_links.CONFIRM_DAYS,
    }
    send_mail(
        _("Please confirm your e-mail address for Newsboard"),
        render_to_string("comments/email/confirm_follow.txt", context),
        None,
        [entry.email],
    )
