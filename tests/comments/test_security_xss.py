"""Cross-site scripting: whatever readers and editors type stays text or safe markup.

Every vector in tests/security_vectors.py is posted as a guest's comment body
and as a guest's name (through the real form), echoed back by a rejected form,
and put in every field of an article. The pages are parsed and must hold no
active content: no script but our own, no event-handler attribute, no link or
source to a javascript:, vbscript: or data: URL, and inside comment and article
text only the Markdown allowlist's tags and attributes (so no style, id or
name). A few tests then open the discussion holding every vector in Chromium
and check that no dialog opens and no script fails.

The pages are made once per module and parsed up front; the per-vector tests
only read the findings, so a failing vector is named in its test id.
"""

import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import import_module
from io import BytesIO

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission
from django.core.files.storage import default_storage
from django.db import transaction
from django.templatetags.static import static
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.html import escape
from PIL import Image

from articles.models import Article
from comments.models import Comment
from newsboard.markup import render_comment

from ..conftest import IN_A_BROWSER
from ..factories import ArticleFactory, SectionFactory, UserFactory
from ..security_vectors import FAMILIES, VECTORS

# Every test here is marked, so pytest-django sets up the test database before the
# module's fixture posts into it.
pytestmark = pytest.mark.django_db

# Django refuses NUL characters in every form field, so these never become comments.
POSTABLE = {name: text for name, text in VECTORS.items() if "\x00" not in text}

# What comment and article text may contain: the Markdown subset, sanitized (README).
COMMENT_TAGS = {
    *("p", "br", "em", "strong", "del", "a", "blockquote", "code", "pre", "ul", "ol", "li"),
}
ARTICLE_TAGS = COMMENT_TAGS | {
    *("h2", "h3", "h4", "hr", "img", "figure", "figcaption"),
    *("table", "thead", "tbody", "tr", "th", "td"),
}
TEXT_ATTRIBUTES = {"a": {"href", "title", "rel"}, "img": {"src", "alt", "title"}, "th": {"scope"}}

URL_ATTRIBUTES = {
    *("href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"),
    *("lowsrc", "dynsrc", "codebase", "cite", "longdesc", "ping", "manifest", "srcset"),
}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
NEVER_ON_OUR_PAGES = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "style"}
VOID_ELEMENTS = {
    *("area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta"),
    *("param", "source", "track", "wbr"),
}


def url_as_a_browser_reads_it(value):
    """The attribute value (entities already decoded by the parser) without the whitespace
    and control or format characters browsers skip in a URL, lowercased."""
    return "".join(
        character
        for character in value
        if not character.isspace() and unicodedata.category(character) not in ("Cc", "Cf")
    ).lower()


