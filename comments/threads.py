"""Turning the rows of a page of threads into what the template renders.

The database returns every comment of the page's threads in display order
with its depth (one recursive query). Here, in one pass each way, we drop
what nobody should see, keep placeholders where a hidden comment has visible
replies, stop nesting at the display depth, and note where each nested list
opens and closes, so the template renders the tree in a flat loop; then
render_tree() renders them with comments/jinja2/comments/comment_tree.html.
"""

from collections import Counter
from datetime import time
from functools import cache
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Q
from django.template import engines
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from .models import Comment
from .rules import describe_holds


class Sort:
    """How a discussion is ordered: its top-level threads, and the replies within each."""

    def __init__(self, label, threads, replies=("created_at", "pk")):
        self.label = label
        self.threads = threads
        self.replies = replies


SORTS = {
    "best": Sort(_("Best"), ("-score", "-created_at", "-pk"), ("-score", "created_at", "pk")),
    "newest": Sort(_("Newest"), ("-created_at", "-pk")),
    "oldest": Sort(_("Oldest"), ("created_at", "pk")),
    "replies": Sort(_("Most replies"), ("-reply_count", "-created_at", "-pk")),
}


def sort_from(value):
    """The sort asked for, or the site's default for anything unknown."""
    return value if value in SORTS else settings.NEWSBOARD_DEFAULT_SORT


class Node:
    """One comment as displayed: its depth, whether it is a placeholder, how its list closes."""

    __slots__ = (
        "comment",
        "depth",
        "placeholder",
        "has_children",
        "closes",
        "hidden_replies",
        "more_in_thread",
        "replies_shown",
    )

    def __init__(self, comment, depth, placeholder):
        self.comment = comment
        self.depth = depth
        self.placeholder = placeholder
        self.has_children = False
        self.closes = range(0)
        self.hidden_replies = 0
        self.more_in_thread = 0  # on a thread's last shown node: how many more it has
        self.replies_shown = 0  # replies at any depth below it on the page

    @property
    def continues_elsewhere(self):
        return self.hidden_replies > 0


def display_nodes(
    rows, viewer, *, thread_order=None, base_depth=0, max_depth=None, max_per_thread=None
):
    """The nodes to render, in order, from comments with `tree_depth`.

    thread_order, when given, is the order of the threads (their top-level
    comment ids) on the page; the rows are otherwise kept in the order given.
    max_per_thread, when given, shows at most that many comments of a thread;
    its last shown node then says how many more the thread's own page has.
    """
    if max_depth is None:
        max_depth = settings.NEWSBOARD_DISPLAY_DEPTH
    rows = list(rows)
    if thread_order is not None:
        position = {thread_id: index for index, thread_id in enumerate(thread_order)}
        rows.sort(key=lambda comment: position[comment.thread_id])  # stable: keeps tree order

    keep = _keep_flags(rows, viewer.can_see)
    nodes = []
    cut_off_at = None  # the node under which deeper replies are folded away
    shown_in_thread = Counter()
    last_in_thread = {}
    for comment in rows:
        if not keep[comment.id]:
            continue
        if max_per_thread is not None and shown_in_thread[comment.thread_id] >= max_per_thread:
            last_in_thread[comment.thread_id].more_in_thread += 1
            continue
        depth = comment.tree_depth - base_depth
        if depth >= max_depth:
            cut_off_at.hidden_replies += 1
            continue
        node = Node(comment, depth, placeholder=not viewer.can_see(comment))
        if depth == max_depth - 1:
            cut_off_at = node
        nodes.append(node)
        shown_in_thread[comment.thread_id] += 1
        last_in_thread[comment.thread_id] = node

    ancestors = []
    for node, following in zip(nodes, [*nodes[1:], None], strict=False):
        del ancestors[node.depth :]
        for ancestor in ancestors:
            ancestor.replies_shown += 1
        ancestors.append(node)
        next_depth = following.depth if following else 0
        node.has_children = next_depth > node.depth
        if not node.has_children:
            node.closes = range(node.depth - next_depth)
    return nodes


def _keep_flags(rows, is_shown):
    """id -> whether the comment is shown in full or as a placeholder for shown replies.

    (Here and in display_nodes, the id field rather than the pk property, which
    costs a lookup on every comment of a page that may have thousands.)
    """
    keep = {}
    has_kept_reply = set()
    for comment in reversed(rows):  # replies come before their parents
        kept = is_shown(comment) or comment.id in has_kept_reply
        keep[comment.id] = kept
        if kept and comment.parent_id:
            has_kept_reply.add(comment.parent_id)
    return keep


