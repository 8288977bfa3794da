from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import workflows
from .models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("excerpt", "article", "author", "status", "created_at", "reply_count")
    list_filter = ("status", "created_at", ("user", admin.EmptyFieldListFilter))
    search_fields = (
        "body",
        "guest_name",
        "guest_email",
        "user__username",
        "user__display_name",
        "article__headline",
    )
    date_hierarchy = "created_at"
    list_select_related = ("article", "user")
    raw_id_fields = ("article", "parent", "thread", "user")
    readonly_fields = (
        "thread",
        "body_html",
        "reply_count",
        "status_changed_at",
        "status_changed_by",
        "created_at",
        "edited_at",
    )
    fieldsets = (
        (None, {"fields": ("article", "parent", "thread", "status")}),
        (_("Author"), {"fields": ("user", "guest_name", "guest_email", "ip_address")}),
        (_("Comment"), {"fields": ("body", "body_html")}),
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
    actions = ["approve", "remove"]

    @admin.display(description=_("author"), ordering="guest_name")
    def author(self, comment):
        return (
            comment.author_name
            if comment.user_id
            else _("%(name)s (guest)") % {"name": comment.guest_name}
        )

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        return comment.excerpt

    def has_add_permission(self, request):
        """Comments come from readers through the site, never typed into the admin."""
        return False

    def save_model(self, request, obj, form, change):
        new_status = obj.status
        if change and "status" in form.changed_data:
            obj.status = form.initial["status"]
        super().save_model(request, obj, form, change)
        if change and "status" in form.changed_data:
            workflows.set_status(Comment.objects.filter(pk=obj.pk), new_status, by=request.user)

    @admin.action(description=_("Approve selected comments"), permissions=["change"])
    def approve(self, request, queryset):
        self._report(
            request,
            workflows.set_status(queryset, Comment.Status.APPROVED, by=request.user),
            _("approved"),
        )

    @admin.action(description=_("Remove selected comments"), permissions=["change"])
    def remove(self, request, queryset):
        self._report(
            request,
            workflows.set_status(queryset, Comment.Status.REMOVED, by=request.user),
            _("removed"),
        )

    def _report(self, request, changed, verb):
        self.message_user(
            request,
            ngettext("%(count)d comment %(verb)s.", "%(count)d comments %(verb)s.", changed)
            % {"count": changed, "verb": verb},
            messages.SUCCESS,
        )
