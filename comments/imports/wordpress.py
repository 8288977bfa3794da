"""Reading a WordPress export (WXR: Tools → Export → All content).

Each <item> (a post or page) carries its comments as <wp:comment> elements;
wp:comment_parent names the comment replied to (0: none). Comment text is
HTML in which newlines count (WordPress turns them into <br> and paragraphs
when it shows a comment), turned into Markdown. As with Disqus, every author
becomes a guest author with their name and email address. Pingbacks,
trackbacks and other entry types that are not readers' comments are skipped.
"""

import re

from django.utils import timezone

from comments.models import Comment

from .engine import BadExport, Post, Thread, guest_author, parse_moment, thread_slugs
from .html import html_to_markdown
from .streaming import elements, local_name

WP_NAMESPACE = re.compile(r"http://wordpress\.org/export/\d+\.\d+/")
ITEM_FIELDS = {"post_id", "post_name", "post_type", "post_date_gmt"}
STATUSES = {
    "1": (Comment.Status.APPROVED, ""),
    "0": (Comment.Status.PENDING, "awaiting moderation in WordPress"),
    "spam": (Comment.Status.SPAM, "marked as spam in WordPress"),
    # Only moderators trash comments in WordPress: that is our "removed".
    "trash": (Comment.Status.REMOVED, "in the WordPress trash"),
    "post-trashed": (Comment.Status.REMOVED, "its post was in the WordPress trash"),
}
NOT_COMMENTS = "pingbacks and trackbacks are not comments"
OTHER_TYPES = "entries of other types are not comments"
UNKNOWN_STATUS = "its approval status is unknown"
EMPTY = "its text is empty"


class WordPressReader:
    source = "WordPress"
    notes = ()

    def __init__(self, path):
        self.path = path

    def describe(self, key):
        return f"comment {key}"

    def describe_thread(self, key):
        return f"item {key}"

    def records(self):
        item = None  # the <item> being read, and what we learnt of it so far
        fields = {}
        items = 0
        for depth, element, parent in elements(
            self.path, keep_depth=3, check_root=self._check_root
        ):
            namespace, name = local_name(element.tag)
            if depth == 3 and parent.tag == "item":
                if parent is not item:
                    item, fields, items = parent, {}, items + 1
                wordpress = bool(WP_NAMESPACE.fullmatch(namespace))
                if wordpress and name == "comment":
                    yield self._comment(element, str(items))
                elif (wordpress and name in ITEM_FIELDS) or (
                    not namespace and name in ("title", "link")
                ):
                    fields[name] = (element.text or "").strip()
            elif depth == 2 and element is item:
                yield self._thread(str(items), fields)
                item = None

    def _check_root(self, tag):
        if tag != "rss":
            raise BadExport(
                f"{self.path} is not a WordPress export (WXR): its root element is "
                f"<{local_name(tag)[1]}>, not <rss>."
            )

    def _thread(self, key, fields):
        link, title = fields.get("link", ""), fields.get("title", "")
        published = fields.get("post_date_gmt", "")
        slugs, new_slug = thread_slugs(
            link,
            names=[fields.get("post_name", "")],
            preferred=fields.get("post_name", ""),
            title=title,
            fallback=f"wordpress-{fields.get('post_id') or key}",
        )
        return Thread(
            key=key,
            slugs=slugs,
            new_slug=new_slug,
            headline=title or link,
            published_at=parse_moment(published, where=f"Item {key} ({link}), <wp:post_date_gmt>")
            if published and not published.startswith("0000")
            else None,
            label=link or title,
        )

    def _comment(self, element, item_key):
        fields = {}
        for child in element:
            namespace, name = local_name(child.tag)
            if WP_NAMESPACE.fullmatch(namespace):
                fields[name] = child.text or ""
        key = fields.get("comment_id", "").strip()
        if not key:
            raise BadExport(f"{self.path}: a <wp:comment> of item {item_key} has no comment_id.")
        where = f"Comment {key}"
        parent = fields.get("comment_parent", "").strip()
        body = html_to_markdown(fields.get("comment_content", ""), keep_newlines=True)
        name, email = guest_author(
            fields.get("comment_author", ""), fields.get("comment_author_email", "")
        )
        kind = fields.get("comment_type", "").strip()
        status, note = STATUSES.get(fields.get("comment_approved", "1").strip(), (None, ""))
        if kind in ("pingback", "trackback"):
            skip = NOT_COMMENTS
        elif kind not in ("", "comment"):
            skip = OTHER_TYPES
        elif status is None:
            skip = UNKNOWN_STATUS
        elif not body:
            skip = EMPTY
        else:
            skip = ""
        return Post(
            key=key,
            thread_key=item_key,
            parent_key=None if parent in ("", "0") else parent,
            created_at=self._moment(fields, where),
            body=body,
            status=status or Comment.Status.PENDING,
            guest_name=name,
            guest_email=email,
            note=note,
            skip=skip,
        )

    def _moment(self, fields, where):
        gmt = fields.get("comment_date_gmt", "").strip()
        if gmt and not gmt.startswith("0000"):
            return parse_moment(gmt, where=f"{where}, <wp:comment_date_gmt>")
        # Without the GMT date, the blog's local time is read in the newsroom's time zone.
        local = fields.get("comment_date", "").strip()
        if not local or local.startswith("0000"):
            raise BadExport(f"{where} has no date (<wp:comment_date_gmt>).")
        moment = parse_moment(local, where=f"{where}, <wp:comment_date>")
        return timezone.make_aware(moment.replace(tzinfo=None))
