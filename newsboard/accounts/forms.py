from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import User


def check_email_unused(email, *, account=None):
    """Refuse an address that another account uses, in any mix of upper and lower case."""
    others = User.objects.filter(email__iexact=email)
    if account is not None:
        others = others.exclude(pk=account.pk)
    if others.exists():
        raise ValidationError(
            _(
                "Another account already uses this email address. If it is yours, sign in, "
                "or reset your password if you have forgotten it."
            ),
            code="email_taken",
        )


class SignupForm(UserCreationForm):
    """A new reader's account: email address, display name, username and password."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("email", "display_name", "username")
        help_texts = {
            "email": _("We send you a link to confirm it. Never shown publicly."),
            "display_name": _(
                "The name shown next to your comments. Leave it empty to use your username."
            ),
            "username": _(
                "For signing in and for your profile's address. Letters, digits and @ . + - _ only."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].widget.attrs.update(autocomplete="email", autofocus=True)
        self.fields["display_name"].widget.attrs["autocomplete"] = "nickname"
        self.fields["username"].widget.attrs.pop("autofocus", None)

    def clean_email(self):
        email = self.cleaned_data["email"]
        check_email_unused(email)
        return email


class AccountSettingsForm(forms.ModelForm):
    """A member's own settings. Moderators also choose whether to hear about reports.

    Changing the email address asks for the password, so that a session left
    open on a shared computer cannot be used to take over the account.
    """

    password = forms.CharField(
        label=_("Current password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Needed only to change your email address."),
    )

    class Meta:
        model = User
        fields = ("display_name", "email", "notify_replies", "moderation_emails")
        help_texts = {
            "email": _("Never shown publicly. A new address has to be confirmed."),
        }

    field_order = ("display_name", "email", "password", "notify_replies", "moderation_emails")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        if not self.instance.has_perm("comments.moderate_comment"):
            del self.fields["moderation_emails"]

    @property
    def email_changed(self):
        """Whether the member gave a new address (not the same one in other letter case)."""
        return self.cleaned_data["email"].lower() != self.initial["email"].lower()

    def clean_email(self):
        email = self.cleaned_data["email"]
        check_email_unused(email, account=self.instance)
        return email

    def clean(self):
        cleaned_data = super().clean()
        if "email" in cleaned_data and self.email_changed:
            password = cleaned_data.get("password")
            if not password:
                self.add_error(
                    "password",
                    ValidationError(
                        _("To change your email address, enter your current password."),
                        code="password_required",
                    ),
                )
            elif not self.instance.check_password(password):
                self.add_error(
                    "password",
                    ValidationError(
                        _("That is not your current password."), code="password_incorrect"
                    ),
                )
        return cleaned_data
