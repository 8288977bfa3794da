from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .models import Comment, Report
from .viewers import guest_state


def clean_comment_body(body):
    """Line endings made uniform, and the length checked with a message that keeps the text."""
    body = body.replace("\r\n", "\n").replace("\r", "\n").rstrip()
    if not body.strip():
        raise ValidationError(_("Please write your comment before posting it."), code="required")
    limit = settings.NEWSBOARD_COMMENT_MAX_LENGTH
    if len(body) > limit:
        raise ValidationError(
            _(
                "Your comment is %(length)s characters long; the limit is %(limit)s. "
                "Please shorten it: your text is still here."
            ),
            code="too_long",
            params={
                "length": number_format(len(body), force_grouping=True),
                "limit": number_format(limit, force_grouping=True),
            },
        )
    return body


# The same limit on the public page's Remove button and in the admin's removal page.
REMOVAL_NOTE_MAX_LENGTH = 1000


class CommentForm(forms.Form):
    """The comment form: body and parent for everyone, name and email for guests.

    No maxlength attributes: a browser would cut a pasted text short without
    a word, so length is checked here and the text comes back intact.
    """

    body = forms.CharField(
        label=_("Your comment"),
        strip=False,  # a comment may start with an indented code block
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown works: *emphasis*, **strong**, [links](https://…), > quotes, lists."),
        error_messages={"required": _("Please write your comment before posting it.")},
    )
    parent = forms.CharField(required=False, widget=forms.HiddenInput)
    # A trap for spam robots: hidden from people (CSS and aria-hidden), so only a
    # program that fills in every field fills it in. Such a comment is stored as spam.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "tabindex": "-1", "class": "honeypot-input"}
        ),
    )
    name = forms.CharField(
        label=_("Name"),
        help_text=_("Shown next to your comment."),
        error_messages={"required": _("Please give the name to show next to your comment.")},
    )
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("Never shown publicly."),
        max_length=254,
        error_messages={"required": _("Please give your email address; it is never shown.")},
    )

    notify_replies = forms.BooleanField(
        label=_("E-mail me when someone replies"),
        required=False,
        help_text=_("We will ask you to confirm your address first."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_length = settings.NEWSBOARD_COMMENT_MAX_LENGTH
        # For our script's character counter; deliberately not maxlength (see above).
        self.fields["body"].widget.attrs["data-max-length"] = self.max_length
        self.fields["body"].widget.attrs["data-counter"] = _("%(length)s of %(limit)s characters")
        if user is not None and user.is_authenticated:
            del self.fields["name"]
            del self.fields["email"]
            del self.fields["notify_replies"]
        else:
            self.fields["email"].widget.attrs.pop("maxlength", None)
            self.fields["name"].widget.attrs["autocomplete"] = "name"
            self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_body(self):
        return clean_comment_body(self.cleaned_data["body"])

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) > 80:
            raise ValidationError(
                _("Please use a name of at most 80 characters."), code="name_too_long"
            )
        return name

    def clean_parent(self):
        value = self.cleaned_data["parent"].strip()
        if not value:
            return None
        # The length check comes first: int() refuses strings of thousands of digits.
        if (
            not (value.isascii() and value.isdigit())
            or len(value.lstrip("0")) > 19
            or not 0 < int(value) < 2**63
        ):
            raise ValidationError(
                _("The comment you are replying to was not found."), code="parent_invalid"
            )
        return int(value)


class EditCommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        strip=False,  # a comment may start with an indented code block
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("A comment cannot be empty; delete it instead.")},
    )

    def clean_body(self):
        return clean_comment_body(self.cleaned_data["body"])


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We will ask you to confirm it. Every e-mail has a link to stop them."),
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a reason.")},
    )
    note = forms.CharField(
        label=_("Anything the moderators should know?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you choose “Something else”."),
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == Report.Reason.OTHER and not data.get("note", "").strip():
            self.add_error("note", _("Please say what is wrong with this comment."))
        return data


class ModerationForm(forms.Form):
    """A moderator's decision on one comment, from the buttons on the public page."""

    DECISIONS = {
        "approve": Comment.Status.APPROVED,
        "remove": Comment.Status.REMOVED,
        "spam": Comment.Status.SPAM,
    }

    decision = forms.ChoiceField(
        choices=[(key, key) for key in [*DECISIONS, "feature", "unfeature"]]
    )
    removal_reason = forms.ChoiceField(
        label=_("Reason"), choices=Comment.RemovalReason.choices, required=False
    )
    removal_note = forms.CharField(
        label=_("Note to the author"), required=False, max_length=REMOVAL_NOTE_MAX_LENGTH
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "remove" and not data.get("removal_reason"):
            self.add_error("removal_reason", _("Please choose why the comment is removed."))
        return data


class DeleteAccountForm(forms.Form):
    """The choice of what happens to a member's comments, confirmed with their password."""

    comments = forms.ChoiceField(
        label=_("Your comments"),
        choices=[
            ("keep", _("Keep my comments, signed “[deleted user]”")),
            (
                "remove",
                _(
                    "Remove my comments (where others replied, a “[removed]” placeholder "
                    "keeps their replies in place)"
                ),
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose what happens to your comments.")},
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Please enter your password to delete your account.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("That is not your password."), code="password_incorrect")
        return password

    @property
    def remove_comments(self):
        return self.cleaned_data["comments"] == "remove"


def comment_form_for(request, **kwargs):
    """A blank comment form, with a returning guest's name and email filled in."""
    initial = kwargs.pop("initial", {})
    if not request.user.is_authenticated:
        state = guest_state(request)
        initial = {key: state[key] for key in ("name", "email") if key in state} | initial
    return CommentForm(user=request.user, initial=initial, **kwargs)