def thread_page_number(root, viewer, sort):
    """The page of the article's discussion on which this top-level comment's thread appears."""
    roots = Comment.objects.thread_roots(root.article_id, viewer)
    earlier = roots.filter(_comes_before(root, SORTS[sort].threads)).count()
    return earlier // settings.NEWSBOARD_THREADS_PER_PAGE + 1


def _comes_before(row, order):
    """A filter for the rows that an ORDER BY on these fields puts before `row`."""
    condition = Q(pk__in=[])
    equal_so_far = Q()
    for field in order:
        name = field.lstrip("-")
        value = getattr(row, name)
        lookup = "gt" if field.startswith("-") else "lt"
        condition |= equal_so_far & Q(**{f"{name}__{lookup}": value})
        equal_so_far &= Q(**{name: value})
    return condition


def render_tree(nodes, *, viewer, article, request):
    """The nodes (display_nodes) as nested lists of comments: comments/comment_tree.html.

    The template is rendered by Django's Jinja2 backend: on a page of
    thousands of comments, Django's template language would cost several
    times as much. What is the same for every comment is worked out here
    once per tree: URL patterns reversed once, each author's profile address
    once per author, and the labels that name an author or count replies
    translated once, each author's avatar once per name, and dates by CardDates.
    """
    replied_to = {  # pk -> the name that a reply to it says it answers
        node.comment.id: gettext("[removed]") if node.placeholder else node.comment.author_name
        for node in nodes
    }
    avatars = {  # name -> the avatar's tone (one of ten) and the initial it shows
        name: (len(name) % 10, name[:1].upper()) for name in set(replied_to.values())
    }
    dates = CardDates()
    html = (
        engines["jinja2"]
        .get_template("comments/comment_tree.html")
        .render(
            {
                "nodes": nodes,
                "viewer": viewer,
                "accepts_comments": article.accepts_comments,
                # attributes, not keys: Jinja2 tries an attribute first for urls.reply
                "urls": SimpleNamespace(
                    **{name: _url_pattern(f"comments:{name}") for name in COMMENT_URLS}
                ),
                "profile_url": cache(lambda username: reverse("profile", args=[username])),
                "replied_to": replied_to,
                "avatars": avatars,
                "written": dates.written,
                "comment_by": gettext("Comment by %(name)s"),
                "in_reply_to": gettext("in reply to %(name)s"),
                "fold_labels": cache(_fold_labels),
                "removal_reasons": Comment.RemovalReason.choices,
                "describe_holds": describe_holds,
            },
            request=request,
        )
    )
    return mark_safe(html)  # a Jinja2 template with autoescaping on


class CardDates:
    """Dates as the card writes them, through Django's own formatting, for one render.

    A datetime is written as its day (DATE_FORMAT) and its time (TIME_FORMAT)
    joined by a translatable pattern, which for English is exactly what
    DATETIME_FORMAT writes ("Dec. 7, 2026, 11:20 p.m."). A page of thousands
    of comments has a few hundred days and at most 1,440 minutes of the day,
    so each day and each time of day is formatted once per render; the
    current time zone is read once.
    """

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.pattern = pgettext("comment date", "%(date)s, %(time)s")
        time_format = formats.get_format("TIME_FORMAT")
        self.to_the_second = "s" in time_format or "u" in time_format
        self.day = cache(lambda day: formats.date_format(day, "DATE_FORMAT"))
        self.time_of_day = cache(lambda moment: formats.time_format(moment, "TIME_FORMAT"))

    def written(self, value):
        """An aware datetime in the current time zone, as a <time datetime> attribute
        (to the second) and as the card shows it."""
        local = value.astimezone(self.zone)
        moment = time(local.hour, local.minute, local.second if self.to_the_second else 0)
        text = self.pattern % {"date": self.day(local.date()), "time": self.time_of_day(moment)}
        return local.isoformat(timespec="seconds"), text


def _fold_labels(count):
    """What the control that folds a comment and its `count` replies away says: open, and
    folded (a pattern for the author's name and the count)."""
    hide = ngettext(
        "Hide this comment and its %(count)s reply",
        "Hide this comment and its %(count)s replies",
        count,
    ) % {"count": count}
    hidden = ngettext(
        "%(name)s · %(count)s reply hidden", "%(name)s · %(count)s replies hidden", count
    )
    return hide, hidden


COMMENT_URLS = (
    "detail",
    "reply",
    "edit",
    "delete",
    "report",
    "vote",
    "sign_in_to_vote",
    "moderate",
)
_PK = 2_147_483_647  # stands for a comment's pk while a URL pattern is reversed


def _url_pattern(name):
    """The URL of a comment's view as a pattern for %: "/comments/%d/reply/" % pk."""
    return reverse(name, args=[_PK]).replace("%", "%%").replace(str(_PK), "%d")
