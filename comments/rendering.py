"""A tree of comments as HTML: the hot path of every article page.

A discussion may put thousands of comments on one page, and Django's
template engine spends about half a millisecond on each of them (a context
lookup per variable, an include per part, a reverse() per link, a catalogue
lookup per label). Here the same markup is built with plain string
formatting: every label is translated and every URL pattern reversed once
per tree, so each comment costs a few escapes, one date format and one
join. Text is escaped exactly as the templates escape it
(django.utils.html.escape); body_html was sanitized when the comment was saved.

The markup is the contract the templates, the stylesheet, our script and
the tests share: every comment is an <li id="comment-<pk>"
data-comment-id data-parent-id data-depth> holding an <article
class="comment-card">, and replies nest as <ol class="comment-replies">. A
comment with replies can be folded away with them: its card and replies
sit in a <details class="comment-fold" open> whose <summary> is the fold
control, which works without JavaScript.
"""

import re
from functools import lru_cache
from html import escape
from urllib.parse import quote

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import DateFormat
from django.utils.formats import get_format
from django.utils.translation import get_language, gettext, ngettext

from . import rules
from .models import Comment

_PK = 2_147_483_647  # stands for the comment's pk while a URL pattern is reversed


def _url_with_pk(name):
    """reverse(name, args=[pk]) as a prefix and a suffix, so each URL is one concatenation."""
    prefix, suffix = reverse(name, args=[_PK]).split(str(_PK))
    return prefix, suffix


class LocalizedDateTimes:
    """Datetimes in the active language's DATETIME_FORMAT, as the |date filter writes them.

    The filter parses the format, checks the time zone and translates the
    month name again for every value. Here the format is parsed once, and
    what its specifiers say of a day or of a minute of the day is kept for
    the whole process (in the language it was made in): on a discussion of
    thousands of comments, almost every comment finds its day and its minute
    already written.
    """

    SPECIFIERS = re.compile(r"(?<!\\)([aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ])")
    BY_DAY = frozenset("bdDEFjlLmMnNoStwWyYz")
    BY_MINUTE = frozenset("aAfgGhHiP")

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.language = get_language()
        pieces = self.SPECIFIERS.split(str(get_format("DATETIME_FORMAT")))
        self.pieces = [
            (piece, True) if index % 2 else (re.sub(r"\\(.)", r"\1", piece), False)
            for index, piece in enumerate(pieces)
            if piece
        ]
        specifiers = [piece for piece, is_specifier in self.pieces if is_specifier]
        self.by_day = tuple(dict.fromkeys(s for s in specifiers if s in self.BY_DAY))
        self.by_minute = tuple(dict.fromkeys(s for s in specifiers if s in self.BY_MINUTE))
        # Formats that show nothing finer than the minute are the same all minute long.
        self.whole_minutes = len(self.by_day) + len(self.by_minute) == len(set(specifiers))
        self.formatted = {}

    def localtime(self, value):
        return value.astimezone(self.zone)

    def format(self, value):
        """value, already in local time (localtime()), as the |date filter would write it."""
        if not self.whole_minutes:
            return self._format(value)
        minute = value.replace(second=0, microsecond=0)
        text = self.formatted.get(minute)
        if text is None:
            text = self.formatted[minute] = self._format(minute)
        return text

    def _format(self, value):
        minute = value.time().replace(second=0, microsecond=0)
        texts = {
            **_texts(self.language, self.by_day, value.date()),
            **_texts(self.language, self.by_minute, minute),
        }
        return "".join(
            (texts.get(piece) or str(getattr(DateFormat(value), piece)()))
            if is_specifier
            else piece
            for piece, is_specifier in self.pieces
        )


@lru_cache(maxsize=8192)
def _texts(language, specifiers, moment):
    """What each of these format specifiers writes for a day (a date) or a minute of the
    day (a time), in the language."""
    formatter = DateFormat(moment)
    return {specifier: str(getattr(formatter, specifier)()) for specifier in specifiers}


def render_tree(nodes, *, viewer, article, request):
    """The nodes (comments.threads.display_nodes) as nested ordered lists."""
    return TreeRenderer(viewer, article, request).render(nodes)


