"""Readers' journeys in a real Chromium (Debian's, driven by Playwright), each with our
script on and off: what the reader sees in the browser, and the database where it matters.

The `page` fixture (conftest.py) runs every test twice, with JavaScript on and off, and
fails it on a script error, a CSP violation or a failed sub-request. What only our
script does (drafts, the character counter) runs with JavaScript on alone.
"""

import re
from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from comments import moderation
from comments.models import Comment, Report, Vote

from ..conftest import IN_A_BROWSER, enclosing_comment_id, sign_in
from ..factories import ArticleFactory, UserFactory, post

pytestmark = IN_A_BROWSER

PASSWORD = "correct horse battery staple"
# For what our script alone does: the page fixture with JavaScript on only.
JAVASCRIPT_ONLY = pytest.mark.parametrize("page", [True], ids=["javascript-on"], indirect=True)
COMMENT_PAGE = re.compile(r"/comments/(\d+)/$")


@pytest.fixture
def javascript(request, page):
    """Whether the page runs our script: the page fixture's parameter."""
    return request.node.callspec.params["page"]


def article_url(live_server, article):
    return f"{live_server.url}{article.get_absolute_url()}"


def moderator():
    """A staff member in the Moderators group, the group made again as its migration makes
    it: the transactional tests that drive a browser empty every table between tests."""
    permissions = import_module("comments.migrations.0003_moderators_group").PERMISSIONS
    group, _created = Group.objects.get_or_create(name="Moderators")
    group.permissions.set(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in permissions
    )
    user = UserFactory(username="moderator", display_name="Mo Derator", is_staff=True)
    user.groups.add(group)
    return user


def pending(article, body, **author):
    """A comment held for a moderator, as the rules would hold it."""
    comment = post(article, body, **author)
    moderation.set_status(Comment.objects.filter(pk=comment.pk), Comment.Status.PENDING)
    return comment


def comment_form(page, parent=None):
    """The comment form at the top of the discussion, or the one replying to `parent`."""
    if parent is None:
        return page.locator("#comments .comment-form-top form.comment-form")
    return page.locator("form.comment-form").filter(
        has=page.locator(f"input[name=parent][value='{parent.pk}']")
    )


def posted_comment(page):
    """The comment whose own page the browser landed on after posting or editing it."""
    page.wait_for_url(COMMENT_PAGE)
    return Comment.objects.get(pk=COMMENT_PAGE.search(page.url).group(1))


def messages(page):
    return page.locator(".messages")


# 1. Paging and sorting a long discussion ---------------------------------------------


@pytest.fixture
def long_discussion(settings):
    """12 threads of a comment and its reply, oldest first, 5 threads a page."""
    settings.NEWSBOARD_THREADS_PER_PAGE = 5
    article = ArticleFactory(headline="Twelve readers on the night bus timetable")
    threads = []
    for number in range(1, 13):
        thread = post(article, f"Thread number {number}.", name=f"Reader {number}")
        post(article, f"A reply in thread {number}.", parent=thread, name="Replying Reader")
        threads.append(thread)
    return article, threads


def threads_shown(page):
    return page.locator("#comments .comment-tree > li.comment")


def thread_ids(page):
    return [
        int(pk)
        for pk in threads_shown(page).evaluate_all("items => items.map(i => i.dataset.commentId)")
    ]


def comment_ids(page):
    return [
        int(pk)
        for pk in page.locator("[data-comment-id]").evaluate_all(
            "items => items.map(i => i.dataset.commentId)"
        )
    ]


def test_sort_links_put_the_oldest_or_the_newest_thread_first(page, live_server, long_discussion):
    article, threads = long_discussion
    page.goto(article_url(live_server, article))
    sorts = page.get_by_role("navigation", name="Sort comments")

    sorts.get_by_role("link", name="Oldest").click()
    page.wait_for_url(lambda url: "sort=oldest" in url)
    expect(sorts.locator("[aria-current]")).to_have_text("Oldest")
    assert thread_ids(page) == [thread.pk for thread in threads[:5]]

    sorts.get_by_role("link", name="Newest").click()
    page.wait_for_url(lambda url: "sort=newest" in url)
    expect(sorts.locator("[aria-current]")).to_have_text("Newest")
    assert thread_ids(page) == [thread.pk for thread in reversed(threads)][:5]


