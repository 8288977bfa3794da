"""The moderation queue, its audit trail and the rule lists, in the Django admin.

Every decision made here goes through comments.moderation, as it does from the
site and from management commands, so counts, reports and the audit trail
stay exact whichever door a moderator came in by.
"""

from collections import Counter
from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from articles.models import Article

from . import moderation, rules
from .account_admin import CommenterAdmin
from .forms import REMOVAL_NOTE_MAX_LENGTH
from .models import (
    Block,
    Comment,
    CommentRevision,
    ModeratedPhrase,
    ModerationAction,
    Report,
)


def describe_actor(action):
    return action.actor or _("automatic")


def describe_status_change(action):
    if not action.from_status:
        return action.get_to_status_display()
    return f"{action.get_from_status_display()} → {action.get_to_status_display()}"


def describe_reporter(report):
    return report.reporter or _("guest")


def comment_link(comment):
    return format_html(
        '<a href="{}">{}</a>',
        reverse("admin:comments_comment_change", args=[comment.pk]),
        comment.excerpt,
    )


class QueueFilter(admin.SimpleListFilter):
    """The moderator's work lists: held comments, reported ones, the last day."""

    title = _("queue")
    parameter_name = "queue"

    PENDING = "pending"
    REPORTED = "reported"
    RECENT = "recent"

    def lookups(self, request, model_admin):
        return [
            (self.PENDING, _("Pending")),
            (self.REPORTED, _("Reported, most reported first")),
            (self.RECENT, _("Posted in the last 24 hours")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case self.PENDING:
                return queryset.filter(status=Comment.Status.PENDING)
            case self.REPORTED:
                return queryset.filter(report_count__gt=0)
            case self.RECENT:
                return queryset.filter(created_at__gte=timezone.now() - timedelta(hours=24))
        return queryset


def authored_count(statuses):
    """How many comments by the row's author are in these statuses, as one subquery.

    An account's comments are counted by account, a guest's by the address
    they gave; a guest who gave none has no history (NULL).
    """
    in_statuses = Comment.objects.filter(status__in=statuses).order_by()
    by_account = (
        in_statuses.filter(user=OuterRef("user")).values("user").annotate(n=Count("pk")).values("n")
    )
    by_address = (
        in_statuses.filter(user=None, guest_email=OuterRef("guest_email"))
        .values("guest_email")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Case(
        When(user__isnull=False, then=Coalesce(Subquery(by_account), 0)),
        When(~Q(guest_email=""), then=Coalesce(Subquery(by_address), 0)),
        default=None,
        output_field=IntegerField(),
    )


def open_report_reasons():
    """The reasons of a comment's open reports, comma-separated, as one subquery."""
    return Subquery(
        Report.objects.filter(comment=OuterRef("pk"), resolved_at=None)
        .order_by()
        .values("comment")
        .annotate(reasons=StringAgg("reason", Value(",")))
        .values("reasons")
    )


def note_to_author_field():
    return forms.CharField(
        label=_("Note to the author"),
        required=False,
        max_length=REMOVAL_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Optional. Sent to the author with the reason, when they left an address."),
    )


class RemovalForm(forms.Form):
    """Why the selected comments are removed: asked before removing them."""

    removal_reason = forms.ChoiceField(
        label=_("Reason"), choices=Comment.RemovalReason.choices, widget=forms.RadioSelect
    )
    removal_note = note_to_author_field()


class CommentAdminForm(forms.ModelForm):
    """The change form: a removal reason comes with a change of status to Removed."""

    removal_note = note_to_author_field()

    class Meta:
        model = Comment
        fields = (
            "article",
            "parent",
            "status",
            "removal_reason",
            "removal_note",
            "user",
            "guest_name",
            "guest_email",
            "ip_address",
            "body",
        )

    def clean(self):
        cleaned_data = super().clean()
        removing = (
            "status" in self.changed_data and cleaned_data.get("status") == Comment.Status.REMOVED
        )
        if removing and not cleaned_data.get("removal_reason"):
            self.add_error(
                "removal_reason",
                ValidationError(
                    _("Choose why the comment is removed: the author is told."), code="required"
                ),
            )
        if not removing and {"removal_reason", "removal_note"} & set(self.changed_data):
            self.add_error(
                "removal_reason",
                ValidationError(
                    _("A reason and a note are recorded only when the status changes to Removed."),
                    code="reason_without_removal",
                ),
            )
        return cleaned_data


class ReadOnlyInline(admin.TabularInline):
    """A record shown on the comment's page that nobody edits from there."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ModerationActionInline(ReadOnlyInline):
    model = ModerationAction
    verbose_name_plural = _("audit trail")
    fields = readonly_fields = ("created_at", "kind", "decided_by", "status_change", "reason")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("by"))
    def decided_by(self, action):
        return describe_actor(action)

    @admin.display(description=_("from → to"))
    def status_change(self, action):
        return describe_status_change(action)


class ReportInline(ReadOnlyInline):
    model = Report
    fields = readonly_fields = ("created_at", "reason", "note", "reported_by", "resolved_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reporter")

    @admin.display(description=_("reporter"))
    def reported_by(self, report):
        return describe_reporter(report)


class CommentRevisionInline(ReadOnlyInline):
    model = CommentRevision
    fields = readonly_fields = ("replaced_at", "body")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue: one comment a row, with what a decision needs beside it."""

    form = CommentAdminForm
    list_display = ("comment", "author", "why_here", "status_badge", "created_at")
    list_display_links = ("created_at",)
    list_filter = (QueueFilter, "status", "created_at", ("user", admin.EmptyFieldListFilter))
    search_fields = (
        "body",
        "guest_name",
        "guest_email",
        "user__username",
        "user__display_name",
        "article__headline",
    )
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    list_select_related = ("article", "user", "parent")
    raw_id_fields = ("article", "parent", "thread", "user")
    readonly_fields = (
        "thread",
        "rendered",
        "held_reasons",
        "report_count",
        "featured_at",
        "reply_count",
        "status_changed_at",
        "status_changed_by",
        "created_at",
        "edited_at",
    )
    # What a superuser may still correct; moderators decide, they do not rewrite.
    superuser_only_fields = (
        "article",
        "parent",
        "user",
        "guest_name",
        "guest_email",
        "ip_address",
        "body",
    )
    fieldsets = (
        (
            None,
            {"fields": ("article", "parent", "thread", "status", "removal_reason", "removal_note")},
        ),
        (
            _("Holds, reports, featuring"),
            {"fields": ("held_reasons", "report_count", "featured_at")},
        ),
        (_("Author"), {"fields": ("user", "guest_name", "guest_email", "ip_address")}),
        (_("Comment"), {"fields": ("body", "rendered")}),
        (
            _("Record"),
            {
                "fields": (
                    "reply_count",
                    "created_at",
                    "edited_at",
                    "status_changed_at",
                    "status_changed_by",
                )
            },
        ),
    )
    inlines = (ReportInline, ModerationActionInline, CommentRevisionInline)
    actions = ("approve", "remove", "mark_as_spam", "feature", "unfeature")

    class Media:
        css = {"all": ("admin-extra/moderation.css",)}
        js = ("admin-extra/moderation-queue.js",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                author_approved=authored_count([Comment.Status.APPROVED]),
                author_rejected=authored_count([Comment.Status.REMOVED, Comment.Status.SPAM]),
                open_report_reasons=open_report_reasons(),
            )
        )

    def get_ordering(self, request):
        if request.GET.get(QueueFilter.parameter_name) == QueueFilter.REPORTED:
            return ("-report_count", "-created_at", "-pk")
        return super().get_ordering(request)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        return (*readonly, *self.superuser_only_fields)

    def has_add_permission(self, request):
        """Comments come from readers through the site, never typed into the admin."""
        return False

    def has_delete_permission(self, request, obj=None):
        """Moderation hides comments; only a superuser may erase one for good."""
        return request.user.is_superuser

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    def changelist_view(self, request, extra_context=None):
        article_id = request.GET.get("article__id__exact", "")
        extra_context = {
            **(extra_context or {}),
            "can_moderate": self.has_moderate_permission(request),
            "filtered_article": (
                Article.objects.filter(pk=article_id).first() if article_id.isdigit() else None
            ),
        }
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        deciding = change and "status" in form.changed_data
        if deciding:
            # The decision is made by the workflow below, which keeps counts and the trail.
            for field in ("status", "removal_reason", "removal_note"):
                setattr(obj, field, form.initial[field])
        super().save_model(request, obj, form, change)
        moderation.discussion_changed([obj.article_id])
        if deciding:
            moderation.set_status(
                Comment.objects.filter(pk=obj.pk),
                form.cleaned_data["status"],
                by=request.user,
                removal_reason=form.cleaned_data["removal_reason"],
                removal_note=form.cleaned_data["removal_note"],
            )

    @admin.display(description=_("comment"))
    def comment(self, comment):
        """The whole comment as plain text, under where it was posted and what it answers."""
        context = [
            format_html(
                '<a href="?{}" title="{}">{}</a> <a href="{}" title="{}">↗</a>',
                urlencode({"article__id__exact": comment.article_id}),
                _("Every comment on this article"),
                comment.article.headline,
                comment.article.get_absolute_url(),
                _("The article on the site"),
            )
        ]
        if comment.parent_id:
            context.append(_("in reply to “%(excerpt)s”") % {"excerpt": comment.parent.excerpt})
        return format_html(
            '<div class="comment-context">{}</div><div class="comment-body">{}</div>',
            format_html_join(" · ", "{}", ((part,) for part in context)),
            comment.body,
        )

    @admin.display(description=_("author"), ordering="guest_name")
    def author(self, comment):
        """Who wrote it, how their earlier comments fared, and where they posted from."""
        if comment.user_id:
            name, same_author = comment.author_name, {"user__id__exact": comment.user_id}
        else:
            name = _("%(name)s (guest)") % {"name": comment.guest_name}
            same_author = {"guest_email": comment.guest_email} if comment.guest_email else None
        details = [comment.guest_email] if comment.guest_email else []
        if comment.author_approved is not None:
            details.append(
                _("%(approved)d approved · %(removed)d removed")
                % {"approved": comment.author_approved, "removed": comment.author_rejected}
            )
        if comment.ip_address:
            details.append(
                format_html(
                    '{} <a href="?{}" title="{}">{}</a>',
                    _("IP"),
                    urlencode({"ip_address": comment.ip_address}),
                    _("Every comment from this address"),
                    comment.ip_address,
                )
            )
        return format_html(
            "{}{}",
            format_html(
                '<a href="?{}" title="{}">{}</a>',
                urlencode(same_author),
                _("Every comment by this author"),
                name,
            )
            if same_author
            else name,
            format_html_join("", '<div class="comment-detail">{}</div>', ((d,) for d in details)),
        )

    @admin.display(description=_("why it is here"))
    def why_here(self, comment):
        reasons = []
        if comment.held_for:
            reasons.append(_("Held: %(rules)s") % {"rules": rules.describe_holds(comment.held_for)})
        if comment.open_report_reasons:
            codes = Counter(comment.open_report_reasons.split(","))
            count = codes.total()
            reasons.append(
                ngettext(
                    "%(count)d open report: %(reasons)s",
                    "%(count)d open reports: %(reasons)s",
                    count,
                )
                % {
                    "count": count,
                    "reasons": ", ".join(
                        f"{Report.Reason(code).label} ×{n}"
                        if n > 1
                        else str(Report.Reason(code).label)
                        for code, n in codes.most_common()
                    ),
                }
            )
        return format_html_join("", "<div>{}</div>", ((reason,) for reason in reasons)) or None

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, comment):
        featured = (
            format_html(' <span class="moderation-badge featured">★ {}</span>', _("Featured"))
            if comment.is_featured
            else ""
        )
        return format_html(
            '<span class="moderation-badge status-{}">{}</span>{}',
            comment.status,
            comment.get_status_display(),
            featured,
        )

    @admin.display(description=_("as readers see it"))
    def rendered(self, comment):
        # body_html is sanitized with an allowlist when the comment is saved.
        return mark_safe(comment.body_html)

    @admin.display(description=_("held for"))
    def held_reasons(self, comment):
        return rules.describe_holds(comment.held_for) or self.get_empty_value_display()

    @admin.action(description=_("Approve selected comments"), permissions=["moderate"])
    def approve(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda comments: moderation.set_status(
                comments, Comment.Status.APPROVED, by=request.user
            ),
            ngettext_lazy("%(count)d comment approved.", "%(count)d comments approved.", "count"),
        )

    @admin.action(description=_("Remove selected comments…"), permissions=["moderate"])
    def remove(self, request, queryset):
        """Ask for the reason on a page of its own, then remove."""
        form = RemovalForm(request.POST if "post" in request.POST else None)
        if form.is_valid():
            self._decide(
                request,
                queryset,
                lambda comments: moderation.set_status(
                    comments,
                    Comment.Status.REMOVED,
                    by=request.user,
                    removal_reason=form.cleaned_data["removal_reason"],
                    removal_note=form.cleaned_data["removal_note"],
                ),
                ngettext_lazy("%(count)d comment removed.", "%(count)d comments removed.", "count"),
            )
            return None
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            "admin/comments/comment/remove_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Remove comments"),
                "opts": self.opts,
                "comments": queryset,
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "media": self.media + form.media,
            },
        )

    @admin.action(description=_("Mark selected comments as spam"), permissions=["moderate"])
    def mark_as_spam(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda comments: moderation.set_status(comments, Comment.Status.SPAM, by=request.user),
            ngettext_lazy(
                "%(count)d comment marked as spam.", "%(count)d comments marked as spam.", "count"
            ),
        )

    @admin.action(description=_("Feature selected comments"), permissions=["moderate"])
    def feature(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda comments: moderation.set_featured(comments, True, by=request.user),
            ngettext_lazy("%(count)d comment featured.", "%(count)d comments featured.", "count"),
            unchanged=ngettext_lazy(
                "%(count)d selected comment was left as it was: only approved comments that are "
                "not featured yet can be featured.",
                "%(count)d selected comments were left as they were: only approved comments that "
                "are not featured yet can be featured.",
                "count",
            ),
        )

    @admin.action(description=_("Stop featuring selected comments"), permissions=["moderate"])
    def unfeature(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda comments: moderation.set_featured(comments, False, by=request.user),
            ngettext_lazy(
                "%(count)d comment no longer featured.",
                "%(count)d comments no longer featured.",
                "count",
            ),
        )

    def _decide(self, request, queryset, decide, done, unchanged=None):
        """Apply a decision to the selection and tell the moderator what changed."""
        selected = queryset.count()
        changed = decide(queryset)
        message = done % {"count": changed}
        if changed < selected:
            unchanged = unchanged or ngettext_lazy(
                "%(count)d selected comment already was.",
                "%(count)d selected comments already were.",
                "count",
            )
            message = f"{message} {unchanged % {'count': selected - changed}}"
        self.message_user(request, message, messages.SUCCESS)


