"""The rules for posting and moderating comments, in one place.

Views, the admin and management commands all call these functions, so a
comment goes through the same checks and the same bookkeeping (thread ids,
exact approved-comment counts) whichever door it came in by.
"""

import hashlib
import ipaddress
import math
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles.models import Article
from newsboard.caches import process_cache
from newsboard.markup import render_comment

from . import notifications, tasks
from .models import (
    Block,
    Comment,
    CommentRevision,
    ModeratedPhrase,
    ModerationAction,
    Report,
    Vote,
)
from .phrases import PhraseMatcher


def post_comment(
    *,
    article,
    body,
    parent_id=None,
    user=None,
    guest_name="",
    guest_email="",
    ip_address=None,
    honeypot_filled=False,
    limit_rate=False,
    viewer=None,
):
    """Store a new comment and return (comment, created).

    The comment passes every moderation rule here, whichever door it came in
    by: it is refused (ValidationError with a message for the reader; code
    "rate_limited" when the author posts too fast), held as pending, stored as
    spam, or approved. limit_rate applies the per-IP and per-author rate limits
    (readers posting through the site; not imports or the admin). viewer, when
    given, lets an author reply to their own comments that are still held.

    The same author sending the same text to the same place again within
    NEWSBOARD_DUPLICATE_WINDOW_SECONDS (a double click, a retried request)
    gets the first comment back, with created False.
    """
    if not article.accepts_comments:
        raise ValidationError(
            _("Comments on this article are closed; your comment was not posted."),
            code="comments_closed",
        )
    if user is not None and not user.is_authenticated:
        user = None
    if user is None and not settings.NEWSBOARD_ALLOW_GUESTS:
        raise ValidationError(
            _("Please sign in to comment: your text is still here."), code="members_only"
        )
    guest_email = "" if user else guest_email.strip().lower()
    now = timezone.now()
    lists = moderation_lists()
    check_author_may_post(lists, user=user, guest_email=guest_email, ip_address=ip_address, now=now)
    if limit_rate:
        check_rate_limits(user=user, guest_email=guest_email, ip_address=ip_address, now=now)
    matchers = lists.matchers
    check_banned_phrases(body, matchers)
    with transaction.atomic():
        new_id = _one_post_at_a_time(article, user, guest_email)
        parent = _parent_for_reply(article, parent_id, viewer)
        same_text, decided = _author_record(body, user, guest_email, now=now)
        duplicate = _recent_duplicate(same_text, article, parent, since=now - _duplicate_window())
        if duplicate is not None:
            return duplicate, False
        comment = Comment(
            pk=new_id,
            article=article,
            parent=parent,
            thread_id=parent.thread_id if parent else new_id,
            user=user,
            guest_name="" if user else guest_name,
            guest_email=guest_email,
            body=body,
            ip_address=ip_address,
            created_at=now,
        )
        comment.status, comment.held_for = assess(
            comment, matchers, same_text=same_text, decided=decided, honeypot_filled=honeypot_filled
        )
        comment.save(force_insert=True)
        if comment.thread_id is None:  # a new thread, whose id came only with the insert
            Comment.objects.filter(pk=comment.pk).update(thread_id=comment.pk)
            comment.thread_id = comment.pk
        if comment.is_approved:
            notifications.notify_about([comment])
            # Last: updating the counts locks the article's row until the commit.
            _count_new_approved(comment)
        else:
            ModerationAction.objects.create(
                comment=comment,
                to_status=comment.status,
                reason=describe_holds(comment.held_for),
                created_at=now,
            )
    return comment, True


def check_author_may_post(lists, *, user, guest_email, ip_address, now):
    """Refuse banned or suspended accounts and blocked guest addresses and IPs.

    lists is moderation_lists(): the block list comes with the phrase lists.
    """
    if user is not None:
        if user.banned_at:
            raise ValidationError(
                _("Your account may no longer post comments."), code="author_banned"
            )
        if user.suspended_until and user.suspended_until > now:
            raise ValidationError(
                _("Your account is suspended from commenting until %(until)s.")
                % {
                    "until": formats.date_format(
                        timezone.localtime(user.suspended_until), "DATETIME_FORMAT"
                    )
                },
                code="author_suspended",
            )
    elif guest_email in lists.blocked_emails:
        raise ValidationError(
            _("Comments from this email address are not accepted."), code="email_blocked"
        )
    if ip_address and lists.blocks_address(ip_address):
        raise ValidationError(_("Comments from your network are not accepted."), code="ip_blocked")