class ActiveContentInspector(HTMLParser):
    """Parses a page and lists every piece of active content in it, as readable findings.

    Each finding says which comment it sits in (the nearest data-comment-id), so a
    page holding many vectors still names the one that got through.
    """

    def __init__(self, *, allowed_script_prefixes):
        super().__init__(convert_charrefs=True)
        self.allowed_script_prefixes = allowed_script_prefixes
        self.open = []  # (tag, text kind: "comment", "article" or None, comment id, author?)
        self.findings = []
        self.author_names = {}  # comment id → the text of its author's name

    def where(self):
        kind = next((kind for _tag, kind, _pk, _author in reversed(self.open) if kind), None)
        pk = next((pk for _tag, _kind, pk, _author in reversed(self.open) if pk), None)
        return kind, pk

    def flag(self, problem, tag, attrs):
        kind, pk = self.where()
        shown = " ".join(f"{name}={value!r}" for name, value in attrs)
        place = f" in comment {pk}" if pk else ""
        place += f" ({kind} text)" if kind else ""
        self.findings.append(Finding(problem, f"<{tag} {shown}>", int(pk) if pk else None, place))

    def handle_starttag(self, tag, attrs):
        self.inspect(tag, attrs)
        if tag not in VOID_ELEMENTS:
            classes = (dict(attrs).get("class") or "").split()
            kind = (
                "comment"
                if "comment-text" in classes
                else "article"
                if "story-body" in classes
                else None
            )
            pk = dict(attrs).get("data-comment-id")
            self.open.append((tag, kind, pk, "comment-author" in classes))

    def handle_data(self, data):
        if any(author for *_rest, author in self.open):
            _kind, pk = self.where()
            self.author_names[int(pk)] = self.author_names.get(int(pk), "") + data

    def handle_startendtag(self, tag, attrs):
        self.inspect(tag, attrs)

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break

    def inspect(self, tag, attrs):
        values = dict(attrs)
        kind, _pk = self.where()
        if tag == "script":
            src = values.get("src") or ""
            ours = src.startswith(self.allowed_script_prefixes) and "//" not in src
            if not (ours or values.get("type") == "application/ld+json"):
                self.flag("script element", tag, attrs)
        if tag in NEVER_ON_OUR_PAGES:
            self.flag(f"{tag} element", tag, attrs)
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.flag("meta refresh", tag, attrs)
        loads = {"stylesheet", "import", "preload", "modulepreload"}
        rel = set((values.get("rel") or "").lower().split())
        if tag == "link" and rel & loads and not (values.get("href") or "").startswith(static("")):
            self.flag("stylesheet or import from outside our static files", tag, attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.flag(f"event handler attribute {name}", tag, attrs)
            if name == "srcdoc":
                self.flag("srcdoc attribute", tag, attrs)
            if name in URL_ATTRIBUTES and value is not None:
                urls = value.split(",") if name == "srcset" else [value]
                if any(
                    url_as_a_browser_reads_it(url).startswith(DANGEROUS_SCHEMES) for url in urls
                ):
                    self.flag(f"{name} with a script or data URL", tag, attrs)
        if kind is not None:
            allowed_tags = COMMENT_TAGS if kind == "comment" else ARTICLE_TAGS
            if tag not in allowed_tags:
                self.flag(f"tag not allowed in {kind} text", tag, attrs)
            unexpected = {name for name, _value in attrs} - TEXT_ATTRIBUTES.get(tag, set())
            if unexpected:
                self.flag(f"attribute {sorted(unexpected)} not allowed in {kind} text", tag, attrs)


@dataclass(frozen=True)
class Finding:
    problem: str
    element: str
    comment_id: int | None = None
    place: str = ""

    def __str__(self):
        return f"{self.problem}{self.place}: {self.element}"


def inspected(html, *, allowed_scripts=None):
    """The inspector after reading a page; our own script is allowed."""
    inspector = ActiveContentInspector(
        allowed_script_prefixes=allowed_scripts or (static("js/newsboard/main.js"),)
    )
    inspector.feed(html)
    inspector.close()
    return inspector


def active_content(html, **kwargs):
    """Every piece of active content on a page."""
    return inspected(html, **kwargs).findings


def as_shown_name(text):
    """A guest name as the form keeps it: whitespace collapsed, at most 80 characters."""
    return " ".join(text.split())[:80].strip()


@dataclass
class Exhibits:
    """The pages every vector was shown on, made once for the module.

    In the discussion every vector is one guest's reply to the same top-level
    comment, posted through the form as its body and (cut to the 80 characters
    the form allows) its author's name: so the article page and that comment's
    own page each show every vector, and each finding names its comment.
    """

    comment_status: dict = field(default_factory=dict)  # vector → status of posting it
    comment_id: dict = field(default_factory=dict)  # vector → its comment's id
    comment_name: dict = field(default_factory=dict)  # vector → the guest name it was posted as
    pages: dict = field(default_factory=dict)  # page name → parsed page
    refused_form: dict = field(default_factory=dict)  # family → (status, HTML)
    article_page: dict = field(default_factory=dict)  # vector → HTML of its article's page
    article_fields: dict = field(default_factory=dict)
    front_pages: list = field(default_factory=list)
    admin_queue: list = field(default_factory=list)  # the queue's pages, 100 rows each

    def findings_in(self, page, vector):
        comment_id = self.comment_id[vector]
        return [f for f in self.pages[page].findings if f.comment_id == comment_id]


# Nothing in these tests should be held or refused for anything but its text.
PERMISSIVE = {
    "NEWSBOARD_RATE_LIMITS": {"ip": (100_000, 600), "author": (100_000, 300)},
    "NEWSBOARD_MAX_LINKS": 1_000,
    "NEWSBOARD_THREADS_PER_PAGE": 1_000,
    "NEWSBOARD_COMMENTS_PER_THREAD": 1_000,
    "NEWSBOARD_NEW_COMMENTER_APPROVALS": 0,
}


def lead_image_name():
    """One small lead image in the test media folder, shared by the articles here."""
    name = "articles/security/lead.png"
    if not default_storage.exists(name):
        buffer = BytesIO()
        Image.new("RGB", (16, 9), "steelblue").save(buffer, "PNG")
        default_storage.save(name, buffer)
    return name


def article_fields_for(text):
    """The vector in every field an editor types. The admin's forms refuse NUL
    characters, as the comment form does, so none reach an article."""
    text = text.replace("\x00", "")
    return {
        "headline": text,
        "standfirst": text,
        "byline": text,
        "body": text,
        "lead_image_caption": text,
        "lead_image_credit": text,
    }


def post_as_guest(client, article, *, body, name, email, parent=""):
    return client.post(
        reverse("comments:post", kwargs={"slug": article.slug}),
        {"body": body, "name": name, "email": email, "parent": parent},
    )


def comment_id_from(response):
    return int(response["Location"].strip("/").rsplit("/", 1)[1])


def pages_of(client, url):
    """Every page of a paginated list: the site's (?page=) or the admin's (?p=)."""
    first = client.get(url)
    if "cl" in first.context:
        count, parameter = first.context["cl"].paginator.num_pages, "p"
    else:
        count, parameter = first.context["paginator"].num_pages, "page"
    return [first.content.decode()] + [
        client.get(url, {parameter: number}).content.decode() for number in range(2, count + 1)
    ]


@pytest.fixture(scope="module")
def exhibits(django_db_setup, django_db_blocker):
    """Post and show every vector once; the database is rolled back afterwards."""
    shown = Exhibits()
    reader, guest = Client(), Client()
    with django_db_blocker.unblock(), override_settings(**PERMISSIVE), transaction.atomic():
        section = SectionFactory(name="Security", slug="security")
        discussion = ArticleFactory(section=section, headline="Every vector, as comments")
        response = post_as_guest(
            guest, discussion, body="Try your worst.", name="Host", email="host@example.org"
        )
        thread = comment_id_from(response)
        image = lead_image_name()
        for number, (vector, text) in enumerate(VECTORS.items()):
            name = as_shown_name(text)
            response = post_as_guest(
                guest,
                discussion,
                body=text,
                name=name,
                email=f"v{number}@example.org",
                parent=thread,
            )
            shown.comment_status[vector] = response.status_code
            if response.status_code == 303:
                shown.comment_id[vector] = comment_id_from(response)
                shown.comment_name[vector] = name

            fields = article_fields_for(text)
            article = ArticleFactory(
                section=section,
                lead_image=image,
                lead_image_thumbnail=image,
                comments_mode=Article.CommentsMode.DISABLED,
                **fields,
            )
            shown.article_fields[vector] = fields
            shown.article_page[vector] = reader.get(article.get_absolute_url()).content.decode()

        for family, vectors in FAMILIES.items():
            typed = "\n\n".join(text for _name, text in vectors)
            response = post_as_guest(Client(), discussion, body=typed, name=typed, email="nobody")
            shown.refused_form[family] = (response.status_code, response.content.decode())

        moderator = UserFactory(username="xss-moderator", is_staff=True)
        moderator.groups.add(Group.objects.get(name="Moderators"))
        superuser = UserFactory(username="xss-superuser", is_staff=True, is_superuser=True)
        as_moderator, as_superuser = Client(), Client()
        as_moderator.force_login(moderator)
        as_superuser.force_login(superuser)
        article_url = discussion.get_absolute_url()
        thread_url = reverse("comments:detail", kwargs={"pk": thread})
        shown.pages = {
            name: inspected(client.get(url).content.decode())
            for name, client, url in [
                ("article page", reader, article_url),
                ("article page, for the guest who posted", guest, article_url),
                ("article page, for a moderator", as_moderator, article_url),
                ("comment's own page", reader, thread_url),
                ("comment's own page, for a moderator", as_moderator, thread_url),
            ]
        }
        shown.front_pages = pages_of(reader, reverse("articles:list"))
        shown.admin_queue = pages_of(as_superuser, reverse("admin:comments_comment_changelist"))
        transaction.set_rollback(True)
    return shown


def vector_params(vectors):
    return [pytest.param(name, id=name) for name in vectors]


def describe(findings):
    return "\n".join(str(finding) for finding in findings)


# The vector list ------------------------------------------------------------------


def test_there_are_at_least_150_distinct_vectors():
    assert len(VECTORS) >= 150
    assert len(set(VECTORS.values())) == len(VECTORS)


def test_every_family_of_vectors_is_represented():
    assert all(len(vectors) >= 10 for vectors in FAMILIES.values()), {
        family: len(vectors) for family, vectors in FAMILIES.items()
    }


def test_every_vector_fits_the_shortest_article_field():
    assert max(len(text) for text in VECTORS.values()) <= 200


# The inspector itself: it must see what it is looking for ----------------------

CAUGHT = {
    "script": "<script>alert(1)</script>",
    "foreign-script": f'<script src="{static("js/newsboard/main.js")}//evil.example"></script>',
    "event-handler": "<img src=x onerror=alert(1)>",
    "event-handler-on-svg": "<svg><g onload=alert(1)></g></svg>",
    "tab-split-entity-scheme": '<a href="java&#x09;script:alert(1)">x</a>',
    "control-char-scheme": '<a href="\x01JavaScript:alert(1)">x</a>',
    "zero-width-scheme": '<a href="java\u200bscript:alert(1)">x</a>',
    "vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "data-image": '<img src="data:image/svg+xml,x">',
    "xlink-href": '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
    "formaction": '<button formaction="javascript:alert(1)">x</button>',
    "srcdoc": '<iframe srcdoc="x"></iframe>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=/">',
    "style-element": "<style>body{}</style>",
    "foreign-stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "style-in-comment-text": '<div class="comment-text"><p style="color:red">x</p></div>',
    "id-in-comment-text": '<div class="comment-text"><a id="comments">x</a></div>',
    "svg-in-article-text": '<div class="story-body"><svg></svg></div>',
}


@pytest.mark.parametrize("html", CAUGHT.values(), ids=CAUGHT.keys())
def test_inspector_flags_active_content(html):
    assert active_content(html)


def test_inspector_accepts_our_own_script_and_sanitized_text():
    html = (
        f'<script type="module" src="{static("js/newsboard/main.js")}"></script>'
        '<script type="application/ld+json">{}</script>'
        '<div class="comment-text"><p><a href="https://example.org" rel="nofollow ugc noopener">'
        "x</a> <em>y</em></p></div>"
    )
    assert active_content(html) == []


# Comments: each vector posted by a guest as the body and as their name --------------

PAGES_WITH_EVERY_COMMENT = [
    "article page",
    "article page, for the guest who posted",
    "article page, for a moderator",
    "comment's own page",
    "comment's own page, for a moderator",
]


def test_every_vector_is_accepted_as_a_guests_comment_unless_it_holds_a_nul_character(
    exhibits,
):
    expected = {name: 400 if "\x00" in text else 303 for name, text in VECTORS.items()}
    assert exhibits.comment_status == expected


@pytest.mark.parametrize("vector", vector_params(POSTABLE))
def test_comment_is_inert_wherever_it_is_shown(exhibits, vector):
    findings = {
        page: describe(found)
        for page in PAGES_WITH_EVERY_COMMENT
        if (found := exhibits.findings_in(page, vector))
    }
    assert findings == {}


@pytest.mark.parametrize("vector", vector_params(POSTABLE))
def test_guest_name_is_shown_as_typed_text(exhibits, vector):
    names = exhibits.pages["article page"].author_names
    assert names[exhibits.comment_id[vector]] == exhibits.comment_name[vector]


@pytest.mark.parametrize("page", PAGES_WITH_EVERY_COMMENT)
def test_page_showing_every_comment_is_inert_outside_the_comments_too(exhibits, page):
    findings = [f for f in exhibits.pages[page].findings if f.comment_id is None]
    assert findings == [], describe(findings)


# A refused form, which puts the typed text back (one form per family) ---------------


@pytest.mark.parametrize("family", FAMILIES)
def test_refused_form_holding_a_family_of_vectors_is_inert(exhibits, family):
    status, page = exhibits.refused_form[family]
    assert status == 400
    findings = active_content(page)
    assert findings == [], describe(findings)


@pytest.mark.parametrize("family", FAMILIES)
def test_refused_form_puts_the_typed_text_back_escaped(exhibits, family):
    _status, page = exhibits.refused_form[family]
    missing = [name for name, text in FAMILIES[family] if escape(text) not in page]
    assert missing == []


# Article fields: each vector in every field of its own article -----------------------


@pytest.mark.parametrize("vector", vector_params(VECTORS))
def test_article_page_is_inert(exhibits, vector):
    findings = active_content(exhibits.article_page[vector])
    assert findings == [], describe(findings)


@pytest.mark.parametrize("family", FAMILIES)
def test_article_plain_text_fields_are_shown_as_typed(exhibits, family):
    plain = ("headline", "standfirst", "byline", "lead_image_caption", "lead_image_credit")
    not_shown = {}
    for name, _text in FAMILIES[family]:
        vector = f"{family}:{name}"
        page, fields = exhibits.article_page[vector], exhibits.article_fields[vector]
        if missing := [field for field in plain if escape(fields[field]) not in page]:
            not_shown[vector] = missing
    assert not_shown == {}


# Every vector at once ----------------------------------------------------------------


def test_front_page_listing_every_vector_as_a_headline_is_inert(exhibits):
    pages = exhibits.front_pages
    assert sum(page.count('class="article-card-headline"') for page in pages) > len(VECTORS)
    findings = [str(finding) for page in pages for finding in active_content(page)]
    assert findings == []


# The admin's own scripts and its translation catalogue, and our queue's shortcuts.
ADMIN_SCRIPTS = (static("admin/"), static("admin-extra/"), reverse("admin:jsi18n"))


def test_admin_moderation_queue_holding_every_vector_is_inert(exhibits):
    pages = exhibits.admin_queue
    # Every vector's comment and the one they reply to.
    assert sum(page.count('name="_selected_action"') for page in pages) == len(POSTABLE) + 1
    findings = [
        str(finding)
        for page in pages
        for finding in active_content(page, allowed_scripts=ADMIN_SCRIPTS)
    ]
    assert findings == []


# In Chromium, with JavaScript on -----------------------------------------------------


def in_a_browser(test):
    for mark in IN_A_BROWSER:
        test = mark(test)
    return test


def moderator_after_a_flush():
    """A moderator, with the Moderators group made again as its migration makes it:
    the transactional tests that drive a browser empty every table between tests."""
    group, _created = Group.objects.get_or_create(name="Moderators")
    group.permissions.set(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in import_module(
            "comments.migrations.0003_moderators_group"
        ).PERMISSIONS
    )
    moderator = UserFactory(username="queue-moderator", is_staff=True)
    moderator.groups.add(group)
    return moderator


@pytest.fixture
def every_comment_shown(settings):
    settings.NEWSBOARD_COMMENTS_PER_THREAD = 1_000


def seed_every_vector():
    """An article with every vector as a reply to its one top-level comment.

    The replies are inserted in bulk with the HTML that Comment.save() renders, for
    speed; the tests above post every vector through the form.
    """
    article = ArticleFactory(
        headline=VECTORS["breakout:attribute-tag-break"],
        standfirst=VECTORS["breakout:attribute-autofocus"],
    )
    root = Comment.objects.create(
        article=article, guest_name="Host", guest_email="host@example.org", body="Try."
    )
    Comment.objects.filter(pk=root.pk).update(thread=root)
    Comment.objects.bulk_create(
        Comment(
            article=article,
            parent=root,
            thread=root,
            guest_name=as_shown_name(text),
            guest_email=f"v{number}@example.org",
            body=text,
            body_html=render_comment(text),
        )
        for number, text in enumerate(POSTABLE.values())
    )
    return article, root


@pytest.fixture
def browser_page(request, browser, live_server):
    """A Chromium tab that records every dialog, script error, CSP report and request
    that leaves our site. With the CSP bypassed (the default here), the markup alone
    must keep scripts out; the article page is also opened with the CSP enforced."""
    csp = getattr(request, "param", "csp-bypassed")
    context = browser.new_context(bypass_csp=csp == "csp-bypassed")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.events = []

    def dialog(dialog):
        page.events.append(f"dialog: {dialog.type} {dialog.message!r}")
        dialog.dismiss()

    page.on("dialog", dialog)
    page.on("pageerror", lambda error: page.events.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and page.events.append(f"CSP report: {message.text}")
        ),
    )
    page.on(
        "request",
        lambda sent: (
            not sent.url.startswith(live_server.url)
            and page.events.append(f"request off the site: {sent.url}")
        ),
    )
    yield page
    context.close()