def test_reader_reads_every_page_of_threads_and_sees_each_comment_once(
    page, javascript, live_server, long_discussion
):
    article, threads = long_discussion
    newest_first = [thread.pk for thread in reversed(threads)]
    page.goto(article_url(live_server, article))
    page.get_by_role("navigation", name="Sort comments").get_by_role("link", name="Newest").click()
    page.wait_for_url(lambda url: "sort=newest" in url)
    first_page_url = page.url
    pager = page.get_by_role("navigation", name="Comment pages")
    expect(pager).to_contain_text("Page 1 of 3")
    seen = comment_ids(page)

    pager.get_by_role("link", name="Older comments →").click()
    if javascript:  # appended in place: the first page's threads stay, the pager moves on
        expect(threads_shown(page)).to_have_count(10)
        assert page.url == first_page_url
        assert thread_ids(page) == newest_first[:10]
    else:  # the next page loads
        page.wait_for_url(lambda url: "page=2" in url)
        assert thread_ids(page) == newest_first[5:10]
        seen += comment_ids(page)
    expect(pager).to_contain_text("Page 2 of 3")

    pager.get_by_role("link", name="Older comments →").click()
    if javascript:
        expect(threads_shown(page)).to_have_count(12)
        expect(pager).to_have_count(0)  # nothing more to load
        assert page.url == first_page_url
        seen = comment_ids(page)
    else:
        page.wait_for_url(lambda url: "page=3" in url)
        expect(pager).to_contain_text("Page 3 of 3")
        expect(pager.get_by_role("link", name="Older comments →")).to_have_count(0)
        seen += comment_ids(page)
    assert thread_ids(page)[-2:] == newest_first[10:]
    assert sorted(seen) == sorted(Comment.objects.values_list("pk", flat=True))


# 2. A guest comments and replies ---------------------------------------------------


def test_guest_comments_then_replies_to_their_own_comment_under_the_name_they_gave(
    page, live_server
):
    article = ArticleFactory(headline="Harbour ferry returns after forty years")
    page.goto(article_url(live_server, article))
    form = comment_form(page)
    form.locator("textarea[name=body]").fill("The old timetable had a 6:10 departure.")
    form.locator("input[name=name]").fill("Zoë Quinn")
    form.locator("input[name=email]").fill("zoe@example.org")
    form.get_by_role("button", name="Post comment").click()
    comment = posted_comment(page)
    expect(messages(page)).to_contain_text("Your comment was posted.")

    page.get_by_role("link", name="See it in the full discussion").click()
    page.locator(f"#comment-{comment.pk} a.reply-link").click()
    form = comment_form(page, parent=comment)
    expect(form.locator("input[name=name]")).to_have_value("Zoë Quinn")
    expect(form.locator("input[name=email]")).to_have_value("zoe@example.org")
    form.locator("textarea[name=body]").fill("Correction: it was 6:15.")
    form.get_by_role("button", name="Post reply").click()
    reply = posted_comment(page)

    page.goto(article_url(live_server, article))
    expect(page.locator(f"#comment-{reply.pk} .comment-text")).to_have_text(
        "Correction: it was 6:15."
    )
    assert enclosing_comment_id(page, reply.pk) == str(comment.pk)
    assert (reply.parent_id, reply.guest_name, reply.guest_email) == (
        comment.pk,
        "Zoë Quinn",
        "zoe@example.org",
    )


def test_empty_reply_is_refused_with_the_name_and_email_kept(page, live_server):
    article = ArticleFactory()
    parent = post(article, "Who remembers the old ferry?", name="Nguyễn Thị Mai")
    page.goto(article_url(live_server, article))
    page.locator(f"#comment-{parent.pk} a.reply-link").click()
    form = comment_form(page, parent=parent)
    form.locator("input[name=name]").fill("Ahmed Karim")
    form.locator("input[name=email]").fill("ahmed@example.org")
    form.get_by_role("button", name="Post reply").click()

    form = comment_form(page, parent=parent)
    expect(form).to_contain_text("Please write your comment before posting it.")
    expect(form.locator("input[name=name]")).to_have_value("Ahmed Karim")
    expect(form.locator("input[name=email]")).to_have_value("ahmed@example.org")
    assert not Comment.objects.filter(parent=parent).exists()

    form.locator("textarea[name=body]").fill("I do: my grandfather ran it.")
    form.get_by_role("button", name="Post reply").click()
    reply = posted_comment(page)
    assert (reply.parent_id, reply.guest_name) == (parent.pk, "Ahmed Karim")


def drafts(page):
    return page.evaluate(
        "Object.keys(localStorage).filter(key => key.startsWith('newsboard:draft:'))"
    )


