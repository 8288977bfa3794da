"""Our script when the server does not answer with our JSON: a proxy's 502 page, an
empty 500, a proxy's plain text, a captive portal's page, or no answer at all.

Playwright answers the script's background requests (fetch) in the tab itself, without
the network; the page's own navigations and form posts still reach the live server.
Each feature then falls back to what the page does without JavaScript (the plain form
or link), or, for the new-comments poll, waits for the next poll, and never raises an
uncaught error.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Report, Vote

from ..conftest import IN_A_BROWSER, sign_in
from ..factories import ArticleFactory, UserFactory, post

pytestmark = IN_A_BROWSER

# What may answer instead of our view: Playwright's route.fulfill() arguments, or None
# for a request that gets no answer (the connection fails).
NOT_OUR_JSON = {
    "proxy-502-page": {
        "status": 502,
        "content_type": "text/html",
        "body": "<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>",
    },
    "empty-500": {"status": 500, "body": ""},
    "proxy-503-text": {
        "status": 503,
        "content_type": "text/plain",
        "body": "upstream connect error or disconnect/reset before headers",
    },
    "captive-portal-200-page": {
        "status": 200,
        "content_type": "text/html",
        "body": "<html><body><p>Accept the terms to use this Wi-Fi.</p></body></html>",
    },
    "no-answer": None,
}
each_answer = pytest.mark.parametrize("answer", NOT_OUR_JSON.values(), ids=NOT_OUR_JSON.keys())


@pytest.fixture
def tab(browser):
    """A phone-sized tab running our script. The test fails on an uncaught script error
    or a CSP violation. Unlike the `page` fixture it accepts failed requests and 5xx
    answers: the tests below make them on purpose."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    problems = []
    tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    tab.on(
        "console",
        lambda message: "Content Security Policy" in message.text and problems.append(message.text),
    )
    yield tab
    context.close()
    assert problems == [], problems


def answer_in_the_background(tab, path, answer, *, method="GET", times=None):
    """Answer our script's `method` requests to `path` with `answer` (the first `times`
    of them, or all); the page's own navigations and form posts go to the server. The
    list of requests answered so."""
    answered = []

    def handle(route):
        request = route.request
        if request.resource_type != "fetch" or request.method != method:
            route.continue_()
            return
        answered.append(request.url)
        if answer is None:
            route.abort("connectionfailed")
        else:
            route.fulfill(**answer)

    tab.route(lambda url: urlsplit(url).path == path, handle, times=times)
    return answered


def article_url(live_server, article):
    return f"{live_server.url}{article.get_absolute_url()}"


# Votes ------------------------------------------------------------------------------


@each_answer
def test_a_vote_not_answered_with_json_is_sent_as_the_plain_form(tab, live_server, answer):
    article = ArticleFactory()
    comment = post(article, "Worth a vote.", name="Amaka Obi")
    sign_in(tab, live_server, UserFactory(username="voter"))
    tab.goto(article_url(live_server, article))
    vote_url = reverse("comments:vote", args=[comment.pk])
    answered = answer_in_the_background(tab, vote_url, answer, method="POST")

    tab.locator(f"#comment-{comment.pk} .vote-up").click()

    up = tab.locator(f"#comment-{comment.pk} .vote-up")  # on the page the form went back to
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(up.locator("[data-vote-count]")).to_have_text("1")
    assert answered == [live_server.url + vote_url]
    assert Vote.objects.get().value == 1


def test_a_vote_refused_with_our_json_says_why_in_place(tab, live_server):
    article = ArticleFactory()
    comment = post(article, "Worth a vote.", name="Amaka Obi")
    sign_in(tab, live_server, UserFactory(username="voter"))
    url = article_url(live_server, article)
    tab.goto(url)
    refusal = {"status": 400, "json": {"error": "Voting on this comment is closed."}}
    vote_url = reverse("comments:vote", args=[comment.pk])
    answer_in_the_background(tab, vote_url, refusal, method="POST")

    tab.locator(f"#comment-{comment.pk} .vote-up").click()

    expect(tab.locator(f"#comment-{comment.pk} .js-note")).to_have_text(
        "Voting on this comment is closed."
    )
    assert tab.url == url
    assert not Vote.objects.exists()


# Reports ----------------------------------------------------------------------------


@each_answer
def test_a_report_form_that_cannot_be_fetched_opens_as_the_report_page(tab, live_server, answer):
    article = ArticleFactory()
    comment = post(article, "Cheap watches at my shop.", name="Watch Seller")
    tab.goto(article_url(live_server, article))
    report_url = reverse("comments:report", args=[comment.pk])
    answered = answer_in_the_background(tab, report_url, answer)

    tab.locator(f"#comment-{comment.pk}").get_by_role("link", name="Report").click()

    tab.wait_for_url(live_server.url + report_url)
    expect(tab.locator("form.report-form")).to_be_visible()
    assert answered == [live_server.url + report_url]


