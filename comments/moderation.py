"""Moderation decisions: what moderators, the rules and readers' reports do to comments.

Views, the admin, imports and management commands all call these functions,
so every decision is recorded (ModerationAction) and the denormalized counts
stay exact, whichever door it came in by.
"""

from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article

from . import notifications, tasks
from .models import Comment, ModerationAction, Report
from .rules import hold


def set_status(comments, status, *, by=None, reason="", removal_reason="", removal_note=""):
    """Move comments to a new status, recording each decision; returns how many changed.

    Counts on the affected articles and parent comments are recomputed in the
    same transaction, so they stay exact whatever the mix of old statuses. A
    moderator's decision also closes the comment's open reports. Authors of
    removed comments who left an address are told why, by email.
    """
    now = timezone.now()
    with transaction.atomic():
        changing = list(
            comments.exclude(status=status)
            .select_for_update()
            .values_list("pk", "article_id", "parent_id", "status")
        )
        if not changing:
            return 0
        pks = [pk for pk, _article, _parent, _old in changing]
        changes = {"status": status, "status_changed_at": now, "status_changed_by": by}
        if status == Comment.Status.REMOVED:
            changes.update(removal_reason=removal_reason, removal_note=removal_note)
        elif status == Comment.Status.APPROVED:
            changes.update(removal_reason="", removal_note="")
        if by is not None:
            changes["report_count"] = 0
            Report.objects.filter(comment__in=pks, resolved_at=None).update(resolved_at=now)
        Comment.objects.filter(pk__in=pks).update(**changes)
        explanation = reason or (
            Comment.RemovalReason(removal_reason).label if removal_reason else ""
        )
        if removal_note:
            explanation = f"{explanation}: {removal_note}" if explanation else removal_note
        ModerationAction.objects.bulk_create(
            ModerationAction(
                comment_id=pk,
                actor=by,
                from_status=old,
                to_status=status,
                reason=explanation,
                created_at=now,
            )
            for pk, _article, _parent, old in changing
        )
        recount(
            article_ids={article for _pk, article, _parent, _old in changing},
            parent_ids={parent for _pk, _article, parent, _old in changing if parent},
        )
        if status == Comment.Status.APPROVED:
            notifications.notify_about_ids(pks)
        if status == Comment.Status.REMOVED and by is not None:
            for pk in pks:
                transaction.on_commit(partial(tasks.send_removal_notice.enqueue, pk))
    return len(changing)


def set_featured(comments, featured, *, by):
    """Feature comments (a staff pick shown above the discussion) or stop featuring them."""
    now = timezone.now()
    with transaction.atomic():
        if featured:
            changing = comments.filter(featured_at=None, status=Comment.Status.APPROVED)
        else:
            changing = comments.exclude(featured_at=None)
        rows = list(changing.values_list("pk", "status"))
        Comment.objects.filter(pk__in=[pk for pk, _status in rows]).update(
            featured_at=now if featured else None
        )
        kind = ModerationAction.Kind.FEATURE if featured else ModerationAction.Kind.UNFEATURE
        ModerationAction.objects.bulk_create(
            ModerationAction(
                comment_id=pk,
                kind=kind,
                actor=by,
                from_status=status,
                to_status=status,
                created_at=now,
            )
            for pk, status in rows
        )
        discussion_changed(
            Comment.objects.filter(pk__in=[pk for pk, _status in rows]).values("article_id")
        )
    return len(rows)


def report_comment(comment, *, reason, note="", user=None, session_key="", ip_address=None):
    """Record a reader's report; returns False when this reader had reported it already.

    At NEWSBOARD_REPORT_THRESHOLD open reports an approved comment is hidden
    (back to pending) and the moderators who asked for it get an email.
    """
    if user is not None and not user.is_authenticated:
        user = None
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if user is not None:
            same_reader = Q(reporter=user)
        else:
            same_reader = Q(reporter_session=session_key)
            if ip_address:
                same_reader |= Q(reporter=None, ip_address=ip_address)
        if Report.objects.filter(same_reader, comment=locked).exists():
            return False
        Report.objects.create(
            comment=locked,
            reporter=user,
            reporter_session="" if user else session_key,
            ip_address=ip_address,
            reason=reason,
            note=note,
        )
        Comment.objects.filter(pk=locked.pk).update(report_count=F("report_count") + 1)
        reports = locked.report_count + 1
        if reports >= settings.NEWSBOARD_REPORT_THRESHOLD and locked.is_approved:
            Comment.objects.filter(pk=locked.pk).update(
                held_for=[*locked.held_for, hold("reports", _("%d reports") % reports)]
            )
            set_status(
                Comment.objects.filter(pk=locked.pk),
                Comment.Status.PENDING,
                reason=_("Hidden after %d reader reports") % reports,
            )
            transaction.on_commit(partial(tasks.notify_moderators_of_reports.enqueue, locked.pk))
    return True


def email_confirmed(user):
    """A member confirmed their address: record it, and release the comments that
    were held for nothing else (the other rules were checked when they were posted)."""
    with transaction.atomic():
        type(user).objects.filter(pk=user.pk, email_verified_at=None).update(
            email_verified_at=timezone.now()
        )
        user.refresh_from_db(fields=["email_verified_at"])
        waiting = Comment.objects.filter(user=user, status=Comment.Status.PENDING)
        released = [
            pk
            for pk, held_for in waiting.values_list("pk", "held_for")
            if [item["rule"] for item in held_for] == ["unverified_email"]
        ]
        set_status(
            Comment.objects.filter(pk__in=released),
            Comment.Status.APPROVED,
            reason=_("The author confirmed their email address"),
        )


def ban_authors(users, *, by, remove_comments=False):
    """Ban accounts from posting; optionally remove everything they have posted.

    Returns (accounts newly banned, comments removed).
    """
    with transaction.atomic():
        user_ids = list(users.values_list("pk", flat=True))
        banned = users.model.objects.filter(pk__in=user_ids, banned_at=None).update(
            banned_at=timezone.now()
        )
        removed = 0
        if remove_comments:
            removed = set_status(
                Comment.objects.filter(user__in=user_ids).exclude(status=Comment.Status.DELETED),
                Comment.Status.REMOVED,
                by=by,
                removal_reason=Comment.RemovalReason.OTHER,
                removal_note=_("The author was banned."),
            )
    return banned, removed


def suspend_authors(users, *, until):
    """Stop accounts from posting until a moment (a ban lasts until lifted); returns how many."""
    return users.update(suspended_until=until)


def reinstate_authors(users):
    """Lift bans and suspensions; returns how many accounts."""
    return users.update(banned_at=None, suspended_until=None)


def set_trusted(users, trusted):
    """Trusted authors skip the holds on new commenters and on pre-moderated articles."""
    return users.update(trusted=trusted)


def discussion_changed(article_ids):
    """Mark what readers see of these discussions as changed: a new version for the
    cached discussion and for the page's Last-Modified."""
    Article.objects.filter(pk__in=article_ids).update(discussion_changed_at=timezone.now())


def recount(*, article_ids, parent_ids=()):
    """Recompute the denormalized approved counts, and when each article's latest approved
    comment was posted, from the comments themselves."""
    approved = Comment.objects.filter(status=Comment.Status.APPROVED)
    Article.objects.filter(pk__in=article_ids).update(
        discussion_changed_at=timezone.now(),
        last_commented_at=Subquery(
            approved.filter(article=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
        ),
        comment_count=Coalesce(
            Subquery(
                approved.filter(article=OuterRef("pk"))
                .values("article")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        ),
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
