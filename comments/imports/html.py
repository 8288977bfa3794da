"""HTML written by other comment systems, turned into the Markdown our comments are typed in.

Only what the comment renderer supports survives: paragraphs and line
breaks, links to http and https addresses, bold and italics, quotes, code and
list items. Every other tag is dropped and its text kept (the contents of
script, style and the like are dropped too: they are not what anybody read).
Text is escaped, so a literal ``<b>`` or ``*`` in a comment stays text: the
stored source is plain Markdown with no raw HTML in it, whatever the renderer
would have let through.
"""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

FRAMED = frozenset(["a", "b", "strong", "i", "em", "code", "pre", "blockquote", "ul", "ol", "li"])
BLOCKS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "table",
        "tr",
        "dl",
        "dt",
        "dd",
        "figure",
        "figcaption",
        "section",
        "article",
        "header",
        "footer",
        "address",
    ]
)
DROPPED = frozenset(["script", "style", "template", "iframe", "object", "svg", "math", "head"])
VOID = frozenset(["br", "hr", "img", "input", "meta", "link", "wbr", "area", "source", "embed"])

PARAGRAPH = "\n\n"
# Characters that could start Markdown syntax anywhere in a line; ~ for strikethrough.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<~])")
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_LINE_START_SPECIAL = re.compile(r"^([ \t]*)(?:([#>]|[-+](?=[ \t]|$))|(\d{1,9})([.)])(?=[ \t]|$))")
_WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")
_SPACES = re.compile(r"[ \t\f\v]+")
_URL_ESCAPES = str.maketrans(
    {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\\": "%5C", "`": "%60"}
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DISQUS_HASH = re.compile(r":[A-Za-z0-9_-]+$")
_PRE_TOKEN = re.compile(r"\x00(\d+)\x00")


def html_to_markdown(html, *, keep_newlines=False):
    """Markdown source for an HTML comment.

    keep_newlines: newlines in the text are line breaks and blank lines
    paragraphs (WordPress stores comments that way); otherwise whitespace is
    collapsed as a browser would (Disqus).
    """
    converter = _Converter(keep_newlines=keep_newlines)
    converter.feed(html.replace("\x00", ""))
    converter.close()
    return converter.markdown()


def safe_link_target(href):
    """The address as a Markdown link target when it is http or https, else None."""
    href = _CONTROL.sub("", (href or "").strip())
    parts = urlsplit(href)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if parts.hostname in ("disq.us", "disqus.com") and parts.path.startswith("/url"):
        # Disqus routes outbound links through its redirector, as url=<target>:<hash>.
        target = _DISQUS_HASH.sub("", parse_qs(parts.query).get("url", [""])[0])
        if target and target != href:
            return safe_link_target(target) or href.translate(_URL_ESCAPES)
    return href.translate(_URL_ESCAPES)


def escape_markdown(text):
    """Text that Markdown renders as itself."""
    return _ENTITY_LIKE.sub(r"\\&", _INLINE_SPECIAL.sub(r"\\\1", text))


def _escape_line_start(match):
    """A quote, heading or list marker at the start of a line, with its backslash."""
    indent, marker, number, delimiter = match.groups()
    if marker:
        return f"{indent}\\{marker}"
    return f"{indent}{number}\\{delimiter}"


class _Frame:
    """An open element whose Markdown depends on its content (emphasis, a link, a quote...)."""

    __slots__ = ("tag", "attrs", "parts", "items")

    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = attrs
        self.parts = []
        self.items = 0


class _Converter(HTMLParser):
    def __init__(self, *, keep_newlines):
        super().__init__(convert_charrefs=True)
        self.keep_newlines = keep_newlines
        self.frames = [_Frame(None, {})]
        self.dropping = 0
        self.preformatted = []

    # HTMLParser callbacks

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED:
            self.dropping += 1
        if self.dropping:
            return
        if tag == "br":
            self._emit("\n")
        elif tag in BLOCKS:
            self._emit(PARAGRAPH)
        elif tag in FRAMED:
            if tag == "li" and not self._at_line_start():
                self._emit("\n")
            self.frames.append(_Frame(tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in DROPPED:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping:
            return
        if tag in BLOCKS:
            self._emit(PARAGRAPH)
        elif tag in FRAMED:
            open_tags = [frame.tag for frame in self.frames]
            if tag not in open_tags:
                return
            # Elements left open inside this one end with it, as in a browser.
            while self.frames[-1].tag != tag:
                self._close()
            self._close()

    def handle_data(self, data):
        if self.dropping:
            return
        if self._inside("pre"):
            self._emit(data)
        elif self._inside("code"):
            self._emit(_WHITESPACE.sub(" ", data))
        elif self.keep_newlines:
            paragraphs = re.split(r"[ \t]*\n(?:[ \t]*\n)+[ \t]*", data)
            for index, paragraph in enumerate(paragraphs):
                if index:
                    self._emit(PARAGRAPH)
                for number, line in enumerate(paragraph.split("\n")):
                    if number:
                        self._emit("\n")
                    self._emit_text(_SPACES.sub(" ", line))
        else:
            self._emit_text(_WHITESPACE.sub(" ", data))

    # Assembling the Markdown

    def markdown(self):
        while len(self.frames) > 1:
            self._close(complete=False)
        return _restore_preformatted(_tidy(self._text(self.frames[0])), self.preformatted)

    def _emit(self, text):
        self.frames[-1].parts.append(text)

    def _emit_text(self, text):
        if not text:
            return
        text = escape_markdown(text)
        if self._at_line_start():
            text = _LINE_START_SPECIAL.sub(_escape_line_start, text)
        self._emit(text)

    def _at_line_start(self):
        for frame in reversed(self.frames):
            for part in reversed(frame.parts):
                if part.strip(" "):
                    return part.endswith("\n")
            if frame.tag in ("blockquote", "li", "ul", "ol"):
                return True
        return True

    def _inside(self, tag):
        return any(frame.tag == tag for frame in self.frames)

    def _text(self, frame):
        return "".join(frame.parts)

    def _close(self, *, complete=True):
        """Turn the innermost open element into Markdown inside its parent.

        An element still open when the comment ends keeps its text, not its markup.
        """
        frame = self.frames.pop()
        text = self._text(frame)
        parent = self.frames[-1]
        if not complete and frame.tag not in ("blockquote", "li", "ul", "ol", "pre"):
            parent.parts.append(text)
            return
        match frame.tag:
            case "b" | "strong":
                text = _wrap(text, "**")
            case "i" | "em":
                text = _wrap(text, "*")
            case "a":
                text = _link(text, frame.attrs.get("href"))
            case "code" if not self._inside("pre"):
                text = _inline_code(text)
            case "pre":
                self.preformatted.append(_fenced(text))
                text = f"{PARAGRAPH}\x00{len(self.preformatted) - 1}\x00{PARAGRAPH}"
            case "blockquote":
                text = _quote(_restore_preformatted(_tidy(text), self.preformatted))
            case "ul" | "ol":
                text = f"{PARAGRAPH}{text}{PARAGRAPH}"
            case "li":
                text = self._list_item(text, parent)
        parent.parts.append(text)

    def _list_item(self, text, parent):
        flat = " ".join(_tidy(text).split("\n"))
        if not flat:
            return ""
        if parent.tag == "ol":
            parent.items += 1
            return f"{parent.items}. {flat}\n"
        return f"- {flat}\n"


def _wrap(text, marker):
    inner = text.strip()
    if not inner or PARAGRAPH in inner:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{marker}{inner}{marker}{trail}"


def _link(text, href):
    target = safe_link_target(href)
    label = text.strip()
    if target is None or PARAGRAPH in label:
        return text
    if not label:
        label = escape_markdown(target)
    label = " ".join(label.split("\n"))
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}[{label}]({target}){trail}"


def _inline_code(text):
    code = text.strip()
    if not code:
        return text
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{fence}{padding}{code}{padding}{fence}"


def _fenced(text):
    code = text.strip("\n")
    longest = max((len(run) for run in re.findall(r"`{3,}", code)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}\n{code}\n{fence}"


def _quote(text):
    if not text:
        return ""
    lines = [f"> {line}" if line else ">" for line in text.split("\n")]
    return PARAGRAPH + "\n".join(lines) + PARAGRAPH


def _tidy(text):
    """Trim every line and its runs of spaces, keep at most one blank line between paragraphs.

    Preformatted blocks are still placeholders here, so their spacing is untouched.
    """
    lines = [_SPACES.sub(" ", line).strip(" ") for line in text.split("\n")]
    return re.sub(r"\n{3,}", PARAGRAPH, "\n".join(lines)).strip("\n")


def _restore_preformatted(text, blocks):
    return _PRE_TOKEN.sub(lambda match: blocks[int(match.group(1))], text)
