"""The user admin with commenters' standing: ban, suspend, reinstate and trust.

comments/admin.py registers CommenterAdmin for the user model in place of the
accounts app's UserAdmin, since these actions and the deletion of accounts
change comments too (through the moderation and erasure modules, as everywhere else).
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from newsboard.accounts.admin import UserAdmin, short_datetime

from . import erasure, moderation


class CommenterAdmin(UserAdmin):
    """Accounts; moderators ban, suspend and trust commenters here without editing accounts."""

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
            % {"count": count, "until": short_datetime(until)},
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
