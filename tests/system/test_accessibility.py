"""Accessibility in a real Chromium: axe-core on every kind of page, in light and dark
mode, full-page screenshots for a person to look at, and the keyboard alone."""

from io import StringIO
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment, Report, Vote
from comments.moderation import set_featured, set_status

from ..conftest import IN_A_BROWSER, sign_in
from ..factories import ArticleFactory, UserFactory, post

pytestmark = IN_A_BROWSER
User = get_user_model()

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
BLOCKING_IMPACTS = {"serious", "critical"}
# Our stylesheet scrolls smoothly unless the reader asks for less motion; keyboard tests
# ask for it, so that a focused element has been scrolled into view when it is measured.
NO_SMOOTH_SCROLLING = "reduce"


def open_tab(browser, *, viewport=PHONE, color_scheme="light", **options):
    """A tab with JavaScript on that records script errors, CSP reports and failed requests."""
    context = browser.new_context(viewport=viewport, color_scheme=color_scheme, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.problems.append(message.text)
        ),
    )
    page.on("requestfailed", lambda request: page.problems.append(f"failed: {request.url}"))
    page.on(
        "response",
        lambda response: (
            response.request.resource_type != "document"
            and response.status >= 400
            and page.problems.append(f"{response.status}: {response.url}")
        ),
    )
    return page


@pytest.fixture(params=["light", "dark"])
def themed_page(request, browser):
    """A phone-sized tab in the light, then the dark colour scheme."""
    page = open_tab(browser, color_scheme=request.param)
    yield page
    page.context.close()
    assert page.problems == [], page.problems


# What the pages show --------------------------------------------------------------


def member(username="mariam", name="Mariam Haddad", **fields):
    return UserFactory(username=username, display_name=name, **fields)


