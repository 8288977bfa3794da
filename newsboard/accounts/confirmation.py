"""The links that confirm a member's email address: sending one, and reading one back.

The link's token is made by User.email_confirmation_token(). Following it is a page
of the comments app (confirming the address publishes the comments held for it);
sending and checking links is this app's.
"""

from functools import partial

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from . import tasks
from .models import EMAIL_CONFIRMATION_SALT, User


def send_confirmation_link(user, *, unless_sent_since=None):
    """E-mail the account a link that confirms its address, in the background after commit.

    With unless_sent_since, nothing is sent when a link already went out after
    that moment. The check and the record are one UPDATE, so two requests at
    once send one link. Returns whether a link is sent.
    """
    account = User.objects.filter(pk=user.pk)
    if unless_sent_since is not None:
        account = account.filter(
            Q(email_confirmation_sent_at=None) | Q(email_confirmation_sent_at__lt=unless_sent_since)
        )
    if not account.update(email_confirmation_sent_at=timezone.now()):
        return False
    transaction.on_commit(partial(tasks.send_email_confirmation.enqueue, user.pk))
    return True


def account_for_token(token, *, max_age=None):
    """The active account a confirmation link was made for, while it still has that address.

    Raises signing.SignatureExpired for an authentic link older than max_age,
    signing.BadSignature for a link this site did not make, and
    User.DoesNotExist when the account or its address has gone.
    """
    claim = signing.loads(token, salt=EMAIL_CONFIRMATION_SALT, max_age=max_age)
    return User.objects.get(pk=claim["user"], email__iexact=claim["email"], is_active=True)


def confirmation_failed(request, *, expired_token=None):
    """The page for a confirmation link that is broken, or (with expired_token) too old:
    it offers to send a new one."""
    return render(
        request,
        "accounts/confirm_email_failed.html",
        {"expired_token": expired_token, "days": settings.NEWSBOARD_EMAIL_CONFIRMATION_DAYS},
        status=400,
    )
