import ipaddress
import json
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, When
from django.db.models.functions import Cast
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

    def visible_to(self, viewer):
        """Approved comments, plus the viewer's own comments in any status.

        viewer is a comments.viewers.Viewer (an account, or a guest with the comments they
        posted).
        """
        if viewer.sees_only_public:
            return self.approved()
        return self.filter(Q(status=Comment.Status.APPROVED) | viewer.own_comments_q())

    def thread_roots(self, article, viewer):
        """Top-level comments of the article whose thread has something to show the viewer.

        A root that is not shown itself still opens a thread when one of its
        replies is: it is then shown as a placeholder.
        """
        shown_in_thread = Comment.objects.visible_to(viewer).filter(thread_id=OuterRef("pk"))
        return self.filter(article=article, parent=None).filter(Exists(shown_in_thread))

    def in_threads(self, thread_ids, sibling_order=("created_at", "pk")):
        """Every comment of these threads, replies to one comment in sibling_order.

        One indexed read of just these threads, so its cost depends on the size
        of the page, not of the table; for_display() then puts the comments in
        tree order. (A recursive query could order them in the database, but
        it reads the rows twice and sorts by path arrays: several times slower
        on a page of a thousand comments than this read and a walk in Python.)
        """
        bylined = Article.author_accounts.through.objects.filter(
            article_id=OuterRef("article_id"), user_id=OuterRef("user_id")
        )
        return (
            self.filter(thread_id__in=thread_ids)
            .annotate(by_article_author=Exists(bylined))
            .order_by(*sibling_order)
        )

    # What a page of threads shows of each comment and of its author's account.
    DISPLAY_FIELDS = (
        "id",
        "article_id",
        "parent_id",
        "thread_id",
        "user_id",
        "guest_name",
        "author_erased",
        "body_html",
        "status",
        "removal_reason",
        "removal_note",
        "featured_at",
        "upvotes",
        "downvotes",
        "created_at",
        "edited_at",
        "by_article_author",
    )
    DISPLAY_USER_FIELDS = ("username", "display_name", "first_name", "last_name", "is_staff")

    def with_author(self):
        """Just what a short list of comments shows (text, date, author), as instances.

        For the staff picks and the structured data: a full row of the comment
        and of its author's account would be most of their cost.
        """
        return self.select_related("user").only(
            "thread_id",
            "user",
            "guest_name",
            "author_erased",
            "body_html",
            "status",
            "created_at",
            "featured_at",
            *(f"user__{name}" for name in self.DISPLAY_USER_FIELDS),
        )

    def for_display(self):
        """The comments (of in_threads) in tree order, as DisplayedComment rows for a page.

        Each comes before its replies, which follow in the order of the query;
        tree_depth says how deep it is (0 for a thread's top-level comment). A
        comment whose parent is not among them is left out with its replies.

        A model instance and a second one for the account cost more per
        comment than rendering it, and a page may show thousands; so the rows
        come from values_list(), with just what a page shows. held_for comes as
        text, and only for the comments that are held (nobody is shown why an
        approved comment once was), which spares PostgreSQL's JSON decoding.
        """
        held_for_text = Case(
            When(status=Comment.Status.APPROVED, then=None),
            default=Cast("held_for", models.TextField()),
        )
        columns = (
            *self.DISPLAY_FIELDS,
            held_for_text,
            *(f"user__{name}" for name in self.DISPLAY_USER_FIELDS),
        )
        replies = defaultdict(list)  # parent's pk -> its replies, in the query's order
        for row in self.values_list(*columns):
            comment = DisplayedComment(row)
            replies[comment.parent_id].append(comment)
        return _depth_first(replies)


def _depth_first(replies):
    """The comments from {parent pk: replies} in tree order, each with its tree_depth."""
    ordered = []
    waiting = [(0, comment) for comment in reversed(replies[None])]
    while waiting:
        depth, comment = waiting.pop()
        comment.tree_depth = depth
        ordered.append(comment)
        waiting.extend((depth + 1, reply) for reply in reversed(replies.get(comment.id, ())))
    return ordered