class AppendOnlyAdmin(admin.ModelAdmin):
    """A record the site writes and nobody rewrites, superusers included."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DecidedByFilter(admin.SimpleListFilter):
    title = _("decided by")
    parameter_name = "decided_by"

    def lookups(self, request, model_admin):
        return [("rules", _("The rules (automatic)")), ("people", _("A moderator"))]

    def queryset(self, request, queryset):
        match self.value():
            case "rules":
                return queryset.filter(actor=None)
            case "people":
                return queryset.filter(actor__isnull=False)
        return queryset


@admin.register(ModerationAction)
class ModerationActionAdmin(AppendOnlyAdmin):
    """The moderation log: every decision about a comment, by a person or by the rules."""

    list_display = (
        "created_at",
        "comment_excerpt",
        "article",
        "kind",
        "decided_by",
        "status_change",
        "reason",
    )
    list_display_links = None
    list_filter = ("kind", "to_status", DecidedByFilter)
    search_fields = ("reason", "actor__username")
    date_hierarchy = "created_at"
    list_select_related = ("comment__article", "actor")

    class Media:
        css = {"all": ("admin-extra/moderation.css",)}

    @admin.display(description=_("comment"))
    def comment_excerpt(self, action):
        return comment_link(action.comment)

    @admin.display(description=_("article"), ordering="comment__article__headline")
    def article(self, action):
        return action.comment.article

    @admin.display(description=_("by"), ordering="actor__username")
    def decided_by(self, action):
        return describe_actor(action)

    @admin.display(description=_("from → to"))
    def status_change(self, action):
        return describe_status_change(action)


@admin.register(Report)
class ReportAdmin(AppendOnlyAdmin):
    """Readers' reports, resolved by a moderator's decision about the comment."""

    list_display = ("comment_excerpt", "reason", "note", "reported_by", "created_at", "resolved_at")
    list_display_links = None
    list_filter = ("reason", ("resolved_at", admin.EmptyFieldListFilter))
    date_hierarchy = "created_at"
    list_select_related = ("comment", "reporter")

    @admin.display(description=_("comment"))
    def comment_excerpt(self, report):
        return comment_link(report.comment)

    @admin.display(description=_("reporter"), ordering="reporter__username")
    def reported_by(self, report):
        return describe_reporter(report)


@admin.register(ModeratedPhrase)
class ModeratedPhraseAdmin(admin.ModelAdmin):
    """The words the rules refuse or hold, edited by moderators."""

    list_display = ("phrase", "action", "note", "updated_at")
    list_editable = ("action",)
    list_filter = ("action",)
    search_fields = ("phrase", "note")

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "matching_help": ModeratedPhrase._meta.get_field("phrase").help_text,
        }
        return super().changelist_view(request, extra_context)


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    """Guest addresses and networks that may not post; the model checks and normalizes them."""

    list_display = ("value", "kind", "note", "created_by", "created_at")
    list_filter = ("kind",)
    search_fields = ("value", "note")
    fields = ("kind", "value", "note", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")
    list_select_related = ("created_by",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


# Accounts with the moderators' actions on commenters, in place of the accounts app's
# own UserAdmin (the accounts app is installed first, so its admin is registered by now).
admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), CommenterAdmin)
