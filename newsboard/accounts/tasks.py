"""E-mails about accounts, sent in the background after the change that causes them is committed."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _


@task
def send_email_confirmation(user_id):
    """Send a member the link that confirms their address, unless it is confirmed already."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.email_verified_at or not user.email:
        return
    path = reverse("confirm_email", kwargs={"token": user.email_confirmation_token()})
    context = {
        "user": user,
        "confirm_url": settings.NEWSBOARD_SITE_URL + path,
        "days": settings.NEWSBOARD_EMAIL_CONFIRMATION_DAYS,
        "site_url": settings.NEWSBOARD_SITE_URL,
    }
    send_mail(
        _("Confirm your email address for Newsboard"),
        render_to_string("accounts/email/confirm_email.txt", context),
        None,
        [user.email],
    )