@JAVASCRIPT_ONLY
def test_typed_comment_survives_a_reload_and_is_forgotten_once_posted(page, live_server):
    article = ArticleFactory()
    page.goto(article_url(live_server, article))
    body = comment_form(page).locator("textarea[name=body]")
    body.press_sequentially("Half a thought before the tab")
    page.reload()
    expect(body).to_have_value("Half a thought before the tab")

    body.press_sequentially(" closed, and the rest of it.")
    comment_form(page).locator("input[name=name]").fill("Ines Duarte")
    comment_form(page).locator("input[name=email]").fill("ines@example.org")
    comment_form(page).get_by_role("button", name="Post comment").click()
    comment = posted_comment(page)
    assert comment.body == "Half a thought before the tab closed, and the rest of it."
    assert drafts(page) == []

    page.goto(article_url(live_server, article))
    expect(body).to_have_value("")


@JAVASCRIPT_ONLY
def test_typed_reply_survives_a_reload_and_is_forgotten_once_posted(page, live_server):
    article = ArticleFactory()
    parent = post(article, "Who remembers the old ferry?", name="Nguyễn Thị Mai")
    page.goto(article_url(live_server, article))
    page.locator(f"#comment-{parent.pk} a.reply-link").click()
    body = comment_form(page, parent=parent).locator("textarea[name=body]")
    body.press_sequentially("My grandfather")
    page.reload()
    page.locator(f"#comment-{parent.pk} a.reply-link").click()
    expect(body).to_have_value("My grandfather")

    body.press_sequentially(" ran it for thirty years.")
    form = comment_form(page, parent=parent)
    form.locator("input[name=name]").fill("Ahmed Karim")
    form.locator("input[name=email]").fill("ahmed@example.org")
    form.get_by_role("button", name="Post reply").click()
    reply = posted_comment(page)
    assert (reply.parent_id, reply.body) == (parent.pk, "My grandfather ran it for thirty years.")
    assert drafts(page) == []


@JAVASCRIPT_ONLY
def test_reply_form_counts_its_own_characters(page, live_server):
    article = ArticleFactory()
    parent = post(article, "Who remembers the old ferry?", name="Nguyễn Thị Mai")
    page.goto(article_url(live_server, article))
    comment_form(page).locator("textarea[name=body]").press_sequentially("A comment of my own")
    page.locator(f"#comment-{parent.pk} a.reply-link").click()
    reply_form = comment_form(page, parent=parent)
    expect(reply_form.locator(".char-counter")).to_have_text("0 of 5,000 characters")
    reply_body = reply_form.locator("textarea[name=body]")
    reply_body.press_sequentially("Me!")
    expect(reply_form.locator(".char-counter")).to_have_text("3 of 5,000 characters")
    expect(reply_body).to_have_accessible_description(re.compile(r"3 of 5,000 characters$"))
    expect(comment_form(page).locator(".char-counter")).to_have_text("19 of 5,000 characters")


@JAVASCRIPT_ONLY
def test_character_counter_counts_as_the_reader_types(page, live_server):
    page.goto(article_url(live_server, ArticleFactory()))
    form = comment_form(page)
    counter = form.locator(".char-counter")
    expect(counter).to_have_text("0 of 5,000 characters")
    form.locator("textarea[name=body]").press_sequentially("Bonjour")
    expect(counter).to_have_text("7 of 5,000 characters")
    form.locator("textarea[name=body]").fill("x" * 5_001)
    expect(counter).to_have_text("5,001 of 5,000 characters")
    expect(counter).to_have_class(re.compile(r"\bover-limit\b"))


# 3. A member signs up, confirms the address, votes and edits -----------------------


def test_new_member_signs_up_and_confirming_the_address_publishes_their_comment(
    page, live_server, settings
):
    # The confirmation e-mail is a background task: run it at once, in the request.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    article = ArticleFactory()
    page.goto(article_url(live_server, article))
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Sign up").click()
    page.locator("input[name=email]").fill("ada@example.org")
    page.locator("input[name=display_name]").fill("Ada Lovelace")
    page.locator("input[name=username]").fill("ada")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    expect(messages(page)).to_contain_text(
        "Welcome, Ada Lovelace! We sent a link to ada@example.org"
    )

    comment_form(page).locator("textarea[name=body]").fill("My first comment here.")
    comment_form(page).get_by_role("button", name="Post comment").click()
    comment = posted_comment(page)
    expect(messages(page)).to_contain_text("Your comment is awaiting moderation")
    assert comment.status == Comment.Status.PENDING

    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    link = re.search(r"https?://\S+", mail.outbox[0].body).group()
    page.goto(live_server.url + re.sub(r"^https?://[^/]+", "", link))
    page.wait_for_url(f"**{reverse('account_settings')}")
    expect(messages(page)).to_contain_text("Thank you: ada@example.org is confirmed.")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.user.email_verified_at is not None