@each_answer
def test_a_report_not_answered_with_json_is_sent_as_the_plain_form(tab, live_server, answer):
    article = ArticleFactory()
    comment = post(article, "Cheap watches at my shop.", name="Watch Seller")
    tab.goto(article_url(live_server, article))
    report_url = reverse("comments:report", args=[comment.pk])
    answered = answer_in_the_background(tab, report_url, answer, method="POST")
    reported = tab.locator(f"#comment-{comment.pk}")
    reported.get_by_role("link", name="Report").click()
    form = reported.locator("form.report-form")  # fetched from the report page, in place
    form.get_by_label("Spam", exact=True).check()

    form.get_by_role("button", name="Send report").click()

    tab.wait_for_url(f"{live_server.url}{comment.get_absolute_url()}")
    expect(tab.locator(".messages")).to_have_text(
        "Thank you. The moderators will look at this comment."
    )
    assert answered == [live_server.url + report_url]
    report = Report.objects.get()
    assert (report.comment_id, report.reason) == (comment.pk, Report.Reason.SPAM)


# More comments in place ---------------------------------------------------------------


@each_answer
def test_the_rest_of_a_thread_that_cannot_be_fetched_opens_as_the_threads_page(
    tab, live_server, settings, answer
):
    settings.NEWSBOARD_COMMENTS_PER_THREAD = 3
    article = ArticleFactory()
    root = post(article, "Should the ferry run at night?", name="Amaka Obi")
    for number in range(1, 6):
        post(article, f"Answer number {number}.", parent=root, name=f"Reader {number}")
    tab.goto(article_url(live_server, article))
    answered = answer_in_the_background(tab, root.get_absolute_url(), answer)

    tab.get_by_role("link", name="Load 3 more replies in this thread →").click()

    tab.wait_for_url(f"{live_server.url}{root.get_absolute_url()}**")
    expect(tab.locator("[data-comment-id]")).to_have_count(6)
    assert answered == [live_server.url + root.get_absolute_url()]


@each_answer
def test_a_next_page_that_cannot_be_fetched_opens_as_a_page(tab, live_server, settings, answer):
    settings.NEWSBOARD_THREADS_PER_PAGE = 5
    article = ArticleFactory()
    for number in range(1, 7):
        post(article, f"Thread number {number}.", name=f"Reader {number}")
    tab.goto(article_url(live_server, article))
    answered = answer_in_the_background(tab, article.get_absolute_url(), answer)

    tab.locator(".thread-pager a[rel=next]").click()

    tab.wait_for_url(re.compile(r"[?&]page=2#comments$"))
    expect(tab.locator("#comments .comment-tree > li.comment")).to_have_count(1)
    assert len(answered) == 1 and "page=2" in answered[0]


# New comments since the page opened ------------------------------------------------------


@each_answer
def test_the_new_comments_poll_shrugs_off_an_answer_that_is_not_json(tab, live_server, answer):
    article = ArticleFactory()
    post(article, "The first word.", name="Amaka Obi")
    tab.clock.install()  # the 30-second poll, run on demand
    tab.goto(article_url(live_server, article))
    poll_url = reverse("comments:new_comments", args=[article.slug])
    answered = answer_in_the_background(tab, poll_url, answer, times=1)
    post(article, "A word since.", name="Reader Two")
    note = tab.locator(".new-comments-note")

    with tab.expect_request(lambda request: poll_url in request.url):
        tab.clock.run_for(30_000)
    expect(note).to_be_hidden()

    tab.clock.run_for(30_000)  # the next poll reaches the server, and still counts
    expect(note).to_have_text("1 new comment since you opened this page: show it")
    assert len(answered) == 1


# A module that does not load ----------------------------------------------------------------


def test_a_module_that_does_not_load_leaves_the_page_as_it_is_without_javascript(tab, live_server):
    article = ArticleFactory()
    comment = post(article, "Worth a vote.", name="Amaka Obi")
    sign_in(tab, live_server, UserFactory(username="voter"))
    tab.route("**/js/newsboard/votes*.js", lambda route: route.fulfill(status=404, body=""))
    tab.goto(article_url(live_server, article))
    expect(tab.locator(".new-comments-note")).to_have_count(0)  # no module ran

    tab.locator(f"#comment-{comment.pk} .vote-up").click()  # the plain form

    expect(tab.locator(f"#comment-{comment.pk} .vote-up")).to_have_attribute("aria-pressed", "true")
    assert Vote.objects.get().value == 1
