from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from tree_queries.fields import TreeNodeForeignKey
from tree_queries.query import TreeQuerySet

from articles.models import Article
from newsboard.markup import plain_excerpt, render_comment


class CommentQuerySet(TreeQuerySet):
    def approved(self):
        """What the public sees in full."""
        return self.filter(status=Comment.Status.APPROVED)

    def thread_roots(self, article):
        """Top-level comments of the article whose thread has something to show.

        A root that is not approved itself still opens a thread when one of its
        replies is approved: it is then shown as a placeholder.
        """
        shown_in_thread = Comment.objects.filter(
            thread_id=OuterRef("pk"), status=Comment.Status.APPROVED
        )
        return self.filter(article=article, parent=None).filter(Exists(shown_in_thread))

    def in_threads(self, thread_ids):
        """Every comment of these threads in display order, with tree depth.

        The recursive query walks only the given threads (tree_filter), so its
        cost depends on the size of the page, not of the table.
        """
        return (
            self.with_tree_fields()
            .tree_filter(thread_id__in=thread_ids)
            .order_siblings_by("created_at", "pk")
            .select_related("user")
        )


class Comment(models.Model):
    """A reader's comment on an article, top-level or in reply to another comment.

    Threads are stored as an adjacency list (parent) plus the id of the
    thread's top-level comment (thread), so a page of threads is read with one
    recursive query over just those threads (django-tree-queries).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REMOVED = "removed", _("Removed")
        SPAM = "spam", _("Spam")
        DELETED = "deleted", _("Deleted by author")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = TreeNodeForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="children",
    )
    thread = models.ForeignKey(
        "self",
        verbose_name=_("thread"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="+",
        help_text=_("The top-level comment of this comment's thread (itself for top-level ones)."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    guest_name = models.CharField(_("guest name"), max_length=80, blank=True)
    guest_email = models.EmailField(
        _("guest email"), blank=True, help_text=_("Never shown publicly.")
    )
    body = models.TextField(_("comment"), help_text=_("As the author typed it (Markdown)."))
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.APPROVED, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply_count = models.PositiveIntegerField(_("approved replies"), default=0, editable=False)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("posted"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(
                fields=["article", "created_at", "id"],
                condition=Q(parent=None),
                name="comment_roots_idx",
            ),
            models.Index(fields=["thread", "status"], name="comment_thread_status_idx"),
            models.Index(fields=["article", "-created_at"], name="comment_article_recent_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(guest_name=""),
                name="comment_has_author",
            ),
        ]

    def __str__(self):
        return plain_excerpt(self.body, 60)

    def save(self, *args, **kwargs):
        self.body_html = render_comment(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("comments:detail", kwargs={"pk": self.pk})

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    @property
    def is_guest(self):
        return self.user_id is None

    @property
    def author_name(self):
        if self.user_id:
            return self.user.public_name
        return self.guest_name

    @property
    def excerpt(self):
        return plain_excerpt(self.body)
