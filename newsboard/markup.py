"""Markdown to safe HTML, for comments and for articles.

Text is stored as its author typed it and rendered once, on save, by these
functions: markdown-it-py turns the Markdown into HTML (raw HTML in the source
stays text) and nh3 then keeps only an allowlist of tags, attributes and URL
schemes, whatever the Markdown parser let through.
"""

import html

import nh3
from django.utils.html import strip_tags
from markdown_it import MarkdownIt

from .caches import process_cache

URL_SCHEMES = {"http", "https", "mailto"}

COMMENT_TAGS = frozenset(
    ["p", "br", "em", "strong", "a", "blockquote", "code", "pre", "ul", "ol", "li", "del"]
)
ARTICLE_TAGS = COMMENT_TAGS | frozenset(
    [
        "h2",
        "h3",
        "h4",
        "hr",
        "img",
        "figure",
        "figcaption",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    ]
)

_comment_parser = (
    MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True})
    .enable(["linkify", "strikethrough"])
    .disable(["heading", "lheading", "image", "hr", "html_block", "html_inline"])
)
_article_parser = MarkdownIt(
    "commonmark", {"html": False, "linkify": True, "typographer": False}
).enable(["linkify", "strikethrough", "table"])


@process_cache(maxsize=32)
def render_comment(source):
    """A reader's comment: a Markdown subset, links marked as user-generated.

    Remembers its last few results: posting renders a comment twice, once
    for the rules (counting its links) and once more when it is saved.
    """
    html = _comment_parser.render(source)
    return nh3.clean(
        html,
        tags=COMMENT_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


def render_article(source):
    """An editor's article body: fuller Markdown, still sanitized."""
    html = _article_parser.render(source)
    return nh3.clean(
        html,
        tags=ARTICLE_TAGS,
        attributes={"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"scope"}},
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
    )


def plain_excerpt(source, length=140):
    """A one-line text excerpt of Markdown source, for admin lists and titles."""
    text = " ".join(source.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def plain_text(html_text):
    """Rendered HTML as one line of plain text."""
    return " ".join(html.unescape(strip_tags(html_text)).split())
