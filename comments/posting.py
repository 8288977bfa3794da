"""A reader's own comments: posting one through the moderation rules, editing it within
the edit window, withdrawing it.

Views, the admin, imports and management commands all post through
post_comment(), so a comment goes through the same checks (rules.py,
ratelimits.py) and the same bookkeeping (thread ids, exact approved-comment
counts, notifications) whichever door it came in by.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.models import Article

from . import database, moderation, notifications, ratelimits, rules
from .models import Comment, CommentRevision, ModerationAction

# The two reads of author_record(), all but the author and the text: built once per
# process, as they depend on nothing in the request.
# The author's comments with the same text, oldest first: where and when each was
# posted. Plain rows, not instances: there are none but for a double click or a spammer.
SAME_TEXT = Comment.objects.order_by("created_at").values_list(
    "pk", "article_id", "parent_id", "created_at", named=True
)
# The statuses of the author's decided comments, newest first.
DECIDED_STATUSES = (
    Comment.objects.filter(status__in=rules.DECIDED)
    .order_by("-created_at")
    .values_list("status", flat=True)
)


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
    lists = rules.moderation_lists()
    rules.check_author_may_post(
        lists, user=user, guest_email=guest_email, ip_address=ip_address, now=now
    )
    if limit_rate:
        ratelimits.check_rate_limits(
            user=user, guest_email=guest_email, ip_address=ip_address, now=now
        )
    matchers = lists.matchers
    rules.check_banned_phrases(body, matchers)
    with transaction.atomic():
        new_id = database.take_posting_lock(
            article.pk, f"user:{user.pk}" if user else f"guest:{guest_email}"
        )
        parent = _parent_for_reply(article, parent_id, viewer)
        same_text, decided = author_record(body, user, guest_email, now=now)
        duplicate = _recent_duplicate(
            same_text, article, parent, since=now - rules.duplicate_window()
        )
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
        comment.status, comment.held_for = rules.assess(
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
                reason=rules.describe_holds(comment.held_for),
                created_at=now,
            )
    return comment, True


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


def author_record(body, user, guest_email, *, now):
    """What the rules need of the author's past: (same_text, decided).

    same_text: (pk, article_id, parent_id, created_at) of their comments with
    this very text, oldest first, over the longer of the duplicate and the
    repeat windows, for _recent_duplicate() and rules.same_text_elsewhere(),
    which read the comment or the article only when one is found (rare);
    decided: the statuses of their latest
    NEWSBOARD_REJECTION_SAMPLE approved, removed or spam comments, newest
    first, for the rules on new and often rejected authors. Two queries, each
    one range of the author's index.
    """
    authored = rules.authored_by(user, guest_email)
    since = now - max(rules.duplicate_window(), rules.repeat_window())
    same_text = list(SAME_TEXT.filter(authored, body=body, created_at__gte=since))
    if not (user or guest_email):  # guests without an address have no record to judge
        return same_text, []
    decided = DECIDED_STATUSES.filter(authored)[: settings.NEWSBOARD_REJECTION_SAMPLE]
    return same_text, list(decided)


def _recent_duplicate(same_text, article, parent, *, since):
    """The first of same_text sent to the same place since then, or None."""
    parent_id = parent.pk if parent else None
    earlier = next(
        (
            earlier
            for earlier in same_text
            if earlier.article_id == article.pk
            and earlier.parent_id == parent_id
            and earlier.created_at >= since
        ),
        None,
    )
    return None if earlier is None else Comment.objects.get(pk=earlier.pk)


def _count_new_approved(comment):
    """Count a new approved comment on its article and on its parent, if any."""
    Article.objects.filter(pk=comment.article_id).update(
        comment_count=F("comment_count") + 1,
        last_commented_at=comment.created_at,
        discussion_changed_at=comment.created_at,
    )
    if comment.parent_id:
        Comment.objects.filter(pk=comment.parent_id).update(reply_count=F("reply_count") + 1)


def edit_comment(comment, viewer, body):
    """The author rewrites their comment within the edit window; returns the comment.

    The new text goes through the word rules again: banned words refuse the
    edit (ValidationError, text kept by the form), suspect words or too many
    links send an approved comment back to the queue. The text it replaces is
    kept as a revision for moderators.
    """
    _check_author_may_change(comment, viewer)
    lists = rules.moderation_lists()
    rules.check_author_may_post(
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
    rules.check_banned_phrases(body, matchers)
    now = timezone.now()
    with transaction.atomic():
        CommentRevision.objects.create(comment=comment, body=comment.body, replaced_at=now)
        comment.body = body
        holds = rules.content_holds(comment, matchers)
        comment.edited_at = now
        if holds:
            comment.held_for = [*comment.held_for, *holds]
        comment.save(update_fields=["body", "body_html", "edited_at", "held_for"])
        moderation.discussion_changed([comment.article_id])
        if holds and comment.is_approved:
            moderation.set_status(
                Comment.objects.filter(pk=comment.pk),
                Comment.Status.PENDING,
                reason=_("Held after an edit: %s") % rules.describe_holds(holds),
            )
            comment.status = Comment.Status.PENDING
    return comment


def delete_own_comment(comment, viewer):
    """An author withdraws their comment; it stays as a placeholder when it has replies."""
    _check_author_may_change(comment, viewer)
    moderation.set_status(
        Comment.objects.filter(pk=comment.pk), Comment.Status.DELETED, by=viewer.user
    )


def _check_author_may_change(comment, viewer):
    if not viewer.owns(comment) or comment.status in (
        Comment.Status.DELETED,
        Comment.Status.REMOVED,
        Comment.Status.SPAM,
    ):
        raise ValidationError(_("Only its author can change this comment."), code="not_author")
