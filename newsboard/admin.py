from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments import erasure, moderation

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
    """Accounts; moderators ban, suspend and trust commenters here without editing accounts."""

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
    actions = (
        "ban",
        "ban_and_remove_comments",
        "suspend_for_a_day",
        "suspend_for_a_week",
        "reinstate",
        "trust",
        "stop_trusting",
    )

    def delete_model(self, request, obj):
        self.delete_queryset(request, type(obj).objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        """Accounts leave their comments as “[deleted user]”, as when members delete
        their own account, so threads keep their shape."""
        with transaction.atomic():
            for user in queryset:
                erasure.erase_author(user, remove_comments=False)
            queryset.delete()

    def has_moderate_permission(self, request):
        return request.user.has_perm("newsboard.moderate_user")

    @admin.display(description=_("commenting"), ordering="banned_at")
    def commenting(self, user):
        if user.banned_at:
            return _("Banned since %(date)s") % {"date": _short_date(user.banned_at)}
        if user.suspended_until and user.suspended_until > timezone.now():
            return _("Suspended until %(date)s") % {"date": _short_date(user.suspended_until)}
        return None

    @admin.action(description=_("Ban selected accounts from commenting"), permissions=["moderate"])
    def ban(self, request, queryset):
        commenters = self._commenters(request, queryset)
        count, _removed = moderation.ban_authors(commenters, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d account banned.", "%(count)d accounts banned.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Ban selected accounts and remove all their comments"),
        permissions=["moderate"],
    )
    def ban_and_remove_comments(self, request, queryset):
        commenters = self._commenters(request, queryset)
        count, removed = moderation.ban_authors(commenters, by=request.user, remove_comments=True)
        self.message_user(
            request,
            " ".join(
                [
                    ngettext("%(count)d account banned.", "%(count)d accounts banned.", count)
                    % {"count": count},
                    ngettext("%(count)d comment removed.", "%(count)d comments removed.", removed)
                    % {"count": removed},
                ]
            ),
            messages.SUCCESS,
        )

    @admin.action(description=_("Suspend selected accounts for 24 hours"), permissions=["moderate"])
    def suspend_for_a_day(self, request, queryset):
        self._suspend(request, queryset, timedelta(hours=24))

    @admin.action(description=_("Suspend selected accounts for 7 days"), permissions=["moderate"])
    def suspend_for_a_week(self, request, queryset):
        self._suspend(request, queryset, timedelta(days=7))

    @admin.action(
        description=_("Lift bans and suspensions of selected accounts"), permissions=["moderate"]
    )
    def reinstate(self, request, queryset):
        count = moderation.reinstate_authors(self._commenters(request, queryset))
        self.message_user(
            request,
            ngettext(
                "%(count)d account may comment again.",
                "%(count)d accounts may comment again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark selected accounts as trusted"), permissions=["moderate"])
    def trust(self, request, queryset):
        count = moderation.set_trusted(self._commenters(request, queryset), True)
        self.message_user(
            request,
            ngettext(
                "%(count)d account marked as trusted.",
                "%(count)d accounts marked as trusted.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Stop trusting selected accounts"), permissions=["moderate"])
    def stop_trusting(self, request, queryset):
        count = moderation.set_trusted(self._commenters(request, queryset), False)
        self.message_user(
            request,
            ngettext(
                "%(count)d account no longer trusted.",
                "%(count)d accounts no longer trusted.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def _suspend(self, request, queryset, length):
        until = timezone.now() + length
        count = moderation.suspend_authors(self._commenters(request, queryset), until=until)
        self.message_user(
            request,
            ngettext(
                "%(count)d account suspended until %(until)s.",
                "%(count)d accounts suspended until %(until)s.",
                count,
            )
            % {"count": count, "until": _short_date(until)},
            messages.SUCCESS,
        )

    def _commenters(self, request, queryset):
        """The selected accounts a moderator may act on: staff accounts are for superusers."""
        if request.user.is_superuser:
            return queryset
        staff = queryset.filter(is_staff=True).count()
        if staff:
            self.message_user(
                request,
                ngettext(
                    "%(count)d staff account was left alone: only a superuser may act on it.",
                    "%(count)d staff accounts were left alone: only a superuser may act on them.",
                    staff,
                )
                % {"count": staff},
                messages.WARNING,
            )
        return queryset.filter(is_staff=False)


def _short_date(moment):
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
