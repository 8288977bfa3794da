from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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
    fieldsets = (
        (None, {"fields": ("headline", "slug", "standfirst", "section", "dateline", "byline")}),
        (_("Story"), {"fields": ("body",)}),
        (_("Lead image"), {"fields": ("lead_image", "lead_image_caption", "lead_image_credit")}),
        (_("Publishing"), {"fields": ("status", "published_at", "comments_mode")}),
        (_("Record"), {"fields": ("comment_count", "created_at", "updated_at")}),
    )