def test_member_signs_in_from_a_vote_link_and_votes_up_someone_elses_comment(page, live_server):
    article = ArticleFactory()
    comment = post(article, "The ferry should run on Sundays too.", name="Nguyễn Thị Mai")
    UserFactory(username="ada", display_name="Ada Lovelace")
    page.goto(article_url(live_server, article))
    votes = page.locator(f"#comment-{comment.pk}").get_by_role("link", name="▲ 0 ▼ 0")
    expect(votes).to_have_accessible_description("Sign in to vote")
    votes.click()
    page.wait_for_url("**/accounts/login/**")
    page.locator("input[name=username]").fill("ada")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(
        lambda url: url.endswith(f"{article.get_absolute_url()}#comment-{comment.pk}")
    )

    up = page.locator(f"#comment-{comment.pk}").get_by_role("button", name="Vote up")
    up.click()
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(up.locator(".vote-count")).to_have_text("1")
    assert Vote.objects.get(comment=comment).value == 1
    comment.refresh_from_db()
    assert (comment.upvotes, comment.downvotes) == (1, 0)


def test_member_edits_their_comment_within_the_edit_window(page, live_server):
    article = ArticleFactory()
    member = UserFactory(username="ada", display_name="Ada Lovelace")
    sign_in(page, live_server, member)
    page.goto(article_url(live_server, article))
    comment_form(page).locator("textarea[name=body]").fill("The bridge opens in 2029.")
    comment_form(page).get_by_role("button", name="Post comment").click()
    comment = posted_comment(page)

    page.locator(f"#comment-{comment.pk}").get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_url(f"**/comments/{comment.pk}/edit/")
    page.locator("textarea[name=body]").fill("The bridge opens in 2030, a year late.")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"**/comments/{comment.pk}/")

    expect(messages(page)).to_contain_text("Your comment was updated.")
    shown = page.locator(f"#comment-{comment.pk}")
    expect(shown.locator(".comment-text")).to_have_text("The bridge opens in 2030, a year late.")
    expect(shown.locator(".comment-edited")).to_have_text("edited")
    comment.refresh_from_db()
    assert comment.body == "The bridge opens in 2030, a year late."
    assert comment.edited_at is not None


# 4. A reader reports a comment ------------------------------------------------------


def test_reader_reports_a_comment_and_is_thanked(page, javascript, live_server):
    article = ArticleFactory()
    comment = post(article, "Cheap watches at my shop, follow the link!", name="Watch Seller")
    url = article_url(live_server, article)
    page.goto(url)
    if javascript:
        page.evaluate("window.stillTheSamePage = true")
    reported = page.locator(f"#comment-{comment.pk}")
    reported.get_by_role("link", name="Report").click()
    if javascript:  # the form opens in place, under the comment
        form = reported.locator("form.report-form")
        expect(form).to_be_visible()
    else:  # the report page
        page.wait_for_url(f"**/comments/{comment.pk}/report/")
        form = page.locator("form.report-form")
    form.get_by_label("Spam", exact=True).check()
    form.get_by_role("button", name="Send report").click()

    thanks = "Thank you. The moderators will look at this comment."
    if javascript:  # thanked in place, without a page load
        expect(reported.get_by_role("status")).to_have_text(thanks)
        expect(reported.get_by_role("link", name="Report")).to_have_count(0)
        assert page.url == url
        assert page.evaluate("window.stillTheSamePage") is True
    else:
        page.wait_for_url(f"**/comments/{comment.pk}/")
        expect(messages(page)).to_have_text(thanks)
    report = Report.objects.get()
    assert (report.comment_id, report.reason) == (comment.pk, Report.Reason.SPAM)


# 5. A moderator approves pending comments -----------------------------------------


def test_moderator_approves_a_pending_comment_from_the_admin_queue(page, live_server):
    article = ArticleFactory()
    waiting = pending(article, "Held for a moderator to read.", name="Gwen Guest")
    other = pending(article, "Another one, still held.", name="Hal Guest")
    moderator()
    page.goto(live_server.url + reverse("admin:comments_comment_changelist"))
    page.locator("input[name=username]").fill("moderator")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/comments/comment/")

    row = page.locator("#result_list tbody tr").filter(has_text="Held for a moderator to read.")
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option("approve")
    page.get_by_role("button", name="Run").click()

    expect(page.locator(".messagelist")).to_have_text("1 comment approved.")
    waiting.refresh_from_db()
    other.refresh_from_db()
    assert waiting.status == Comment.Status.APPROVED
    assert other.status == Comment.Status.PENDING


