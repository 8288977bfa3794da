from django.contrib.auth.models import AbstractUser
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

EMAIL_CONFIRMATION_SALT = "newsboard.email-confirmation"


class User(AbstractUser):
    """A reader, commenter, editor or moderator: one account model for the whole site."""

    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("The name shown next to comments. Falls back to the username."),
    )
    email_verified_at = models.DateTimeField(
        _("email verified"),
        null=True,
        blank=True,
        help_text=_("A member's comments are held until they confirm their email address."),
    )
    email_confirmation_sent_at = models.DateTimeField(
        _("confirmation link sent"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the last link to confirm the email address was sent."),
    )
    notify_replies = models.BooleanField(
        _("email me when someone replies to my comments"), default=True
    )
    banned_at = models.DateTimeField(
        _("banned"), null=True, blank=True, help_text=_("Banned commenters cannot post.")
    )
    suspended_until = models.DateTimeField(
        _("suspended until"),
        null=True,
        blank=True,
        help_text=_("Until this moment the commenter cannot post."),
    )
    trusted = models.BooleanField(
        _("trusted commenter"),
        default=False,
        help_text=_("Trusted commenters skip the hold on new commenters and on pre-moderation."),
    )
    moderation_emails = models.BooleanField(
        _("email me about reported comments"),
        default=False,
        help_text=_("For moderators: an email when a comment reaches the report threshold."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        permissions = [("moderate_user", _("Can ban, suspend and trust commenters"))]

    def __str__(self):
        return self.public_name

    def get_absolute_url(self):
        return reverse("profile", kwargs={"username": self.username})

    @property
    def public_name(self):
        return self.display_name or self.get_full_name() or self.username

    def email_confirmation_token(self):
        """A signed, timestamped token for a link that confirms the account's address.

        It names the address, so a link sent before the address changed confirms nothing.
        """
        return signing.dumps({"user": self.pk, "email": self.email}, salt=EMAIL_CONFIRMATION_SALT)