def article_with_a_deep_thread():
    """An article whose discussion nests eight levels deep, one past the display depth
    (so "continue this thread" shows), guests and members taking turns; with the
    article's author and a staff member replying, a staff pick, an edited comment, a
    pending one and a removed one that keeps its place for its replies."""
    writer = member("amara", "Amara Okafor")
    editor = member("editor", "Desk Editor", is_staff=True)
    article = ArticleFactory(
        headline="Harbour ferry returns after forty years", byline="Amara Okafor"
    )
    article.author_accounts.add(writer)
    members = [member(), member("tomasz", "Tomasz Wójcik"), writer, editor]
    thread = []
    for level in range(8):
        if level % 2:
            thread.append(
                post(
                    article,
                    f"Level {level}: a member's *reply*, with [a link](https://example.org/)"
                    " and `code`.",
                    parent=thread[-1],
                    user=members[level // 2],
                )
            )
        else:
            thread.append(
                post(
                    article,
                    f"Level {level}: a guest's view.\n\n> Quoted from above.",
                    parent=thread[-1] if thread else None,
                    name=f"Guest {level}",
                    email=f"guest{level}@example.org",
                )
            )
    Comment.objects.filter(pk=thread[1].pk).update(edited_at=timezone.now())
    set_featured(Comment.objects.filter(pk=thread[0].pk), True, by=editor)
    set_status(Comment.objects.filter(pk=thread[2].pk), Comment.Status.REMOVED, by=editor)
    other = post(article, "A second thread, from a guest.", name="Nguyễn Thị Mai")
    held = post(article, "Held for a moderator to read.", parent=other, user=members[0])
    set_status(Comment.objects.filter(pk=held.pk), Comment.Status.PENDING)
    return article


def demo_content():
    """The demo site of `make run`, smaller: articles with lead images, threads, a queue."""
    call_command("demo_content", articles=9, comments=150, stdout=StringIO())


def front_page(page, live_server):
    demo_content()
    article_with_a_deep_thread()
    page.goto(live_server.url + reverse("articles:list"))


def busiest_demo_article(page, live_server):
    demo_content()
    article = Article.objects.exclude(lead_image="").order_by("-comment_count").first()
    page.goto(live_server.url + article.get_absolute_url())


def deep_thread(page, live_server):
    page.goto(live_server.url + article_with_a_deep_thread().get_absolute_url())


def deep_thread_as_a_member(page, live_server):
    article = article_with_a_deep_thread()
    sign_in(page, live_server, User.objects.get(username="mariam"))
    page.goto(live_server.url + article.get_absolute_url())


def deep_thread_as_a_moderator(page, live_server):
    article = article_with_a_deep_thread()
    sign_in(page, live_server, superuser())
    page.goto(live_server.url + article.get_absolute_url())


def reply_form_opened_in_place(page, live_server):
    article = article_with_a_deep_thread()
    page.goto(live_server.url + article.get_absolute_url())
    page.locator(".reply-link").first.click()
    page.locator("form.inline-reply").wait_for()


def comment_refused(page, live_server):
    page.goto(live_server.url + article_with_a_deep_thread().get_absolute_url())
    page.locator("form.comment-form button[type=submit]").click()
    page.locator(".invalid-feedback").first.wait_for()


def sign_in_page(page, live_server):
    page.goto(live_server.url + reverse("login"))


def sign_in_refused(page, live_server):
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "nobody")
    page.fill("input[name=password]", "not the password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.locator(".alert-danger").wait_for()


def sign_up_page(page, live_server):
    page.goto(live_server.url + reverse("signup"))


def profile(page, live_server):
    article = ArticleFactory()
    writer = member()
    post(article, "The ferry timetable is *online* now.", user=writer)
    post(article, "And it runs on Sundays.\n\n> Quoting the timetable.", user=writer)
    page.goto(live_server.url + writer.get_absolute_url())


def not_found(page, live_server):
    page.goto(live_server.url + "/no-such-page/")


def superuser():
    return UserFactory(username="chief", is_staff=True, is_superuser=True)


PAGES = {
    "front-page": front_page,
    "article-with-a-lead-image": busiest_demo_article,
    "article-with-a-deep-thread": deep_thread,
    "article-as-a-member": deep_thread_as_a_member,
    "article-as-a-moderator": deep_thread_as_a_moderator,
    "reply-form-opened-in-place": reply_form_opened_in_place,
    "comment-refused": comment_refused,
    "sign-in": sign_in_page,
    "sign-in-refused": sign_in_refused,
    "sign-up": sign_up_page,
    "profile": profile,
    "not-found": not_found,
}


# axe-core -------------------------------------------------------------------------


def blocking_violations(page):
    results = Axe().run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("open_page", PAGES.values(), ids=PAGES.keys())
def test_page_has_no_serious_or_critical_axe_violations(themed_page, live_server, open_page):
    open_page(themed_page, live_server)
    violations = blocking_violations(themed_page)
    assert violations == [], describe(violations)


# Screenshots ------------------------------------------------------------------------


def moderation_queue(page, live_server):
    demo_content()
    sign_in(page, live_server, superuser())
    page.goto(live_server.url + reverse("admin:comments_comment_changelist"))


SCREENSHOT_PAGES = {
    "front-page": front_page,
    "article-with-comments": deep_thread,
    "demo-article": busiest_demo_article,
    "moderation-queue": moderation_queue,
}
VIEWPORTS = {"390x844": PHONE, "1280x800": DESKTOP}


def every_image_loaded(page):
    """Lazy images load only near the viewport; a full-page screenshot wants them all."""
    page.evaluate(
        """() => Promise.all([...document.images].map(image => {
            image.loading = "eager";
            return image.complete || new Promise(done => {
                image.addEventListener("load", done);
                image.addEventListener("error", done);
            });
        }))"""
    )


@pytest.fixture
def tab(browser):
    """Opens tabs at a given size and colour scheme; each must end without problems."""
    tabs = []

    def open_one(**options):
        tabs.append(open_tab(browser, **options))
        return tabs[-1]

    yield open_one
    for each in tabs:
        each.context.close()
    assert [problem for each in tabs for problem in each.problems] == []


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.parametrize("name", SCREENSHOT_PAGES)
def test_full_page_screenshot_is_written_to_test_artifacts(
    tab, live_server, name, size, color_scheme
):
    viewport = VIEWPORTS[size]
    page = tab(viewport=viewport, color_scheme=color_scheme)
    SCREENSHOT_PAGES[name](page, live_server)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{size}-{color_scheme}.png"
    path.unlink(missing_ok=True)
    every_image_loaded(page)

    page.screenshot(path=path, full_page=True, animations="disabled")

    with Image.open(path) as picture:
        assert picture.format == "PNG"
        assert picture.width == viewport["width"]
        assert picture.height >= viewport["height"]
        # Text, rules and colours, not a blank or single-colour page.
        assert picture.convert("RGB").getcolors(maxcolors=64) is None


# The keyboard alone -------------------------------------------------------------


def focused(page):
    """What has the keyboard focus: its text and link, and whether a reader can see it."""
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            const box = element.getBoundingClientRect();
            const onScreen = box.width > 0 && box.height > 0
                && box.bottom > 0 && box.top < window.innerHeight;
            const middle = document.elementFromPoint(
                box.left + box.width / 2, box.top + box.height / 2
            );
            return {
                html: element.outerHTML.slice(0, 200),
                text: element.innerText.trim(),
                href: element.getAttribute("href"),
                inMain: Boolean(element.closest("main")),
                // On screen, and not under something else (a sticky header, say).
                visible: onScreen && (element === middle || element.contains(middle)),
            };
        }"""
    )


def tab_to(page, selector, *, most=200):
    """Press Tab until the focus is on `selector`; every stop on the way must be visible."""
    for _stop in range(most):
        page.keyboard.press("Tab")
        now = focused(page)
        assert now["visible"], f"the focus went where the reader cannot see it: {now}"
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return now
    raise AssertionError(f"{most} presses of Tab did not reach {selector}")


def test_skip_link_is_the_first_tab_stop_and_takes_the_reader_to_the_main_content(tab, live_server):
    page = tab(reduced_motion=NO_SMOOTH_SCROLLING)
    page.goto(live_server.url + article_with_a_deep_thread().get_absolute_url())

    page.keyboard.press("Tab")
    skip = focused(page)
    assert (skip["text"], skip["href"], skip["visible"]) == ("Skip to content", "#main", True)

    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.url.endswith("#main")
    assert focused(page)["inMain"]


def test_a_reader_reaches_a_comments_reply_link_by_tab_and_replies_with_the_keyboard_alone(
    tab, live_server
):
    article = article_with_a_deep_thread()
    comment = Comment.objects.get(article=article, guest_name="Guest 4")
    page = tab(reduced_motion=NO_SMOOTH_SCROLLING)
    page.goto(live_server.url + article.get_absolute_url())

    reply_link = tab_to(page, f"#comment-{comment.pk} .reply-link")
    assert reply_link["text"] == "Reply"
    page.keyboard.press("Enter")
    page.keyboard.type("Replying with the keyboard alone.")
    form = f"#comment-{comment.pk} form.inline-reply"
    tab_to(page, f"{form} input[name=name]")
    page.keyboard.type("Ahmed Karim")
    tab_to(page, f"{form} input[name=email]")
    page.keyboard.type("ahmed@example.org")
    tab_to(page, f"{form} button[type=submit]")
    page.keyboard.press("Enter")

    page.wait_for_url("**/comments/*/")
    reply = Comment.objects.get(guest_name="Ahmed Karim")
    assert (reply.parent, reply.body) == (comment, "Replying with the keyboard alone.")


def in_card(comment, selector):
    """A selector for what matches `selector` in this comment's own card, not its replies'."""
    card = f"#comment-{comment.pk} > details > .comment-card, #comment-{comment.pk} > .comment-card"
    return ", ".join(f"{each} {selector}" for each in card.split(", "))


def test_a_member_votes_with_the_keyboard_alone(tab, live_server):
    article = article_with_a_deep_thread()
    comment = Comment.objects.get(article=article, guest_name="Guest 4")
    page = tab(reduced_motion=NO_SMOOTH_SCROLLING)
    sign_in(page, live_server, User.objects.get(username="tomasz"))
    page.goto(live_server.url + article.get_absolute_url())

    tab_to(page, in_card(comment, ".vote-up"))
    page.keyboard.press("Enter")

    up = page.locator(in_card(comment, ".vote-up"))
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(up.locator(".vote-count")).to_have_text("1")
    assert Vote.objects.get(comment=comment).value == 1


def test_a_reader_reports_a_comment_with_the_keyboard_alone(tab, live_server):
    article = article_with_a_deep_thread()
    comment = Comment.objects.get(article=article, guest_name="Guest 4")
    page = tab(reduced_motion=NO_SMOOTH_SCROLLING)
    page.goto(live_server.url + article.get_absolute_url())

    tab_to(page, in_card(comment, ".report-link"))
    page.keyboard.press("Enter")
    form = in_card(comment, "form.report-form")
    page.locator(form).wait_for()
    # The form opens under the comment with the focus on its first reason: Space picks it.
    assert page.evaluate("document.activeElement.name") == "reason"
    page.keyboard.press("Space")
    tab_to(page, in_card(comment, "form.report-form button[type=submit]"))
    page.keyboard.press("Enter")

    expect(page.locator(in_card(comment, "[role=status]"))).to_have_text(
        "Thank you. The moderators will look at this comment."
    )
    report = Report.objects.get()
    assert (report.comment_id, report.reason) == (comment.pk, Report.Reason.choices[0][0])