class Comment(models.Model):
    """A reader's comment on an article, top-level or in reply to another comment.

    Threads are stored as an adjacency list (parent) plus the id of the
    thread's top-level comment (thread), so a page of threads is read with one
    indexed query over just those threads (CommentQuerySet.in_threads).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REMOVED = "removed", _("Removed")
        SPAM = "spam", _("Spam")
        DELETED = "deleted", _("Deleted by author")

    class RemovalReason(models.TextChoices):
        SPAM = "spam", _("Spam")
        ABUSE = "abuse", _("Abuse or harassment")
        OFF_TOPIC = "off_topic", _("Off-topic")
        PERSONAL_INFORMATION = "personal_information", _("Personal information")
        OTHER = "other", _("Other")

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
    removal_reason = models.CharField(
        _("removal reason"), max_length=24, choices=RemovalReason, blank=True
    )
    removal_note = models.TextField(
        _("note to the author"), blank=True, help_text=_("Shown to the author with the reason.")
    )
    held_for = models.JSONField(
        _("held for"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Why the rules held this comment: a list of {rule, detail}."),
    )
    featured_at = models.DateTimeField(_("featured"), null=True, blank=True, editable=False)
    report_count = models.PositiveIntegerField(_("open reports"), default=0, editable=False)
    reply_count = models.PositiveIntegerField(_("approved replies"), default=0, editable=False)
    upvotes = models.PositiveIntegerField(_("up votes"), default=0, editable=False)
    downvotes = models.PositiveIntegerField(_("down votes"), default=0, editable=False)
    score = models.FloatField(
        _("score"),
        default=0.0,
        editable=False,
        help_text=_("Lower bound of the Wilson interval on the share of up votes: “best” sorting."),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    author_erased = models.BooleanField(
        _("author erased"),
        default=False,
        editable=False,
        help_text=_("The author deleted their account and chose to keep their comments."),
    )
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
            models.Index(
                fields=["article", "-score", "-created_at"],
                condition=Q(parent=None),
                name="comment_roots_best_idx",
            ),
            models.Index(
                fields=["article", "-reply_count", "-created_at"],
                condition=Q(parent=None),
                name="comment_roots_replies_idx",
            ),
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
            models.Index(fields=["ip_address", "created_at"], name="comment_ip_recent_idx"),
            models.Index(fields=["user", "created_at"], name="comment_user_recent_idx"),
            models.Index(fields=["guest_email", "created_at"], name="comment_guest_recent_idx"),
            models.Index(
                fields=["-report_count"],
                condition=Q(report_count__gt=0),
                name="comment_reported_idx",
            ),
            models.Index(
                fields=["article", "-featured_at"],
                condition=Q(featured_at__isnull=False),
                name="comment_featured_idx",
            ),
        ]
        permissions = [("moderate_comment", _("Can moderate comments"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(guest_name="") | Q(author_erased=True),
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

    def is_editable_at(self, moment):
        """Whether its author may still edit it: within the edit window after posting."""
        window = timedelta(minutes=settings.NEWSBOARD_EDIT_WINDOW_MINUTES)
        return moment < self.created_at + window

    @property
    def is_featured(self):
        return self.featured_at is not None

    @property
    def is_guest(self):
        return self.user_id is None

    @property
    def author_name(self):
        if self.user_id:
            return self.user.public_name
        if self.author_erased:
            return _("[deleted user]")
        return self.guest_name

    @property
    def excerpt(self):
        return plain_excerpt(self.body)


class DisplayedComment:
    """A comment as a page of threads shows it: one row of CommentQuerySet.for_display().

    Not a model instance: it holds the values a card shows (those of
    DISPLAY_FIELDS, then held_for and the author's account fields) and
    answers the few questions the card, the threads and the viewer ask of
    it, as Comment does. The viewer's own state (my_vote, viewer_owns,
    editable) is set by comments.viewers.attach_viewer_state.
    """

    __slots__ = (
        *CommentQuerySet.DISPLAY_FIELDS,
        "held_for",
        "author_name",
        "author_username",
        "author_is_staff",
        "tree_depth",
        "my_vote",
        "viewer_owns",
        "editable",
    )

    get_absolute_url = Comment.get_absolute_url
    is_editable_at = Comment.is_editable_at

    def __init__(self, row):
        fields = CommentQuerySet.DISPLAY_FIELDS
        for name, value in zip(fields, row, strict=False):
            setattr(self, name, value)
        held_for, username, display_name, first_name, last_name, is_staff = row[len(fields) :]
        self.held_for = json.loads(held_for) if held_for else []
        self.author_username = username
        self.author_is_staff = bool(is_staff)
        if self.user_id is not None:
            # as the account's public_name says it
            full_name = f"{first_name} {last_name}".strip()
            self.author_name = display_name or full_name or username
        elif self.author_erased:
            self.author_name = str(_("[deleted user]"))
        else:
            self.author_name = self.guest_name
        self.my_vote = 0
        self.viewer_owns = self.editable = False

    def __repr__(self):
        return f"<DisplayedComment {self.id}>"

    @property
    def pk(self):
        return self.id

    @property
    def is_approved(self):
        return self.status == Comment.Status.APPROVED

    @property
    def is_guest(self):
        return self.user_id is None

    def get_removal_reason_display(self):
        return Comment.RemovalReason(self.removal_reason).label


class CommentRevision(models.Model):
    """A comment's text as it was before its author edited it: for moderators."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="revisions"
    )
    body = models.TextField(_("earlier text"))
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)

    class Meta:
        ordering = ["-replaced_at", "-pk"]
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")

    def __str__(self):
        return plain_excerpt(self.body, 60)


