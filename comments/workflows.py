"""The rules for posting and moderating comments, in one place.

Views, the admin and management commands all call these functions, so a
comment goes through the same checks and the same bookkeeping (thread ids,
exact approved-comment counts) whichever door it came in by.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article

from .models import Comment


def post_comment(
    *, article, body, parent_id=None, user=None, guest_name="", guest_email="", ip_address=None
):
    """Store a new comment and return (comment, created).

    Raises ValidationError with a message for the reader when the comment
    cannot be accepted. The same author sending the same text to the same
    place again within NEWSBOARD_DUPLICATE_WINDOW_SECONDS (a double click, a
    retried request) gets the first comment back, with created False.
    """
    if not article.accepts_comments:
        raise ValidationError(
            _("Comments on this article are closed; your comment was not posted."),
            code="comments_closed",
        )
    if user is not None and not user.is_authenticated:
        user = None
    now = timezone.now()
    with transaction.atomic():
        # One poster at a time per article: the duplicate check below and the
        # count updates then see every comment committed before this one.
        Article.objects.select_for_update().filter(pk=article.pk).values_list("pk").get()
        parent = _parent_for_reply(article, parent_id)
        duplicate = _recent_duplicate(
            article, parent, body, user, guest_email, since=now - _duplicate_window()
        )
        if duplicate is not None:
            return duplicate, False
        comment = Comment(
            article=article,
            parent=parent,
            thread_id=parent.thread_id if parent else None,
            user=user,
            guest_name="" if user else guest_name,
            guest_email="" if user else guest_email,
            body=body,
            status=Comment.Status.APPROVED,
            ip_address=ip_address,
            created_at=now,
        )
        comment.save()
        if parent is None:
            Comment.objects.filter(pk=comment.pk).update(thread_id=comment.pk)
            comment.thread_id = comment.pk
        if comment.is_approved:
            _count_new_approved(comment)
    return comment, True


def set_status(comments, status, *, by=None):
    """Move comments to a new status, recording who did it; returns how many changed.

    Counts on the affected articles and parent comments are recomputed in the
    same transaction, so they stay exact whatever the mix of old statuses.
    """
    with transaction.atomic():
        changing = list(
            comments.exclude(status=status).values_list("pk", "article_id", "parent_id")
        )
        if not changing:
            return 0
        pks = [pk for pk, _article, _parent in changing]
        Comment.objects.filter(pk__in=pks).update(
            status=status, status_changed_at=timezone.now(), status_changed_by=by
        )
        recount(
            article_ids={article for _pk, article, _parent in changing},
            parent_ids={parent for _pk, _article, parent in changing if parent},
        )
    return len(changing)


def recount(*, article_ids, parent_ids=()):
    """Recompute the denormalized approved counts from the comments themselves."""
    approved = Comment.objects.filter(status=Comment.Status.APPROVED)
    Article.objects.filter(pk__in=article_ids).update(
        comment_count=Coalesce(
            Subquery(
                approved.filter(article=OuterRef("pk"))
                .values("article")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        )
    )
    Comment.objects.filter(pk__in=parent_ids).update(
        reply_count=Coalesce(
            Subquery(
                approved.filter(parent=OuterRef("pk"))
                .values("parent")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        )
    )


def _duplicate_window():
    return timedelta(seconds=settings.NEWSBOARD_DUPLICATE_WINDOW_SECONDS)


def _parent_for_reply(article, parent_id):
    if not parent_id:
        return None
    parent = (
        Comment.objects.filter(pk=parent_id).only("pk", "article_id", "thread_id", "status").first()
    )
    if parent is None or parent.article_id != article.pk:
        raise ValidationError(
            _("The comment you are replying to is not part of this discussion."),
            code="parent_elsewhere",
        )
    if not parent.is_approved:
        raise ValidationError(
            _("The comment you are replying to is no longer visible, so replies to it are closed."),
            code="parent_hidden",
        )
    return parent


def _recent_duplicate(article, parent, body, user, guest_email, *, since):
    author = Q(user=user) if user else Q(user=None, guest_email__iexact=guest_email)
    return (
        Comment.objects.filter(
            author, article=article, parent=parent, body=body, created_at__gte=since
        )
        .order_by("created_at")
        .first()
    )


def _count_new_approved(comment):
    Article.objects.filter(pk=comment.article_id).update(
        comment_count=F("comment_count") + 1, last_commented_at=comment.created_at
    )
    if comment.parent_id:
        Comment.objects.filter(pk=comment.parent_id).update(reply_count=F("reply_count") + 1)
