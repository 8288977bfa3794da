from datetime import timedelta
from io import BytesIO
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image

from newsboard.markup import render_article

from .validators import open_image_header, validate_image_content, validate_image_file_size

THUMBNAIL_SIZE = (480, 270)


class Section(models.Model):
    """A desk of the newsroom (World, Politics, Sport…) that groups articles."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Sections are listed in this order.")
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published, with a publication date that has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    # All that Article.public_version and the page's validators read.
    VERSION_FIELDS = (
        "id",
        "slug",
        "status",
        "published_at",
        "updated_at",
        "discussion_changed_at",
        "comments_mode",
        "close_comments_after_days",
    )
    # All that posting a comment reads of its article, and the comment form's page shows.
    POSTING_FIELDS = (
        "id",
        "slug",
        "headline",
        "status",
        "published_at",
        "comments_mode",
        "close_comments_after_days",
        "moderation",
    )

    def published_version(self, slug):
        """The published article with this slug holding only VERSION_FIELDS, or None:
        the one query of an article page served from the cache."""
        return self._published_with(slug, self.VERSION_FIELDS)

    def published_for_posting(self, slug):
        """The published article with this slug holding only POSTING_FIELDS, or None."""
        return self._published_with(slug, self.POSTING_FIELDS)

    def _published_with(self, slug, fields):
        """Read by the slug alone, then asked is_published: the same answer as
        published(), and a query with one condition costs half as much to build,
        on the one query of a kept page."""
        try:
            article = self.only(*fields).get(slug=slug)
        except Article.DoesNotExist:
            return None
        return article if article.is_published else None


class Article(models.Model):
    """A story written by the newsroom, under which readers discuss."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Moderation(models.TextChoices):
        SITE_DEFAULT = "", _("Site default")
        POST = "post", _("Post-moderation: comments appear at once")
        PRE = "pre", _("Pre-moderation: every comment is held for review")

    class CommentsMode(models.TextChoices):
        OPEN = "open", _("Open: readers may comment")
        CLOSED = "closed", _("Closed: comments shown, no new ones")
        DISABLED = "disabled", _("Disabled: no discussion")

    headline = models.CharField(_("headline"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("The article's address: /articles/<slug>/."),
    )
    standfirst = models.TextField(
        _("standfirst"),
        max_length=500,
        blank=True,
        help_text=_("One or two sentences under the headline."),
    )
    dateline = models.CharField(
        _("dateline"),
        max_length=80,
        blank=True,
        help_text=_("Where the story was filed, e.g. NAIROBI."),
    )
    byline = models.CharField(
        _("byline"), max_length=200, blank=True, help_text=_("The reporters' names as printed.")
    )
    author_accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("authors' accounts"),
        blank=True,
        related_name="bylined_articles",
        help_text=_("The reporters' accounts: their comments here carry an “Author” badge."),
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.PROTECT,
        related_name="articles",
        null=True,
        blank=True,
    )
    body = models.TextField(
        _("body"),
        help_text=_("Markdown: ## subheadings, *emphasis*, [links](https://…), > quotes, lists."),
    )
    body_html = models.TextField(editable=False, default="")
    lead_image = models.ImageField(
        _("lead image"),
        upload_to="articles/%Y/%m/",
        blank=True,
        width_field="lead_image_width",
        height_field="lead_image_height",
        validators=[
            FileExtensionValidator(["jpg", "jpeg", "png", "webp"]),
            validate_image_file_size,
            validate_image_content,
        ],
    )
    lead_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    lead_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    lead_image_thumbnail = models.ImageField(
        upload_to="articles/thumbnails/", blank=True, editable=False
    )
    lead_image_caption = models.CharField(_("caption"), max_length=300, blank=True)
    lead_image_credit = models.CharField(_("credit"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publication date"),
        default=timezone.now,
        help_text=_("Readers see the article from this moment."),
    )
    comments_mode = models.CharField(
        _("comments"), max_length=10, choices=CommentsMode, default=CommentsMode.OPEN
    )
    moderation = models.CharField(
        _("moderation"), max_length=4, choices=Moderation, default="", blank=True
    )
    close_comments_after_days = models.PositiveIntegerField(
        _("close comments after (days)"),
        null=True,
        blank=True,
        help_text=_(
            "Comments close this many days after publication. Empty: the site default; 0: never."
        ),
    )
    comment_count = models.PositiveIntegerField(
        _("approved comments"),
        default=0,
        editable=False,
        help_text=_("Kept exact by the comments app in the same transaction as each change."),
    )
    last_commented_at = models.DateTimeField(null=True, blank=True, editable=False)
    discussion_changed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The last change readers can see in the discussion: it versions the cached "
            "discussion and the page's Last-Modified."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="article_published_idx"),
            models.Index(fields=["section", "status", "-published_at"], name="article_section_idx"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.body_html = render_article(self.body)
        if not self.lead_image:
            self.lead_image_thumbnail = None
        elif self._needs_thumbnail():
            self.lead_image_thumbnail = self._make_thumbnail()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def clean_fields(self, exclude=None):
        """The fields' checks, then the new lead image's thumbnail: an image that
        passed the checks but cannot be decoded (truncated, damaged) is refused
        here, as an error on the form, not when the article is saved."""
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        lead_image_checked = "lead_image" not in (exclude or ()) and "lead_image" not in errors
        if lead_image_checked and self.lead_image and self._needs_thumbnail():
            try:
                self.lead_image_thumbnail = self._make_thumbnail()
            except ValidationError as error:
                errors.setdefault("lead_image", []).extend(error.error_list)
            except Exception:  # Pillow raises many kinds on a damaged file.
                unreadable = ValidationError(
                    _(
                        "This image cannot be read: the file is damaged or incomplete. "
                        "Upload it again or choose another."
                    ),
                    code="image_unreadable",
                )
                errors.setdefault("lead_image", []).append(unreadable)
        if errors:
            raise ValidationError(errors)

    @property
    def changed_at(self):
        """When anything on the article's public page last changed."""
        return max(filter(None, [self.updated_at, self.discussion_changed_at]))

    @property
    def public_version(self):
        """What readers see of the article's page stays the same while this does:
        changed_at, which every visible change moves on, and whether comments are
        open, which also changes by itself with time. Cached copies are kept under it."""
        return (self.changed_at, self.accepts_comments)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def accepts_comments(self):
        if self.comments_mode != self.CommentsMode.OPEN:
            return False
        closes_at = self.comments_close_at
        return closes_at is None or timezone.now() < closes_at

    @property
    def comments_close_at(self):
        """When an open discussion closes by itself, or None when it stays open."""
        days = self.close_comments_after_days
        if days is None:
            days = settings.NEWSBOARD_CLOSE_COMMENTS_AFTER_DAYS
        return self.published_at + timedelta(days=days) if days else None

    @property
    def is_premoderated(self):
        return (self.moderation or settings.NEWSBOARD_MODERATION) == self.Moderation.PRE

    @property
    def shows_comments(self):
        return self.comments_mode != self.CommentsMode.DISABLED

    def _needs_thumbnail(self):
        """True until a thumbnail is made from the current lead image: by
        clean_fields when a form checked a new image, else by save."""
        if not self.lead_image_thumbnail:
            return True
        return not self.lead_image._committed and self.lead_image_thumbnail._committed

    def _make_thumbnail(self):
        """A 16:9 JPEG thumbnail for article lists, cropped from the centre.

        The image's format and pixel count are checked from its header first
        (ValidationError), so nothing too big is ever decoded.
        """
        self.lead_image.open()
        with open_image_header(self.lead_image) as image:
            # A JPEG is decoded straight at the smallest scale still at least
            # THUMBNAIL_SIZE, which the centre crop below then keeps.
            image.draft("RGB", THUMBNAIL_SIZE)
            image = image.convert("RGB")
            target_ratio = THUMBNAIL_SIZE[0] / THUMBNAIL_SIZE[1]
            width, height = image.size
            if width / height > target_ratio:
                new_width = int(height * target_ratio)
                left = (width - new_width) // 2
                image = image.crop((left, 0, left + new_width, height))
            else:
                new_height = int(width / target_ratio)
                top = (height - new_height) // 2
                image = image.crop((0, top, width, top + new_height))
            image = image.resize(THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
            buffer = BytesIO()
            image.save(buffer, "JPEG", quality=80, optimize=True, progressive=True)
        self.lead_image.seek(0)
        name = PurePath(self.lead_image.name).stem + "-thumb.jpg"
        return ContentFile(buffer.getvalue(), name=name)
