"""In a real Chromium (Debian's, driven by Playwright): a reader replies through the form.

Outside CI a missing Chromium skips these tests with the reason; with CI=true
they must run, so a missing browser fails instead.
"""

import os
from pathlib import Path

import pytest

from comments.models import Comment

from .factories import ArticleFactory, post

CHROMIUM = Path(os.environ.get("NEWSBOARD_CHROMIUM", "/usr/bin/chromium"))
IN_CI = os.environ.get("CI", "").lower() == "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

if not CHROMIUM.exists() and not IN_CI:
    pytestmark.append(
        pytest.mark.skip(
            reason=f"no Chromium at {CHROMIUM} (apt-get install chromium); CI runs these"
        )
    )


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.exists(), f"Chromium is required in CI but {CHROMIUM} is missing"
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make around it are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(params=[True, False], ids=["javascript-on", "javascript-off"])
def page(request, browser):
    context = browser.new_context(
        java_script_enabled=request.param, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def enclosing_comment_id(page, comment_id):
    return page.eval_on_selector(
        f"#comment-{comment_id}",
        "el => el.parentElement.closest('[data-comment-id]')?.dataset.commentId ?? ''",
    )


def test_reader_replies_through_the_form_and_sees_the_reply_nested(page, live_server):
    article = ArticleFactory(headline="Harbour ferry returns after forty years")
    parent = post(article, "Finally! I used to take it to school.", name="Nguyễn Thị Mai")

    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator("h1").inner_text() == article.headline
    page.locator(f"#comment-{parent.pk} a.reply-link").click()

    page.fill("textarea[name=body]", "Same here – the **best** commute in town.")
    page.fill("input[name=name]", "Zoë Quinn")
    page.fill("input[name=email]", "zoe@example.org")
    page.get_by_role("button", name="Post reply").click()

    reply = Comment.objects.get(parent=parent)
    page.wait_for_url(f"**/comments/{reply.pk}/")
    assert "Your comment was posted." in page.content()

    page.goto(live_server.url + article.get_absolute_url())
    reply_element = page.locator(f"#comment-{reply.pk}")
    assert "Same here – the best commute in town." in reply_element.inner_text()
    assert reply_element.get_attribute("data-parent-id") == str(parent.pk)
    assert enclosing_comment_id(page, reply.pk) == str(parent.pk)


def test_empty_comment_comes_back_with_a_message_and_the_name_kept(page, live_server):
    article = ArticleFactory()
    page.goto(live_server.url + article.get_absolute_url())
    page.fill("input[name=name]", "Ahmed Karim")
    page.fill("input[name=email]", "ahmed@example.org")
    page.get_by_role("button", name="Post comment").click()
    assert "Please write your comment before posting it." in page.content()
    assert page.input_value("input[name=name]") == "Ahmed Karim"
    assert not Comment.objects.exists()
