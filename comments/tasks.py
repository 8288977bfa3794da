"""E-mails sent in the background, after the decision that causes them has been committed."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail, send_mass_mail
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from . import notifications
from .models import Comment, Follow


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
    """One e-mail with every reply and followed comment waiting for this address."""
    notifications.send_batch(address)


@task
def send_follow_confirmation(follow_id):
    """Ask a guest to confirm the address they want comment e-mail at."""
    entry = Follow.objects.select_related("article").filter(pk=follow_id).first()
    if entry is None or entry.confirmed_at is not None:
        return
    path = reverse("comments:confirm_follow", kwargs={"token": notifications.confirm_token(entry)})
    context = {
        "follow": entry,
        "confirm_url": f"{settings.NEWSBOARD_SITE_URL}{path}",
        "days": notifications.CONFIRM_DAYS,
    }
    send_mail(
        _("Please confirm your e-mail address for Newsboard"),
        render_to_string("comments/email/confirm_follow.txt", context),
        None,
        [entry.email],
    )
