from urllib.parse import urlencode

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .forms import CheckedImageField
from .models import Article, Section


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = (
        "headline",
        "section",
        "status",
        "published_at",
        "comments_mode",
        "comment_count",
    )
    list_filter = ("status", "section", "comments_mode")
    search_fields = ("headline", "standfirst", "byline", "body")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("headline",)}
    list_select_related = ("section",)
    readonly_fields = ("comment_count", "created_at", "updated_at")
    autocomplete_fields = ("author_accounts",)
    formfield_overrides = {models.ImageField: {"form_class": CheckedImageField}}
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "headline",
                    "slug",
                    "standfirst",
                    "section",
                    "dateline",
                    "byline",
                    "author_accounts",
                )
            },
        ),
        (_("Story"), {"fields": ("body",)}),
        (_("Lead image"), {"fields": ("lead_image", "lead_image_caption", "lead_image_credit")}),
        (_("Publishing"), {"fields": ("status", "published_at")}),
        (
            _("Discussion"),
            {"fields": ("comments_mode", "moderation", "close_comments_after_days")},
        ),
        (_("Record"), {"fields": ("comment_count", "created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(comments_total=Count("comments"))

    def get_list_display(self, request):
        list_display = super().get_list_display(request)
        if request.user.has_perm("comments.view_comment"):
            return (*list_display, "moderate_comments")
        return list_display

    @admin.display(description=_("moderation"), ordering="comments_total")
    def moderate_comments(self, article):
        """A link to the moderation queue for this article's comments, in any status."""
        return format_html(
            '<a href="{}?{}">{}</a>',
            reverse("admin:comments_comment_changelist"),
            urlencode({"article__id__exact": article.pk}),
            ngettext(
                "Moderate %(count)d comment", "Moderate %(count)d comments", article.comments_total
            )
            % {"count": article.comments_total},
        )