def check_rate_limits(*, user, guest_email, ip_address, now):
    """Refuse a comment over the per-IP or per-author limit (code "rate_limited").

    Counted from the comments table itself, so the limits hold across every
    server process without a shared cache: one statement for both limits,
    each count answered from its index. It is written out in SQL because
    building it through the ORM took longer than any other step of a post.
    """
    table, column = _comment_columns("ip_address", "user", "guest_email", "created_at")
    recent = {}  # scope -> (condition, its parameters)
    if ip_address:
        # as the field stores it (IPv6 in the one spelling it keeps)
        stored = Comment._meta.get_field("ip_address").get_db_prep_value(ip_address, connection)
        recent["ip"] = (f"{column['ip_address']} = %s", [stored])
    if user is not None or guest_email:
        recent["author"] = _authored_by(column, user, guest_email)
    if not recent:
        return
    conditions, params = [], []
    for scope, (authored, values) in recent.items():
        seconds = settings.NEWSBOARD_RATE_LIMITS[scope][1]
        conditions.append(f"({authored} AND {column['created_at']} >= %s)")
        params += [
            *values,
            connection.ops.adapt_datetimefield_value(now - timedelta(seconds=seconds)),
        ]
    counts_sql = ", ".join(f"COUNT(*) FILTER (WHERE {condition})" for condition in conditions)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {counts_sql} FROM {table} WHERE {' OR '.join(conditions)}",  # noqa: S608
            params * 2,
        )
        counts = dict(zip(recent, cursor.fetchone(), strict=True))
    for scope, count in counts.items():
        limit, seconds = settings.NEWSBOARD_RATE_LIMITS[scope]
        if count >= limit:
            raise ValidationError(
                ngettext(
                    "You are posting faster than this site allows. Please wait a minute and "
                    "send it again: your text is still here.",
                    "You are posting faster than this site allows. Please wait %(minutes)s "
                    "minutes and send it again: your text is still here.",
                    max(1, seconds // 60),
                )
                % {"minutes": max(1, seconds // 60)},
                code="rate_limited",
            )


def check_banned_phrases(body, matchers):
    banned = matchers[ModeratedPhrase.Action.REJECT].find(body)
    if banned:
        raise ValidationError(
            _(
                "Your comment contains words this site does not accept (%(words)s). "
                "Please rephrase it: your text is still here."
            )
            % {"words": ", ".join(banned)},
            code="banned_words",
        )


def assess(comment, matchers, *, same_text, decided, honeypot_filled=False):
    """The status a new comment starts in, and why it is held: (status, held_for).

    same_text and decided are the author's record (_author_record()): their
    recent comments with the same text, and the statuses of their latest
    decided ones. held_for lists every rule that applies, as
    {"rule": ..., "detail": ...}, so the moderator sees all the reasons at once.
    """
    if honeypot_filled:
        return Comment.Status.SPAM, [hold("honeypot", _("a field hidden from people was filled"))]
    repeated_on = _same_text_elsewhere(comment, same_text)
    if repeated_on is not None:
        return Comment.Status.SPAM, [
            hold("repeated", _("the same text was posted on “%s”") % repeated_on.headline)
        ]
    holds = content_holds(comment, matchers)
    author = comment.user
    if author and not author.email_verified_at and not author.is_staff:
        holds.append(hold("unverified_email", _("the member has not confirmed their email")))
    if not (author and (author.trusted or author.is_staff)):
        holds.extend(_author_holds(comment, decided))
        if comment.article.is_premoderated:
            holds.append(hold("premoderation", _("this article is pre-moderated")))
    return (Comment.Status.PENDING if holds else Comment.Status.APPROVED), holds


def content_holds(comment, matchers):
    """Holds for what the text says: suspect words and too many links."""
    holds = []
    suspect = matchers[ModeratedPhrase.Action.HOLD].find(comment.body)
    if suspect:
        holds.append(hold("suspect_words", ", ".join(suspect)))
    links = render_comment(comment.body).count("<a ")
    if links > settings.NEWSBOARD_MAX_LINKS:
        holds.append(hold("links", _("%(count)d links") % {"count": links}))
    return holds


def hold(rule, detail=""):
    return {"rule": rule, "detail": str(detail)}


HOLD_RULES = {
    "honeypot": gettext_lazy("Honeypot"),
    "repeated": gettext_lazy("Repeated text"),
    "suspect_words": gettext_lazy("Suspect words"),
    "links": gettext_lazy("Too many links"),
    "new_commenter": gettext_lazy("New commenter"),
    "rejection_rate": gettext_lazy("Often rejected"),
    "premoderation": gettext_lazy("Pre-moderation"),
    "unverified_email": gettext_lazy("Unconfirmed email"),
    "reports": gettext_lazy("Reported by readers"),
    "imported": gettext_lazy("Held where it came from"),
}


def describe_holds(held_for):
    """The reasons as one line for a moderator: "Suspect words: idiot; Too many links: 5 links"."""
    return "; ".join(
        f"{HOLD_RULES.get(item['rule'], item['rule'])}: {item['detail']}"
        if item.get("detail")
        else str(HOLD_RULES.get(item["rule"], item["rule"]))
        for item in held_for
    )


class ModerationLists:
    """The moderated phrases, compiled, and the block list, as moderation_lists() gives them."""

    def __init__(self, phrases, blocks):
        by_action = {action: [] for action in ModeratedPhrase.Action.values}
        for phrase, action in phrases:
            by_action[action].append(phrase)
        self.matchers = {action: PhraseMatcher(found) for action, found in by_action.items()}
        self.blocked_emails = frozenset(value for kind, value in blocks if kind == Block.Kind.EMAIL)
        self.blocked_networks = tuple(
            ipaddress.ip_network(value) for kind, value in blocks if kind == Block.Kind.IP
        )

    def blocks_address(self, ip_address):
        try:
            address = ipaddress.ip_address(ip_address)
        except ValueError:
            return False
        return any(address in network for network in self.blocked_networks)


@process_cache(maxsize=2)
def _moderation_lists(_lists_version):
    return ModerationLists(
        ModeratedPhrase.objects.values_list("phrase", "action"),
        Block.objects.values_list("kind", "value"),
    )


def moderation_lists():
    """The phrase lists and the block list, read once per server process and again when
    either changes.

    Whether they changed is asked of the database, so every process sees an
    edit in the admin at once, with no shared cache: how many rows each list
    has (a deletion) and when its latest row changed (an addition or an edit),
    in one statement. Each is a scalar subquery of its own, because SQLite
    answers MAX from the index only when it is alone in its SELECT. (An
    update() that bypasses the models' save() is not seen until the next
    change.)
    """
    quote = connection.ops.quote_name
    versions = []
    for model in (ModeratedPhrase, Block):
        table = quote(model._meta.db_table)
        changed = quote(model._meta.get_field("updated_at").column)
        versions += [f"(SELECT COUNT(*) FROM {table})", f"(SELECT MAX({changed}) FROM {table})"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(versions)}")  # noqa: S608
        return _moderation_lists(cursor.fetchone())


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


def vote(comment, user, value):
    """Record a reader's vote (1 up, -1 down, 0 withdrawn) and return the comment's new
    (upvotes, downvotes).

    The comment's row is locked while its counts change, so concurrent voters
    queue up and the counts stay exact; the score is recomputed from them.
    """
    if not user.is_authenticated:
        raise ValidationError(_("Please sign in to vote."), code="anonymous")
    if value not in (1, -1, 0):
        raise ValidationError(_("That is not a vote."), code="invalid")
    with transaction.atomic():
        locked = (
            Comment.objects.select_for_update()
            .only("pk", "user_id", "status", "upvotes", "downvotes")
            .get(pk=comment.pk)
        )
        if locked.user_id == user.pk:
            raise ValidationError(_("You cannot vote on your own comment."), code="own")
        if not locked.is_approved:
            raise ValidationError(_("This comment is not open for votes."), code="hidden")
        existing = Vote.objects.filter(comment=locked, user=user).first()
        old = existing.value if existing else 0
        if value == old:
            return locked.upvotes, locked.downvotes
        if value == 0:
            existing.delete()
        elif existing:
            Vote.objects.filter(pk=existing.pk).update(value=value, created_at=timezone.now())
        else:
            Vote.objects.create(comment=locked, user=user, value=value)
        up = locked.upvotes + (value == 1) - (old == 1)
        down = locked.downvotes + (value == -1) - (old == -1)
        Comment.objects.filter(pk=locked.pk).update(
            upvotes=up, downvotes=down, score=wilson_lower_bound(up, down)
        )
        discussion_changed([comment.article_id])
    return up, down


def wilson_lower_bound(up, down, z=1.959964):
    """The lower bound of the 95% Wilson score interval for the share of up votes.

    A comment with 10 up and 0 down ranks above one with 1 up and 0 down: the
    bound rewards evidence, not just the ratio (Evan Miller, “How not to sort
    by average rating”).
    """
    n = up + down
    if n == 0:
        return 0.0
    share = up / n
    z2 = z * z
    centre = share + z2 / (2 * n)
    spread = z * math.sqrt((share * (1 - share) + z2 / (4 * n)) / n)
    return (centre - spread) / (1 + z2 / n)


def edit_comment(comment, viewer, body):
    """The author rewrites their comment within the edit window; returns the comment.

    The new text goes through the word rules again: banned words refuse the
    edit (ValidationError, text kept by the form), suspect words or too many
    links send an approved comment back to the queue. The text it replaces is
    kept as a revision for moderators.
    """
    _check_author_may_change(comment, viewer)
    lists = moderation_lists()
    check_author_may_post(
        lists,
        user=comment.user,
        guest_email=comment.guest_email,
        ip_address=None,
        now=timezone.now(),
    )
    if not comment.is_editable_at(timezone.now()):
        raise ValidationError(
            ngettext(
                "Comments can be edited for %(minutes)d minute after posting; this one "
                "no longer can. Your text is still here to copy.",
                "Comments can be edited for %(minutes)d minutes after posting; this one "
                "no longer can. Your text is still here to copy.",
                settings.NEWSBOARD_EDIT_WINDOW_MINUTES,
            )
            % {"minutes": settings.NEWSBOARD_EDIT_WINDOW_MINUTES},
            code="edit_window_closed",
        )
    if body == comment.body:
        return comment
    matchers = lists.matchers
    check_banned_phrases(body, matchers)
    now = timezone.now()
    with transaction.atomic():
        CommentRevision.objects.create(comment=comment, body=comment.body, replaced_at=now)
        comment.body = body
        holds = content_holds(comment, matchers)
        comment.edited_at = now
        if holds:
            comment.held_for = [*comment.held_for, *holds]
        comment.save(update_fields=["body", "body_html", "edited_at", "held_for"])
        discussion_changed([comment.article_id])
        if holds and comment.is_approved:
            set_status(
                Comment.objects.filter(pk=comment.pk),
                Comment.Status.PENDING,
                reason=_("Held after an edit: %s") % describe_holds(holds),
            )
            comment.status = Comment.Status.PENDING
    return comment


def delete_own_comment(comment, viewer):
    """An author withdraws their comment; it stays as a placeholder when it has replies."""
    _check_author_may_change(comment, viewer)
    set_status(Comment.objects.filter(pk=comment.pk), Comment.Status.DELETED, by=viewer.user)


def _check_author_may_change(comment, viewer):
    if not viewer.owns(comment) or comment.status in (
        Comment.Status.DELETED,
        Comment.Status.REMOVED,
        Comment.Status.SPAM,
    ):
        raise ValidationError(_("Only its author can change this comment."), code="not_author")


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


def erase_author(user, *, remove_comments):
    """Before an account is deleted: remove its comments, or keep them as “[deleted user]”.

    Either way nothing that identifies the author stays on their comments, and
    removed ones keep their thread's shape as placeholders. Their votes are
    withdrawn, and the scores they touched recomputed.
    """
    with transaction.atomic():
        voted_on = list(Vote.objects.filter(user=user).values_list("comment_id", flat=True))
        Vote.objects.filter(user=user).delete()
        _recount_votes(voted_on)
        authored = Comment.objects.filter(user=user)
        if remove_comments:
            set_status(authored, Comment.Status.DELETED, by=user)
        discussion_changed(authored.values("article_id"))
        authored.update(
            user=None, author_erased=True, guest_name="", guest_email="", ip_address=None
        )


def _recount_votes(comment_ids):
    counts = {pk: [0, 0] for pk in comment_ids}
    for comment_id, value in Vote.objects.filter(comment__in=comment_ids).values_list(
        "comment_id", "value"
    ):
        counts[comment_id][0 if value == 1 else 1] += 1
    for pk, (up, down) in counts.items():
        Comment.objects.filter(pk=pk).update(
            upvotes=up, downvotes=down, score=wilson_lower_bound(up, down)
        )
    discussion_changed(Comment.objects.filter(pk__in=comment_ids).values("article_id"))


def erase_old_ip_addresses(*, days):
    """Forget commenters' and reporters' IP addresses once they are no longer needed."""
    before = timezone.now() - timedelta(days=days)
    erased = Comment.objects.filter(created_at__lt=before, ip_address__isnull=False).update(
        ip_address=None
    )
    erased += Report.objects.filter(created_at__lt=before, ip_address__isnull=False).update(
        ip_address=None
    )
    return erased


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


def _duplicate_window():
    return timedelta(seconds=settings.NEWSBOARD_DUPLICATE_WINDOW_SECONDS)


def _repeat_window():
    return timedelta(seconds=settings.NEWSBOARD_REPEAT_WINDOW_SECONDS)


def _one_post_at_a_time(article, user, guest_email):
    """Make concurrent posts by one author to one article wait for each other, and return
    the id for the new comment where the database hands it out in the same statement.

    The duplicate check must see a double-clicked twin that is being posted
    at the same moment, while other readers post on undisturbed. PostgreSQL
    takes a transaction-scoped advisory lock named for the article and the
    author, and gives the next id from the comments' sequence with it, so a
    new thread can name itself as its thread in its insert rather than in an
    update after it. SQLite runs one write transaction at a time anyway (they
    begin IMMEDIATE, see settings); there the id comes with the insert (None).
    """
    if connection.vendor != "postgresql":
        return None
    author = f"user:{user.pk}" if user else f"guest:{guest_email}"
    digest = hashlib.blake2b(f"post:{article.pk}:{author}".encode(), digest_size=8).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s), nextval(pg_get_serial_sequence(%s, 'id'))",
            [int.from_bytes(digest, "big", signed=True), Comment._meta.db_table],
        )
        return cursor.fetchone()[1]


def _parent_for_reply(article, parent_id, viewer):
    if not parent_id:
        return None
    try:  # with what notify_about() needs of it
        parent = (
            Comment.objects.select_related("user")
            .only("pk", "article_id", "thread_id", "status", "guest_email", "user")
            .get(pk=parent_id)
        )
    except Comment.DoesNotExist:
        parent = None
    if parent is None or parent.article_id != article.pk:
        raise ValidationError(
            _("The comment you are replying to is not part of this discussion."),
            code="parent_elsewhere",
        )
    if not (parent.is_approved or (viewer and viewer.owns(parent))):
        raise ValidationError(
            _("The comment you are replying to is no longer visible, so replies to it are closed."),
            code="parent_hidden",
        )
    return parent


def _comment_columns(*fields):
    """The comments table and these fields' columns, quoted, for the SQL written out here."""
    quote = connection.ops.quote_name
    return quote(Comment._meta.db_table), {
        name: quote(Comment._meta.get_field(name).column) for name in fields
    }


def _authored_by(column, user, guest_email):
    """(condition, parameters) for the comments of this member, or of this guest by their
    email (stored lowercased: an exact match can use its index)."""
    if user is not None:
        return f"{column['user']} = %s", [user.pk]
    return f"{column['user']} IS NULL AND {column['guest_email']} = %s", [guest_email]


def _author_record(body, user, guest_email, *, now):
    """What the rules need of the author's past, in one statement: (same_text, decided).

    same_text: their comments with this very text, oldest first, over the
    longer of the duplicate and the repeat windows, for _recent_duplicate()
    and _same_text_elsewhere(); decided: the statuses of their latest
    NEWSBOARD_REJECTION_SAMPLE approved, removed or spam comments, newest
    first, for _author_holds(). It is written out in SQL because building its
    two halves through the ORM took longer than anything else a post does.
    """
    # what the rules read, and what a duplicate given back is shown and answered with
    # (the article, for its headline, only when the text was posted elsewhere: rare)
    shown = ("id", "article", "parent", "created_at", "status", "user", "guest_email")
    table, column = _comment_columns(*shown, "body")
    selected = ", ".join(column[name] for name in shown)
    author, author_params = _authored_by(column, user, guest_email)
    decided_statuses = [Comment.Status.APPROVED, Comment.Status.REMOVED, Comment.Status.SPAM]
    rows = Comment.objects.raw(
        f"SELECT * FROM (SELECT {selected}, 1 AS same_text FROM {table}"  # noqa: S608
        f" WHERE {author} AND {column['body']} = %s AND {column['created_at']} >= %s"
        f" ORDER BY {column['created_at']}) AS same"
        f" UNION ALL SELECT * FROM (SELECT {selected}, 0 AS same_text FROM {table}"
        f" WHERE {author} AND {column['status']} IN (%s, %s, %s)"
        f" ORDER BY {column['created_at']} DESC LIMIT %s) AS decided",
        [
            *author_params,
            body,
            connection.ops.adapt_datetimefield_value(
                now - max(_duplicate_window(), _repeat_window())
            ),
            *author_params,
            *decided_statuses,
            settings.NEWSBOARD_REJECTION_SAMPLE if (user or guest_email) else 0,
        ],
    )
    same_text, decided = [], []
    for comment in rows:
        if comment.same_text:
            same_text.append(comment)
        else:
            decided.append(comment.status)
    return same_text, decided


def _recent_duplicate(same_text, article, parent, *, since):
    """The first of same_text sent to the same place since then, or None."""
    parent_id = parent.pk if parent else None
    return next(
        (
            earlier
            for earlier in same_text
            if earlier.article_id == article.pk
            and earlier.parent_id == parent_id
            and earlier.created_at >= since
        ),
        None,
    )


def _same_text_elsewhere(comment, same_text):
    """An article where this author posted the same text recently, or None."""
    if not (comment.user_id or comment.guest_email):
        return None
    since = comment.created_at - _repeat_window()
    return next(
        (
            earlier.article
            for earlier in same_text
            if earlier.article_id != comment.article_id and earlier.created_at >= since
        ),
        None,
    )


def _author_holds(comment, decided):
    """Holds for authors the site does not know well yet, or who are often rejected.

    Both rules read decided, the statuses of the author's latest decided
    comments (_author_record()); only an author with a full sample of them
    and too few approved among it costs a query, to count approvals further
    back.
    """
    sample = settings.NEWSBOARD_REJECTION_SAMPLE
    needed = settings.NEWSBOARD_NEW_COMMENTER_APPROVALS
    approved = decided.count(Comment.Status.APPROVED)
    if approved < needed and len(decided) == sample:
        authored = (
            Q(user_id=comment.user_id)
            if comment.user_id
            else Q(user=None, guest_email=comment.guest_email)
        )
        approved = Comment.objects.filter(authored, status=Comment.Status.APPROVED)[:needed].count()
    if approved < needed:
        return [
            hold(
                "new_commenter",
                _("%(approved)d of %(needed)d comments approved so far")
                % {"approved": approved, "needed": needed},
            )
        ]
    rejected = sum(status != Comment.Status.APPROVED for status in decided)
    if (
        len(decided) >= settings.NEWSBOARD_REJECTION_MINIMUM
        and rejected / len(decided) > settings.NEWSBOARD_REJECTION_RATE
    ):
        return [
            hold(
                "rejection_rate",
                _("%(rejected)d of the last %(decided)d rejected")
                % {"rejected": rejected, "decided": len(decided)},
            )
        ]
    return []


def _count_new_approved(comment):
    """Count a new approved comment on its article and on its parent, if any.

    Written out in SQL: through the ORM these two one-row updates took longer
    to build than to run, and a post makes them every time.
    """
    quote = connection.ops.quote_name
    when = connection.ops.adapt_datetimefield_value(comment.created_at)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(Article._meta.db_table)} SET comment_count = comment_count + 1,"  # noqa: S608
            " last_commented_at = %s, discussion_changed_at = %s WHERE id = %s",
            [when, when, comment.article_id],
        )
        if comment.parent_id:
            cursor.execute(
                f"UPDATE {quote(Comment._meta.db_table)} SET reply_count = reply_count + 1"  # noqa: S608
                " WHERE id = %s",
                [comment.parent_id],
            )
