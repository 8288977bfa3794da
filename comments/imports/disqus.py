"""Reading a Disqus XML export (Admin → Moderation → Export).

The file lists <category>, <thread> and <post> elements side by side under
<disqus>; a post names its thread and the post it replies to by dsq:id, in
any order. Messages are HTML, turned into Markdown. Every author, registered
on Disqus or not, becomes a guest author with their name and email address:
an address in another system's export proves nothing about who owns an
account here, so no comment is attached to an account.
"""

from comments.models import Comment

from .engine import BadExport, Post, Thread, guest_author, parse_moment, thread_slugs
from .html import html_to_markdown
from .streaming import elements, local_name, text_of

DISQUS = "http://disqus.com"
INTERNALS = "http://disqus.com/disqus-internals"
DSQ_ID = f"{{{INTERNALS}}}id"
NS = {"d": DISQUS}


class DisqusReader:
    source = "Disqus"
    notes = ()

    def __init__(self, path):
        self.path = path

    def describe(self, key):
        return f"post {key}"

    def describe_thread(self, key):
        return f"thread {key}"

    def records(self):
        for depth, element, _parent in elements(
            self.path, keep_depth=1, check_root=self._check_root
        ):
            if depth != 1:
                continue
            if element.tag == f"{{{DISQUS}}}thread":
                yield self._thread(element)
            elif element.tag == f"{{{DISQUS}}}post":
                yield self._post(element)

    def _check_root(self, tag):
        if tag != f"{{{DISQUS}}}disqus":
            namespace, name = local_name(tag)
            raise BadExport(
                f"{self.path} is not a Disqus export: its root element is <{name}>"
                f"{f' in {namespace}' if namespace else ''}, not <disqus> in {DISQUS}."
            )

    def _thread(self, element):
        key = self._key(element, "thread")
        link = text_of(element, "d:link", NS)
        title = text_of(element, "d:title", NS)
        created = text_of(element, "d:createdAt", NS)
        slugs, new_slug = thread_slugs(
            link, names=[text_of(element, "d:id", NS)], title=title, fallback=f"disqus-{key}"
        )
        return Thread(
            key=key,
            slugs=slugs,
            new_slug=new_slug,
            headline=title or link,
            published_at=parse_moment(created, where=f"Thread {key}, <createdAt>")
            if created
            else None,
            label=link or title,
        )

    def _post(self, element):
        key = self._key(element, "post")
        where = f"Post {key}"
        thread = element.find("d:thread", NS)
        thread_key = thread.get(DSQ_ID) if thread is not None else None
        if not thread_key:
            raise BadExport(f"{where} names no thread (<thread dsq:id=…>).")
        parent = element.find("d:parent", NS)
        created = text_of(element, "d:createdAt", NS)
        if not created:
            raise BadExport(f"{where} has no <createdAt>.")
        message = element.find("d:message", NS)
        body = html_to_markdown((message.text or "") if message is not None else "")
        name, email = guest_author(
            text_of(element, "d:author/d:name", NS),
            text_of(element, "d:author/d:email", NS),
            fallback=text_of(element, "d:author/d:username", NS),
        )
        if _true(text_of(element, "d:isSpam", NS)):
            status, note = Comment.Status.SPAM, "marked as spam on Disqus"
        elif _true(text_of(element, "d:isDeleted", NS)):
            status, note = Comment.Status.DELETED, "deleted on Disqus"
        else:
            status, note = Comment.Status.APPROVED, ""
        return Post(
            key=key,
            thread_key=thread_key,
            parent_key=parent.get(DSQ_ID) if parent is not None else None,
            created_at=parse_moment(created, where=f"{where}, <createdAt>"),
            body=body,
            status=status,
            guest_name=name,
            guest_email=email,
            note=note,
            skip="" if body or status != Comment.Status.APPROVED else "its message is empty",
        )

    def _key(self, element, kind):
        key = (element.get(DSQ_ID) or "").strip()
        if not key:
            raise BadExport(f"{self.path}: a <{kind}> has no dsq:id attribute.")
        return key


def _true(value):
    return value.lower() in ("true", "1")
