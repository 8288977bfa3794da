"""The signed links that comment e-mail carries: one-click unsubscribe and a guest's
confirmation of a follow.

Both the background tasks that write the e-mail and the views that answer the
links read them here.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

UNSUBSCRIBE_SALT = "comments.unsubscribe"
CONFIRM_SALT = "comments.confirm-follow"
CONFIRM_DAYS = 7


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


def confirm_token(follow_entry):
    return signing.dumps({"follow": follow_entry.pk}, salt=CONFIRM_SALT)


def read_confirm_token(token):
    """The id of the follow a confirmation link names, or None if the link is bad or
    older than CONFIRM_DAYS."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=timedelta(days=CONFIRM_DAYS))
    except signing.BadSignature:
        return None
    return data["follow"]