class TreeRenderer:
    """Everything a tree needs that is the same for each of its comments, worked out once."""

    def __init__(self, viewer, article, request):
        self.viewer = viewer
        self.accepts_comments = article.accepts_comments
        self.now = timezone.now()
        self.detail_url = _url_with_pk("comments:detail")
        self.reply_url = _url_with_pk("comments:reply")
        self.edit_url = _url_with_pk("comments:edit")
        self.delete_url = _url_with_pk("comments:delete")
        self.report_url = _url_with_pk("comments:report")
        self.vote_url = _url_with_pk("comments:vote")
        self.moderate_url = _url_with_pk("comments:moderate")
        self.profile_url = reverse("profile", kwargs={"username": "-"})[:-2]
        if viewer.user is None:
            login_next = quote(article.get_absolute_url(), safe="/")
            self.sign_in_to_vote = escape(f"{reverse('login')}?next={login_next}%23comment-")
        if viewer.user is not None or viewer.is_moderator:
            csrf = escape(get_token(request))
            self.form_tokens = (
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
                f'<input type="hidden" name="next" value="{escape(request.get_full_path())}">'
            )
        self.reason_options = "".join(
            f'<option value="{escape(value)}">{escape(str(label))}</option>'
            for value, label in Comment.RemovalReason.choices
        )
        self.t = self._labels()
        self.comment_by = gettext("Comment by %(name)s")
        self.in_reply_to = gettext("in reply to %(name)s")
        self.fold_texts = {}  # replies hidden -> the fold control's texts
        self.dates = LocalizedDateTimes()

    @staticmethod
    def _labels():
        return {
            "removed_comment": escape(gettext("Removed comment")),
            "deleted_by_author": escape(gettext("[deleted by its author]")),
            "removed": escape(gettext("[removed]")),
            "guest": escape(gettext("guest")),
            "author": escape(gettext("Author")),
            "staff": escape(gettext("Staff")),
            "permalink": escape(gettext("Permalink")),
            "edited": escape(gettext("edited")),
            "staff_pick": escape(gettext("Staff pick")),
            "post_reply": escape(gettext("Post reply")),
            "reply": escape(gettext("Reply")),
            "edit": escape(gettext("Edit")),
            "delete": escape(gettext("Delete")),
            "report": escape(gettext("Report")),
            "awaiting_moderation": escape(gettext("Awaiting moderation")),
            "marked_spam": escape(gettext("Marked as spam")),
            "only_you": escape(
                gettext("Awaiting moderation: only you can see this comment for now.")
            ),
            "removed_by_moderator": escape(gettext("Removed by a moderator.")),
            "deleted_state": escape(gettext("Deleted by its author.")),
            "sign_in_to_vote": escape(gettext("Sign in to vote")),
            "sign_in_up": escape(gettext("Sign in to vote up")),
            "sign_in_down": escape(gettext("Sign in to vote down")),
            "vote_up": escape(gettext("Vote up")),
            "vote_down": escape(gettext("Vote down")),
            "moderate": escape(gettext("Moderate this comment")),
            "approve": escape(gettext("Approve")),
            "spam": escape(gettext("Spam")),
            "feature": escape(gettext("Feature")),
            "unfeature": escape(gettext("Unfeature")),
            "reason": escape(gettext("Reason")),
            "reason_choose": escape(gettext("Reason…")),
            "remove": escape(gettext("Remove")),
        }

    def render(self, nodes):
        self.authors = {}  # (name, username) -> what a card says of that author
        self.replied_to = {}  # pk -> the "in reply to" of replies to it further down
        parts = ['<ol class="comment-tree">']
        for node in nodes:
            parts.append(self.comment(node))
        parts.append("</ol>")
        return "".join(parts)

    def comment(self, node):
        c = node.comment
        t = self.t
        pk = c.id  # the field itself: the pk property costs a lookup, on every comment
        classes = "comment"
        if node.placeholder:
            classes += " comment-placeholder"
        elif c.status == Comment.Status.SPAM and not self.viewer.is_moderator:
            classes += " comment-pending"
        elif c.status != Comment.Status.APPROVED:
            classes += f" comment-{c.status}"
        if c.featured_at:
            classes += " comment-featured"
        parent = "" if c.parent_id is None else c.parent_id
        parts = [
            f'<li class="{classes}" id="comment-{pk}" data-comment-id="{pk}"'
            f' data-parent-id="{parent}" data-depth="{node.depth}">'
        ]
        if node.has_children:
            parts.append(None)  # the fold control, once the author's name is known
        if node.placeholder:
            author_name = gettext("[removed]")
            self.replied_to[pk] = escape(self.in_reply_to % {"name": author_name})
            parts.append(f'<article class="comment-card" aria-label="{t["removed_comment"]}">')
            gone = t["deleted_by_author"] if c.status == Comment.Status.DELETED else t["removed"]
            parts.append(
                '<p class="comment-removed"><span class="comment-avatar comment-avatar-removed"'
                f' aria-hidden="true"></span> {gone}</p>'
            )
        else:
            author_name, label, byline, replied_to = self.author(c)
            self.replied_to[pk] = replied_to
            parts.append(f'<article class="comment-card" aria-label="{label}">')
            parts.append(self.header(c, byline))
            parts.append(self.state(c))
            parts.append(f'<div class="comment-text">{c.body_html}</div>')
            parts.append(self.actions(c))
            if self.viewer.is_moderator:
                parts.append(self.moderation_tools(c))
        if node.more_in_thread:
            text = ngettext(
                "Load %(counter)s more reply in this thread →",
                "Load %(counter)s more replies in this thread →",
                node.more_in_thread,
            ) % {"counter": node.more_in_thread}
            href = self.detail_url[0] + str(c.thread_id) + self.detail_url[1]
            parts.append(
                f'<a class="continue-thread more-in-thread" href="{href}">{escape(text)}</a>'
            )
        if node.continues_elsewhere:
            text = ngettext(
                "Continue this thread (%(counter)s more reply) →",
                "Continue this thread (%(counter)s more replies) →",
                node.hidden_replies,
            ) % {"counter": node.hidden_replies}
            href = self.detail_url[0] + str(pk) + self.detail_url[1]
            parts.append(f'<a class="continue-thread" href="{href}">{escape(text)}</a>')
        parts.append("</article>")
        if node.has_children:
            parts[1] = self.fold(node, author_name)
            parts.append('<ol class="comment-replies">')
        else:
            parts.append("</li>")
            parts.append("</ol></details></li>" * len(node.closes))
        return "".join(parts)

    def fold(self, node, name):
        """The control that folds a comment and its replies away, and shows what it hides."""
        count = node.replies_shown
        texts = self.fold_texts.get(count)
        if texts is None:
            hide = ngettext(
                "Hide this comment and its %(count)s reply",
                "Hide this comment and its %(count)s replies",
                count,
            ) % {"count": count}
            hidden = ngettext(
                "%(name)s · %(count)s reply hidden",
                "%(name)s · %(count)s replies hidden",
                count,
            )
            texts = self.fold_texts[count] = (escape(hide), hidden)
        hide, hidden = texts
        return (
            '<details class="comment-fold" open><summary class="comment-fold-toggle">'
            '<span class="fold-when-open" aria-hidden="true">−</span>'
            f'<span class="fold-when-open visually-hidden">{hide}</span>'
            '<span class="fold-when-closed"><span aria-hidden="true">+</span>'
            f" {escape(hidden % {'name': name, 'count': count})}</span></summary>"
        )

    def author(self, c):
        """(name, card label, avatar and name, "in reply to" them): once per author and tree."""
        name = str(c.author_name)  # "[deleted user]" is a lazy translation
        username = c.user.username if c.user_id else None
        known = self.authors.get((name, username))
        if known is None:
            escaped = escape(name)
            if username is None:
                link = f'<span class="comment-author">{escaped}</span>'
            else:
                profile = self.profile_url + escape(quote(username, safe="@+"))
                link = f'<a class="comment-author" href="{profile}/">{escaped}</a>'
            known = self.authors[(name, username)] = (
                name,
                escape(self.comment_by % {"name": name}),
                f'<span class="comment-avatar avatar-tone-{len(name) % 10}" aria-hidden="true">'
                f"{escape(name[:1].upper())}</span> {link}",
                escape(self.in_reply_to % {"name": name}),
            )
        return known

    def header(self, c, byline):
        t = self.t
        if c.is_guest:
            badge = f' <span class="guest-badge">{t["guest"]}</span>'
        elif c.by_article_author:
            badge = f' <span class="role-badge author-badge">{t["author"]}</span>'
        elif c.user.is_staff:
            badge = f' <span class="role-badge staff-badge">{t["staff"]}</span>'
        else:
            badge = ""
        created = self.dates.localtime(c.created_at)
        href = self.detail_url[0] + str(c.id) + self.detail_url[1]
        parts = [
            f'<header class="comment-meta">{byline}{badge}'
            ' <span class="comment-meta-sep" aria-hidden="true">·</span>'
            f' <a class="comment-permalink" href="{href}" title="{t["permalink"]}">'
            f'<time datetime="{created.isoformat()}">'
            f"{escape(self.dates.format(created))}</time></a>"
        ]
        replied_to = self.replied_to.get(c.parent_id)
        if replied_to is not None:
            parts.append(f' <a class="in-reply-to" href="#comment-{c.parent_id}">{replied_to}</a>')
        if c.edited_at:
            edited = escape(self.dates.format(self.dates.localtime(c.edited_at)))
            parts.append(f' <span class="comment-edited" title="{edited}">{t["edited"]}</span>')
        if c.featured_at:
            parts.append(f' <span class="featured-badge">{t["staff_pick"]}</span>')
        parts.append("</header>")
        return "".join(parts)

    def state(self, c):
        """What the author (or a moderator) sees on a comment that the public does not."""
        t = self.t
        status = c.status
        if status == Comment.Status.APPROVED:
            return ""
        moderator = self.viewer.is_moderator
        holds = f" · {escape(rules.describe_holds(c.held_for))}" if c.held_for else ""
        if moderator and status == Comment.Status.PENDING:
            text, kind = t["awaiting_moderation"] + holds, "pending"
        elif moderator and status == Comment.Status.SPAM:
            text, kind = t["marked_spam"] + holds, "spam"
        elif status in (Comment.Status.PENDING, Comment.Status.SPAM):
            text, kind = t["only_you"], "pending"  # spam looks pending to its author
        elif status == Comment.Status.REMOVED:
            kind = "removed"
            if c.removal_reason:
                text = escape(
                    gettext("Removed by a moderator: %(reason)s.")
                    % {"reason": c.get_removal_reason_display()}
                )
            else:
                text = t["removed_by_moderator"]
            if c.removal_note:
                text += " " + escape(c.removal_note)
        elif status == Comment.Status.DELETED:
            text, kind = t["deleted_state"], "deleted"
        else:
            return ""
        return f'<p class="comment-state comment-state-{kind}">{text}</p>'

    def actions(self, c):
        t = self.t
        pk = str(c.id)
        parts = ['<footer class="comment-actions">']
        if c.status == Comment.Status.APPROVED:
            parts.append(self.votes(c))
        if self.accepts_comments:
            href = self.reply_url[0] + pk + self.reply_url[1]
            parts.append(
                f' <a class="reply-link" href="{href}" data-reply-label="{t["post_reply"]}"'
                f' aria-expanded="false">{t["reply"]}</a>'
            )
        href = self.detail_url[0] + pk + self.detail_url[1]
        parts.append(f' <a class="permalink-link" href="{href}">{t["permalink"]}</a>')
        if c.viewer_owns:
            if c.editable:
                href = self.edit_url[0] + pk + self.edit_url[1]
                parts.append(f' <a class="edit-link" href="{href}">{t["edit"]}</a>')
            href = self.delete_url[0] + pk + self.delete_url[1]
            parts.append(f' <a class="delete-link" href="{href}">{t["delete"]}</a>')
        elif c.status == Comment.Status.APPROVED:
            href = self.report_url[0] + pk + self.report_url[1]
            parts.append(f' <a class="report-link" href="{href}" rel="nofollow">{t["report"]}</a>')
        parts.append("</footer>")
        return "".join(parts)

    def votes(self, c):
        """Up and down votes: a form for members, for everyone else counts linking to sign-in.

        Readers without an account get no per-reader token, so their threads can be cached.
        Pressing your current vote again withdraws it.
        """
        t = self.t
        if self.viewer.user is None:
            href = f"{self.sign_in_to_vote}{c.id}"
            return (
                '<span class="vote-form">'
                f'<a class="vote-button vote-up" href="{href}" title="{t["sign_in_to_vote"]}"'
                ' rel="nofollow"><span aria-hidden="true">▲</span><span class="visually-hidden">'
                f'{t["sign_in_up"]}</span> <span class="vote-count">{c.upvotes}</span></a>'
                f' <a class="vote-button vote-down" href="{href}"'
                f' title="{t["sign_in_to_vote"]}" rel="nofollow"><span aria-hidden="true">▼</span>'
                f'<span class="visually-hidden">{t["sign_in_down"]}</span>'
                f' <span class="vote-count">{c.downvotes}</span></a></span>'
            )
        action = self.vote_url[0] + str(c.pk) + self.vote_url[1]
        disabled = " disabled" if c.viewer_owns else ""
        up, down = c.my_vote == 1, c.my_vote == -1
        return (
            f'<form method="post" action="{action}" class="vote-form" data-vote-form>'
            f"{self.form_tokens}"
            f'<button type="submit" class="vote-button vote-up" name="value"'
            f' value="{"clear" if up else "up"}" aria-pressed="{"true" if up else "false"}"'
            f' title="{t["vote_up"]}"{disabled}><span aria-hidden="true">▲</span>'
            f'<span class="visually-hidden">{t["vote_up"]}</span>'
            f' <span class="vote-count" data-vote-count="up">{c.upvotes}</span></button>'
            f' <button type="submit" class="vote-button vote-down" name="value"'
            f' value="{"clear" if down else "down"}" aria-pressed="{"true" if down else "false"}"'
            f' title="{t["vote_down"]}"{disabled}><span aria-hidden="true">▼</span>'
            f'<span class="visually-hidden">{t["vote_down"]}</span>'
            f' <span class="vote-count" data-vote-count="down">{c.downvotes}</span></button>'
            "</form>"
        )

    def moderation_tools(self, c):
        """For moderators on the public page: decide in context, with plain CSRF-protected forms."""
        t = self.t
        action = self.moderate_url[0] + str(c.pk) + self.moderate_url[1]
        form = f'<form method="post" action="{action}">{self.form_tokens}'
        button = (
            '<button class="btn btn-sm {style}" name="decision" value="{value}">{label}</button>'
        )
        parts = [f'<div class="moderation-tools" aria-label="{t["moderate"]}" role="group">']
        status = c.status
        if status != Comment.Status.APPROVED:
            parts += [
                form,
                button.format(style="btn-outline-success", value="approve", label=t["approve"]),
                "</form>",
            ]
        if status != Comment.Status.SPAM:
            parts += [
                form,
                button.format(style="btn-outline-secondary", value="spam", label=t["spam"]),
                "</form>",
            ]
        if status == Comment.Status.APPROVED:
            value = "unfeature" if c.featured_at else "feature"
            parts += [
                form,
                button.format(style="btn-outline-primary", value=value, label=t[value]),
                "</form>",
            ]
        if status != Comment.Status.REMOVED:
            parts.append(
                f'<form method="post" action="{action}" class="remove-form">{self.form_tokens}'
                f'<label class="visually-hidden" for="removal-reason-{c.pk}">{t["reason"]}</label>'
                f'<select class="form-select form-select-sm" name="removal_reason"'
                f' id="removal-reason-{c.pk}" required>'
                f'<option value="">{t["reason_choose"]}</option>'
                f"{self.reason_options}</select>"
                + button.format(style="btn-outline-danger", value="remove", label=t["remove"])
                + "</form>"
            )
        parts.append("</div>")
        return "".join(parts)
