from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .models import User


class CommentingFilter(admin.SimpleListFilter):
    """Whether an account may post comments now."""

    title = _("commenting")
    parameter_name = "commenting"

    def lookups(self, request, model_admin):
        return [
            ("banned", _("Banned")),
            ("suspended", _("Suspended now")),
            ("allowed", _("May post")),
        ]

    def queryset(self, request, queryset):
        suspended = Q(suspended_until__gt=timezone.now())
        match self.value():
            case "banned":
                return queryset.filter(banned_at__isnull=False)
            case "suspended":
                return queryset.filter(suspended, banned_at=None)
            case "allowed":
                return queryset.filter(banned_at=None).exclude(suspended)
        return queryset


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts, with their standing as commenters.

    The comments app registers its subclass in this one's place
    (comments.account_admin.CommenterAdmin): moderators ban, suspend and trust
    commenters there without editing accounts.
    """

    fieldsets = (
        *DjangoUserAdmin.fieldsets[:1],
        (_("Public profile"), {"fields": ("display_name",)}),
        (
            _("Commenting"),
            {"fields": ("trusted", "banned_at", "suspended_until", "moderation_emails")},
        ),
        *DjangoUserAdmin.fieldsets[1:],
    )
    list_display = (
        "username",
        "display_name",
        "email",
        "is_staff",
        "commenting",
        "trusted",
        "date_joined",
    )
    list_filter = (CommentingFilter, "trusted", *DjangoUserAdmin.list_filter)
    search_fields = ("username", "display_name", "email")

    @admin.display(description=_("commenting"), ordering="banned_at")
    def commenting(self, user):
        if user.banned_at:
            return _("Banned since %(date)s") % {"date": short_datetime(user.banned_at)}
        if user.suspended_until and user.suspended_until > timezone.now():
            return _("Suspended until %(date)s") % {"date": short_datetime(user.suspended_until)}
        return None


def short_datetime(moment):
    """A moment in the site's time zone and short date format, for messages and columns."""
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