def visit(page, url):
    """Open a page, let every image and handler fire, and tab through it."""
    page.goto(url, wait_until="load")
    page.mouse.move(200, 200)
    for _ in range(20):
        page.keyboard.press("Tab")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done)))")


@in_a_browser
@pytest.mark.parametrize("browser_page", ["csp-enforced", "csp-bypassed"], indirect=True)
def test_no_vector_runs_on_the_article_page_in_chromium(
    browser_page, live_server, every_comment_shown
):
    article, _root = seed_every_vector()
    visit(browser_page, live_server.url + article.get_absolute_url())
    assert browser_page.locator(".comment-text").count() == len(POSTABLE) + 1
    assert browser_page.events == []


@in_a_browser
def test_no_vector_runs_on_the_comments_own_page_in_chromium(browser_page, live_server):
    _article, root = seed_every_vector()
    visit(browser_page, live_server.url + root.get_absolute_url())
    assert browser_page.locator(".comment-text").count() == len(POSTABLE) + 1
    assert browser_page.events == []


@in_a_browser
def test_no_vector_runs_in_the_admin_queue_in_chromium(browser_page, live_server):
    seed_every_vector()
    moderator = moderator_after_a_flush()
    client = Client()
    client.force_login(moderator)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME]
    browser_page.context.add_cookies(
        [{"name": session.key, "value": session.value, "url": live_server.url}]
    )
    visit(browser_page, live_server.url + reverse("admin:comments_comment_changelist"))
    assert browser_page.locator("input[name=_selected_action]").count() == 100
    assert browser_page.events == []