def test_moderator_approves_a_pending_comment_on_the_article_page(page, live_server):
    article = ArticleFactory()
    waiting = pending(article, "Held for a moderator to read.", name="Gwen Guest")
    sign_in(page, live_server, moderator())
    page.goto(article_url(live_server, article))
    shown = page.locator(f"#comment-{waiting.pk}")
    expect(shown.locator(".comment-state")).to_contain_text("Awaiting moderation")

    tools = shown.get_by_role("group", name="Moderate this comment")
    tools.get_by_role("button", name="Approve").click()

    expect(messages(page)).to_have_text("Done: approved.")
    expect(shown.locator(".comment-state")).to_have_count(0)
    expect(shown.get_by_role("button", name="Approve")).to_have_count(0)
    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.APPROVED


# 6. Folding a deep thread ----------------------------------------------------------


@pytest.fixture
def deep_thread():
    """A chain of seven comments, each replying to the one before: levels 0 to 6."""
    article = ArticleFactory()
    names = ["Amaka Obi", "Bo Lindqvist", "Chen Wei", "Dara Byrne", "Eitan Levi", "Fatou Diop"]
    chain, parent = [], None
    for level, name in enumerate([*names, "Gus Moreau"]):
        parent = post(article, f"Level {level} of the argument.", parent=parent, name=name)
        chain.append(parent)
    return article, chain


def card(page, comment):
    """The comment's own card (inside its fold when it has replies), not its replies'."""
    return page.locator(
        f"#comment-{comment.pk} > .comment-card, #comment-{comment.pk} > details > .comment-card"
    )


def fold_control(page, comment):
    return page.locator(f"#comment-{comment.pk} > details.comment-fold > summary")


def test_folding_a_thread_hides_its_replies_and_says_how_many(page, live_server, deep_thread):
    article, chain = deep_thread
    page.goto(article_url(live_server, article))
    deepest_shown = card(page, chain[5])  # display depth 6
    expect(deepest_shown).to_be_visible()
    folded_note = page.get_by_text("Amaka Obi · 5 replies hidden")
    expect(folded_note).to_be_hidden()

    fold_control(page, chain[0]).click()
    expect(folded_note).to_be_visible()
    for reply in chain[1:6]:
        expect(card(page, reply)).to_be_hidden()

    fold_control(page, chain[0]).click()
    expect(folded_note).to_be_hidden()
    for reply in chain[1:6]:
        expect(card(page, reply)).to_be_visible()


def test_folding_a_reply_deep_in_a_thread_hides_only_what_is_below_it(
    page, live_server, deep_thread
):
    article, chain = deep_thread
    page.goto(article_url(live_server, article))
    fold_control(page, chain[3]).click()

    expect(page.get_by_text("Dara Byrne · 2 replies hidden")).to_be_visible()
    for comment in chain[:3]:
        expect(card(page, comment)).to_be_visible()
    for comment in chain[3:6]:
        expect(card(page, comment)).to_be_hidden()


# 7. The rest of a long thread -------------------------------------------------------


def test_load_more_replies_shows_the_whole_thread(page, javascript, live_server, settings):
    settings.NEWSBOARD_COMMENTS_PER_THREAD = 3
    article = ArticleFactory()
    root = post(article, "Should the ferry run at night?", name="Amaka Obi")
    replies = [
        post(article, f"Answer number {number}.", parent=root, name=f"Reader {number}")
        for number in range(1, 6)
    ]
    url = article_url(live_server, article)
    page.goto(url)
    expect(page.locator(f"#comment-{replies[1].pk}")).to_be_visible()
    expect(page.locator(f"#comment-{replies[2].pk}")).to_have_count(0)

    page.get_by_role("link", name="Load 3 more replies in this thread →").click()
    if javascript:  # the thread is replaced in place by the whole of it
        expect(page.locator(f"#comment-{replies[4].pk}")).to_be_visible()
        assert page.url == url
    else:  # the thread's own page
        page.wait_for_url(f"**/comments/{root.pk}/")
    for comment in [root, *replies]:
        expect(card(page, comment)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("more repl"))).to_have_count(0)
    assert sorted(comment_ids(page)) == sorted(c.pk for c in [root, *replies])
