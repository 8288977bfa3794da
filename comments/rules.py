"""The moderation rules a comment meets when it is posted or edited.

Who may post (bans, suspensions, the block list), which words refuse a
comment, and the holds that send it to the moderators' queue instead of the
page, with the reasons a moderator reads. posting.py applies them to a new or
edited comment; moderation.py records the decisions that follow.
"""

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q, Value
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article
from newsboard.caches import process_cache
from newsboard.markup import render_comment

from .models import Block, Comment, ModeratedPhrase
from .phrases import PhraseMatcher

# The statuses a moderator's decision (or the rules') leaves a comment in.
DECIDED = (Comment.Status.APPROVED, Comment.Status.REMOVED, Comment.Status.SPAM)


def authored_by(user, guest_email, **lookups):
    """The comments of this member, or of this guest by their email (stored lowercased:
    an exact match can use its index), that also match lookups."""
    if user is not None:
        return Q(user=user, **lookups)
    return Q(user=None, guest_email=guest_email, **lookups)


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

    same_text and decided are the author's record (posting.author_record()): their
    recent comments with the same text, and the statuses of their latest
    decided ones. held_for lists every rule that applies, as
    {"rule": ..., "detail": ...}, so the moderator sees all the reasons at once.
    """
    if honeypot_filled:
        return Comment.Status.SPAM, [hold("honeypot", _("a field hidden from people was filled"))]
    repeated_on = same_text_elsewhere(comment, same_text)
    if repeated_on is not None:
        headline = Article.objects.values_list("headline", flat=True).get(pk=repeated_on)
        return Comment.Status.SPAM, [
            hold("repeated", _("the same text was posted on “%s”") % headline)
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


# How many rows each list has and when its latest row changed, one row per list, in one
# query. It depends on nothing in the request, so it is built once per process: building
# a union of grouped queries costs twice what running it does.
LISTS_VERSION = (
    ModeratedPhrase.objects.order_by()
    .values(list=Value("phrases"))
    .annotate(rows=Count("pk"), changed=Max("updated_at"))
    .values_list("list", "rows", "changed")
    .union(
        Block.objects.order_by()
        .values(list=Value("blocks"))
        .annotate(rows=Count("pk"), changed=Max("updated_at"))
        .values_list("list", "rows", "changed"),
        all=True,
    )
    .order_by()
)


def moderation_lists():
    """The phrase lists and the block list, read once per server process and again when
    either changes.

    Whether they changed is asked of the database (LISTS_VERSION), so every
    process sees an edit in the admin at once, with no shared cache: a deletion
    changes a list's count of rows, an addition or an edit its latest change.
    (An update() that bypasses the models' save() is not seen until the next
    change.)
    """
    return _moderation_lists(tuple(sorted(LISTS_VERSION.all())))


def duplicate_window():
    return timedelta(seconds=settings.NEWSBOARD_DUPLICATE_WINDOW_SECONDS)


def repeat_window():
    return timedelta(seconds=settings.NEWSBOARD_REPEAT_WINDOW_SECONDS)


def same_text_elsewhere(comment, same_text):
    """The id of an article where this author posted the same text recently, or None."""
    if not (comment.user_id or comment.guest_email):
        return None
    since = comment.created_at - repeat_window()
    return next(
        (
            earlier.article_id
            for earlier in same_text
            if earlier.article_id != comment.article_id and earlier.created_at >= since
        ),
        None,
    )


def _author_holds(comment, decided):
    """Holds for authors the site does not know well yet, or who are often rejected.

    Both rules read decided, the statuses of the author's latest decided
    comments (posting.author_record()); only an author with a full sample of them
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
