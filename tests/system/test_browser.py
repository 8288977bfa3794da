"""In a real Chromium (Debian's, driven by Playwright): a reader replies through the form."""

from comments.models import Comment

from ..conftest import IN_A_BROWSER, enclosing_comment_id
from ..factories import ArticleFactory, UserFactory, post

pytestmark = IN_A_BROWSER


def test_reader_replies_through_the_form_and_sees_the_reply_nested(page, live_server):
    article = ArticleFactory(headline="Harbour ferry returns after forty years")
    parent = post(article, "Finally! I used to take it to school.", name="Nguyễn Thị Mai")

    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator("h1").inner_text() == article.headline
    page.locator(f"#comment-{parent.pk} a.reply-link").click()

    # With JavaScript the form opens under the comment; without, on the reply page.
    form = page.locator("form.comment-form").filter(
        has=page.locator(f"input[name=parent][value='{parent.pk}']")
    )
    form.locator("textarea[name=body]").fill("Same here – the **best** commute in town.")
    form.locator("input[name=name]").fill("Zoë Quinn")
    form.locator("input[name=email]").fill("zoe@example.org")
    form.get_by_role("button", name="Post reply").click()

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


def test_voting_updates_the_counts(page, live_server):
    article = ArticleFactory()
    comment = post(article, "Worth a vote")
    reader = UserFactory(username="voter")
    reader.set_password("correct horse battery staple")
    reader.save()
    page.goto(f"{live_server.url}/accounts/login/?next={article.get_absolute_url()}")
    page.fill("input[name=username]", "voter")
    page.fill("input[name=password]", "correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    up = page.locator(f"#comment-{comment.pk} .vote-up")
    up.click()
    page.wait_for_function(
        "id => document.querySelector(`#comment-${id} .vote-up`).getAttribute('aria-pressed')"
        " === 'true'",
        arg=comment.pk,
    )
    assert up.locator("[data-vote-count]").inner_text() == "1"
    comment.refresh_from_db()
    assert comment.upvotes == 1