class Vote(models.Model):
    """A signed-in reader's up or down vote on a comment: one per reader per comment."""

    class Value(models.IntegerChoices):
        UP = 1, _("Up")
        DOWN = -1, _("Down")

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="votes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.CASCADE,
        related_name="comment_votes",
    )
    value = models.SmallIntegerField(_("vote"), choices=Value)
    created_at = models.DateTimeField(_("voted"), default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="vote_once_per_reader"),
        ]

    def __str__(self):
        return f"{self.get_value_display()}: {self.comment_id}"


class Report(models.Model):
    """A reader's report that a comment breaks the rules: one per reader per comment."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        ABUSE = "abuse", _("Abusive or hateful")
        OFF_TOPIC = "off_topic", _("Off-topic")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reporter_session = models.CharField(
        _("reporter's session"), max_length=64, blank=True, editable=False
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=Q(reporter__isnull=False),
                name="report_once_per_account",
            ),
            models.UniqueConstraint(
                fields=["comment", "reporter_session"],
                condition=~Q(reporter_session=""),
                name="report_once_per_session",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.comment}"


class ModerationAction(models.Model):
    """One decision about a comment, by a person or by the rules: the audit trail.

    Rows are only ever added; nothing in the moderation tools updates or deletes them.
    """

    class Kind(models.TextChoices):
        STATUS = "status", _("Status change")
        FEATURE = "feature", _("Featured")
        UNFEATURE = "unfeature", _("No longer featured")

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="actions"
    )
    kind = models.CharField(_("decision"), max_length=10, choices=Kind, default=Kind.STATUS)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the rules decided."),
    )
    from_status = models.CharField(_("from"), max_length=10, choices=Comment.Status, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=Comment.Status)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation log")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.comment_id}"

    @property
    def automatic(self):
        return self.actor_id is None


class ModeratedPhrase(models.Model):
    """A word or phrase the rules look for in comments."""

    class Action(models.TextChoices):
        REJECT = "reject", _("Banned: the comment is refused")
        HOLD = "hold", _("Suspect: the comment is held for review")

    phrase = models.CharField(
        _("word or phrase"),
        max_length=200,
        unique=True,
        help_text=_(
            "Matched as whole words, ignoring case, accents and look-alike characters. "
            "End with * to match any ending (insult* matches insults)."
        ),
    )
    action = models.CharField(_("action"), max_length=6, choices=Action)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["phrase"]
        verbose_name = _("moderated phrase")
        verbose_name_plural = _("moderated phrases")

    def __str__(self):
        return self.phrase


class Block(models.Model):
    """A guest email address or an IP address (or network) that may not post."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("Email address")
        IP = "ip", _("IP address or network")

    kind = models.CharField(_("kind"), max_length=5, choices=Kind)
    value = models.CharField(
        _("blocked"),
        max_length=254,
        help_text=_("An email address, an IP address, or a network such as 203.0.113.0/24."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("block")
        verbose_name_plural = _("block list")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="block_unique_value"),
        ]

    def __str__(self):
        return self.value

    def clean(self):
        value = self.value.strip()
        if self.kind == self.Kind.EMAIL:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError(
                    {"value": _("Enter a valid email address.")}, code="invalid"
                ) from None
            self.value = value.lower()
        else:
            try:
                self.value = str(ipaddress.ip_network(value, strict=False))
            except ValueError:
                raise ValidationError(
                    {"value": _("Enter an IP address or a network such as 203.0.113.0/24.")},
                    code="invalid",
                ) from None


class Follow(models.Model):
    """Someone who asked for e-mail about new comments: on a whole discussion (article),
    or, for a guest, replies to their own comments (no article).

    Members' reply e-mails follow their account setting instead. A guest's
    follow counts once they confirm the address.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
    )
    email = models.EmailField(_("email"), blank=True, help_text=_("For guests."))
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=Q(user__isnull=False),
                name="follow_once_per_member",
            ),
            models.UniqueConstraint(
                fields=["email", "article"],
                condition=Q(user__isnull=True, article__isnull=False),
                name="follow_article_once_per_guest",
            ),
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(user__isnull=True, article__isnull=True),
                name="follow_replies_once_per_guest",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""), name="follow_has_someone"
            ),
        ]

    def __str__(self):
        return f"{self.user or self.email}: {self.article or _('replies')}"


class Notification(models.Model):
    """A new comment someone is to hear about by e-mail; sent in batches per address."""

    class Reason(models.TextChoices):
        REPLY = "reply", _("A reply to your comment")
        FOLLOWED = "followed", _("A new comment in a discussion you follow")

    recipient = models.EmailField(_("recipient"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=10, choices=Reason)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "comment"], name="notify_once_per_comment"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "sent_at"], name="notification_unsent_idx")]

    def __str__(self):
        return f"{self.recipient}: {self.comment_id}"
