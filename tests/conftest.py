import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from newsboard.caches import clear_process_caches

from .factories import ArticleFactory


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches, shared and per-process: nothing a test
    cached leaks into another."""
    cache.clear()
    clear_process_caches()


@pytest.fixture
def article(db):
    return ArticleFactory()


# Browser tests run Debian's Chromium through Playwright. Outside CI a missing
# Chromium skips them with the reason; with CI=true they must run, so a missing
# browser fails instead.
CHROMIUM = Path(os.environ.get("NEWSBOARD_CHROMIUM", "/usr/bin/chromium"))
IN_CI = os.environ.get("CI", "").lower() == "true"
IN_A_BROWSER = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists() and not IN_CI,
        reason=f"no Chromium at {CHROMIUM} (apt-get install chromium); CI runs these",
    ),
]


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
    """A phone-sized tab, with JavaScript on and then off. The test fails on a script error,
    a CSP violation, a failed request or a sub-resource answering 4xx or 5xx."""
    context = browser.new_context(
        java_script_enabled=request.param, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and problems.append(message.text),
    )
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on(
        "response",
        lambda response: (
            response.request.resource_type != "document"
            and response.status >= 400
            and problems.append(f"{response.status}: {response.url}")
        ),
    )
    yield page
    context.close()
    assert problems == [], problems


def enclosing_comment_id(page, comment_id):
    """The id of the comment whose element holds this comment's, or "" at the top level."""
    return page.eval_on_selector(
        f"#comment-{comment_id}",
        "el => el.parentElement.closest('[data-comment-id]')?.dataset.commentId ?? ''",
    )


def sign_in(page, live_server, user):
    """Give the tab a signed-in session, as the sign-in form would."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": session.key, "value": session.value, "url": live_server.url}]
    )


# Tests of two app processes sharing PostgreSQL and Redis run Debian's redis-server. As
# with Chromium, a missing one skips them with the reason outside CI and fails them in CI.
REDIS_SERVER = Path(os.environ.get("NEWSBOARD_REDIS_SERVER", "/usr/bin/redis-server"))
WITH_A_REDIS_SERVER = [
    pytest.mark.skipif(
        not REDIS_SERVER.exists() and not IN_CI,
        reason=f"no redis-server at {REDIS_SERVER} (apt-get install redis-server); CI runs these",
    ),
]
