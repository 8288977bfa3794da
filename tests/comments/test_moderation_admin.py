"""Moderators at work in the Django admin: the queue, its decisions and the records they leave."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments import moderation, rules
from comments.models import Block, Comment, ModerationAction, Report

from ..conftest import IN_A_BROWSER
from ..factories import ArticleFactory, UserFactory, post

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")
USERS = reverse("admin:newsboard_user_changelist")


@pytest.fixture
def moderator():
    user = UserFactory(username="moderator", display_name="Mo Derator", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def held(article, count, **author):
    """count comments held for review on the article, as the rules would hold them."""
    posted = [post(article, f"Held comment number {n}.", **author) for n in range(count)]
    comments = Comment.objects.filter(pk__in=[comment.pk for comment in posted])
    moderation.set_status(comments, Comment.Status.PENDING)
    return list(comments)


def run_action(client, action, comments, url=QUEUE, **data):
    return client.post(
        url, {"action": action, "_selected_action": [c.pk for c in comments], **data}, follow=True
    )


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def action_names(response):
    form = response.context["action_form"]
    return {name for name, _label in form.fields["action"].choices} if form else set()


def test_moderator_signs_in_and_the_pending_queue_lists_only_held_comments(client, moderator):
    article = ArticleFactory()
    waiting = held(article, 2)
    approved = post(article, "Already visible", user=UserFactory(trusted=True))
    response = client.post(
        reverse("admin:login"),
        {"username": "moderator", "password": "correct horse battery staple", "next": QUEUE},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == QUEUE
    listed = client.get(QUEUE, {"queue": "pending"}).context["cl"].result_list
    assert {c.pk for c in listed} == {c.pk for c in waiting}
    assert approved.pk not in {c.pk for c in listed}


def test_approving_a_hundred_pending_comments_at_once_shows_them_on_the_article(
    moderator_client, settings
):
    settings.NEWSBOARD_THREADS_PER_PAGE = 200
    article = ArticleFactory()
    waiting = held(article, 100)
    response = run_action(moderator_client, "approve", waiting)
    assert messages_of(response) == ["100 comments approved."]
    html = Client().get(f"/articles/{article.slug}/").content.decode()
    assert all(f'data-comment-id="{c.pk}"' in html for c in waiting)
    article.refresh_from_db()
    assert article.comment_count == 100


def test_bulk_approval_leaves_one_audit_row_per_comment_naming_the_moderator(
    moderator_client, moderator
):
    waiting = held(ArticleFactory(), 100)
    run_action(moderator_client, "approve", waiting)
    approvals = ModerationAction.objects.filter(to_status=Comment.Status.APPROVED)
    assert approvals.count() == 100
    assert set(approvals.values_list("comment", flat=True)) == {c.pk for c in waiting}
    assert set(approvals.values_list("actor", flat=True)) == {moderator.pk}


def test_approve_message_counts_comments_that_already_were(moderator_client):
    article = ArticleFactory()
    waiting = held(article, 1)
    visible = post(article, "Fine as it is", user=UserFactory(trusted=True))
    response = run_action(moderator_client, "approve", [*waiting, visible])
    assert messages_of(response) == ["1 comment approved. 1 selected comment already was."]


def test_remove_asks_for_a_reason_before_removing_anything(moderator_client):
    comment = post(ArticleFactory(), "Off-topic rant", user=UserFactory(trusted=True))
    response = run_action(moderator_client, "remove", [comment])
    html = response.content.decode()
    assert response.templates[0].name == "admin/comments/comment/remove_confirmation.html"
    assert 'name="removal_reason" value="abuse"' in html
    assert "Off-topic rant" in html
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_remove_with_a_reason_records_it_on_the_comment_and_in_the_trail(
    moderator_client, moderator
):
    comment = post(ArticleFactory(), "You are all idiots", user=UserFactory(trusted=True))
    response = run_action(
        moderator_client,
        "remove",
        [comment],
        post="yes",
        removal_reason=Comment.RemovalReason.ABUSE,
        removal_note="Please keep it civil.",
    )
    assert messages_of(response) == ["1 comment removed."]
    comment.refresh_from_db()
    assert (comment.status, comment.removal_reason, comment.removal_note) == (
        Comment.Status.REMOVED,
        Comment.RemovalReason.ABUSE,
        "Please keep it civil.",
    )
    action = ModerationAction.objects.get(comment=comment, to_status=Comment.Status.REMOVED)
    assert (action.actor, action.reason) == (
        moderator,
        "Abuse or harassment: Please keep it civil.",
    )


def test_remove_without_a_reason_asks_again_and_keeps_the_comment(moderator_client):
    comment = post(ArticleFactory(), "Borderline", user=UserFactory(trusted=True))
    response = run_action(moderator_client, "remove", [comment], post="yes")
    assert response.templates[0].name == "admin/comments/comment/remove_confirmation.html"
    assert response.context["form"].errors["removal_reason"]
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_mark_as_spam_hides_the_comment_and_records_the_decision(moderator_client, moderator):
    comment = held(ArticleFactory(), 1)[0]
    response = run_action(moderator_client, "mark_as_spam", [comment])
    assert messages_of(response) == ["1 comment marked as spam."]
    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
    assert ModerationAction.objects.filter(
        comment=comment, to_status=Comment.Status.SPAM, actor=moderator
    ).exists()


def test_feature_marks_the_comment_and_the_queue_shows_the_badge(moderator_client):
    comment = post(ArticleFactory(), "A brilliant point", user=UserFactory(trusted=True))
    response = run_action(moderator_client, "feature", [comment])
    assert messages_of(response) == ["1 comment featured."]
    comment.refresh_from_db()
    assert comment.is_featured
    assert "★ Featured" in moderator_client.get(QUEUE).content.decode()


def test_unfeature_clears_the_featured_mark(moderator_client, moderator):
    comment = post(ArticleFactory(), "A brilliant point", user=UserFactory(trusted=True))
    moderation.set_featured(Comment.objects.filter(pk=comment.pk), True, by=moderator)
    response = run_action(moderator_client, "unfeature", [comment])
    assert messages_of(response) == ["1 comment no longer featured."]
    comment.refresh_from_db()
    assert not comment.is_featured


def test_feature_leaves_comments_that_are_not_approved_and_says_why(moderator_client):
    comment = held(ArticleFactory(), 1)[0]
    response = run_action(moderator_client, "feature", [comment])
    assert messages_of(response) == [
        "0 comments featured. 1 selected comment was left as it was: only approved comments "
        "that are not featured yet can be featured."
    ]
    comment.refresh_from_db()
    assert not comment.is_featured


def test_moderator_cannot_hard_delete_comments(moderator_client):
    comment = post(ArticleFactory(), "Stays in the database")
    response = moderator_client.get(QUEUE)
    assert "delete_selected" not in action_names(response)
    delete_url = reverse("admin:comments_comment_delete", args=[comment.pk])
    assert moderator_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_superuser_can_hard_delete_a_comment(admin_client):
    comment = post(ArticleFactory(), "Personal data that must go")
    assert "delete_selected" in action_names(admin_client.get(QUEUE))
    delete_url = reverse("admin:comments_comment_delete", args=[comment.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_member_outside_the_moderators_group_is_refused(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(QUEUE).status_code == 403


def test_staff_who_may_edit_but_not_moderate_get_no_moderation_actions(client):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="comments", codename__in=["view_comment", "change_comment"]
        )
    )
    client.force_login(editor)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert not {"approve", "remove", "mark_as_spam", "feature"} & action_names(response)
    assert "moderation-shortcuts" not in response.content.decode()


def test_reported_queue_lists_the_most_reported_comments_first(moderator_client):
    article = ArticleFactory()
    readers = UserFactory.create_batch(3)
    once, thrice, twice = (
        post(article, f"Reported {n} times", user=UserFactory(trusted=True)) for n in (1, 3, 2)
    )
    post(article, "Never reported", user=UserFactory(trusted=True))
    for comment, times in ((once, 1), (thrice, 3), (twice, 2)):
        for reader in readers[:times]:
            moderation.report_comment(comment, reason=Report.Reason.ABUSE, user=reader)
    listed = moderator_client.get(QUEUE, {"queue": "reported"}).context["cl"].result_list
    assert [c.pk for c in listed] == [thrice.pk, twice.pk, once.pk]


def test_recent_queue_lists_the_last_day_in_any_status(moderator_client):
    article = ArticleFactory()
    new = held(article, 1)[0]
    old = post(article, "Last week's news", user=UserFactory(trusted=True))
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    listed = moderator_client.get(QUEUE, {"queue": "recent"}).context["cl"].result_list
    assert [c.pk for c in listed] == [new.pk]


def test_queue_row_shows_context_author_history_holds_and_reports(moderator_client):
    article = ArticleFactory(headline="Tram line extended")
    author = UserFactory(display_name="Ines Ferreira", trusted=True)
    parent = post(article, "The tram is always late.", user=author)
    removed = post(article, "Something rude", user=author)
    moderation.set_status(Comment.objects.filter(pk=removed.pk), Comment.Status.REMOVED)
    reply = post(article, "Not on my line.", parent=parent, user=author)
    Comment.objects.filter(pk=reply.pk).update(
        held_for=[rules.hold("links", "5 links")], ip_address="203.0.113.9"
    )
    for reader in UserFactory.create_batch(2):
        moderation.report_comment(reply, reason=Report.Reason.SPAM, user=reader)
    html = moderator_client.get(QUEUE, {"q": "Not on my line"}).content.decode()
    assert "in reply to “The tram is always late.”" in html
    assert "Ines Ferreira" in html
    assert "2 approved · 1 removed" in html
    assert "Held: Too many links: 5 links" in html
    assert "2 open reports: Spam ×2" in html
    assert "203.0.113.9" in html
    assert "Tram line extended" in html


def test_guest_author_is_marked_and_counted_by_address(moderator_client):
    article = ArticleFactory()
    first = post(article, "First visit", name="Ahmed Karim", email="ahmed@example.org")
    moderation.set_status(Comment.objects.filter(pk=first.pk), Comment.Status.APPROVED)
    second = post(article, "Second visit", name="Ahmed Karim", email="ahmed@example.org")
    moderation.set_status(Comment.objects.filter(pk=second.pk), Comment.Status.PENDING)
    html = moderator_client.get(QUEUE, {"q": "Second visit"}).content.decode()
    assert "Ahmed Karim (guest)" in html
    assert "ahmed@example.org" in html
    assert "1 approved · 0 removed" in html


def test_queue_shows_the_whole_comment_as_escaped_text(moderator_client):
    body = "First line\n\n<script>alert('x')</script> and a long tail " + "word " * 60
    post(ArticleFactory(), body, user=UserFactory(trusted=True))
    html = moderator_client.get(QUEUE).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert "word " * 60 in html


def test_queue_page_runs_the_same_queries_for_5_and_50_comments(moderator_client):
    def queue_queries(count):
        article = ArticleFactory()
        readers = UserFactory.create_batch(2)
        root = post(article, "A root comment", user=UserFactory(trusted=True))
        for n in range(count - 1):
            comment = post(
                article,
                f"Comment {n}",
                parent=root if n % 2 else None,
                user=readers[0] if n % 3 else None,
                email=f"guest{n}@example.org",
            )
            if n % 4 == 0:
                moderation.report_comment(comment, reason=Report.Reason.OFF_TOPIC, user=readers[1])
        with CaptureQueriesContext(connection) as queries:
            response = moderator_client.get(QUEUE, {"article__id__exact": article.pk})
        assert len(response.context["cl"].result_list) == count
        return len(queries)

    moderator_client.get(QUEUE)  # warm per-process caches (navigation)
    assert queue_queries(5) == queue_queries(50)


def test_shortcuts_are_explained_above_the_list_and_loaded_as_our_script(moderator_client):
    post(ArticleFactory(), "Anything")
    html = moderator_client.get(QUEUE).content.decode()
    assert "admin-extra/moderation-queue.js" in html
    assert "<kbd>?</kbd> lists every shortcut" in html
    assert 'id="moderation-shortcuts"' in html


def test_article_list_links_to_the_queue_for_each_article(moderator_client):
    article = ArticleFactory(headline="Bridge opens")
    other = ArticleFactory()
    mine = post(article, "On the bridge")
    post(other, "Elsewhere")
    html = moderator_client.get(reverse("admin:articles_article_changelist")).content.decode()
    link = f"{QUEUE}?article__id__exact={article.pk}"
    assert f'href="{link}">Moderate 1 comment<' in html
    response = moderator_client.get(link)
    assert [c.pk for c in response.context["cl"].result_list] == [mine.pk]
    assert "Comments on “Bridge opens”." in response.content.decode()


def test_change_form_shows_the_audit_trail_and_reports_read_only(moderator_client, moderator):
    comment = post(ArticleFactory(), "Look at this", user=UserFactory(trusted=True))
    moderation.report_comment(comment, reason=Report.Reason.OFF_TOPIC, note="Not about trams")
    moderation.set_status(Comment.objects.filter(pk=comment.pk), Comment.Status.PENDING)
    moderation.set_status(
        Comment.objects.filter(pk=comment.pk), Comment.Status.APPROVED, by=moderator
    )
    response = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
    html = response.content.decode()
    assert "automatic" in html
    assert "Pending → Approved" in html
    assert "Mo Derator" in html
    assert "Not about trams" in html
    for inline in response.context["inline_admin_formsets"]:
        assert not (inline.has_add_permission or inline.has_change_permission)
        assert not inline.has_delete_permission


def test_moderator_sees_body_author_and_ip_but_cannot_edit_them(moderator_client):
    comment = post(ArticleFactory(), "Original words", user=UserFactory(trusted=True))
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    response = moderator_client.get(url)
    form = response.context["adminform"].form
    assert "Original words" in response.content.decode()
    assert not {"body", "user", "guest_name", "guest_email", "ip_address"} & set(form.fields)
    assert "status" in form.fields


def test_removing_on_the_change_form_requires_a_reason_and_records_it(moderator_client):
    comment = post(ArticleFactory(), "Spammy link", user=UserFactory(trusted=True))
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    context = moderator_client.get(url).context
    data = {
        name: context["adminform"].form[name].value() or ""
        for name in context["adminform"].form.fields
    }
    for inline in context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(n): management[n].value() for n in management.fields})
    data["status"] = Comment.Status.REMOVED
    refused = moderator_client.post(url, data)
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["removal_reason"]
    data["removal_reason"] = Comment.RemovalReason.SPAM
    assert moderator_client.post(url, data).status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.removal_reason) == ("removed", "spam")


def test_moderation_log_lists_decisions_by_people_and_by_the_rules(moderator_client, moderator):
    comment = held(ArticleFactory(), 1)[0]
    run_action(moderator_client, "approve", [comment])
    response = moderator_client.get(reverse("admin:comments_moderationaction_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "automatic" in html
    assert "Pending → Approved" in html
    assert reverse("admin:comments_comment_change", args=[comment.pk]) in html
    people = moderator_client.get(
        reverse("admin:comments_moderationaction_changelist"), {"decided_by": "people"}
    )
    assert [a.actor for a in people.context["cl"].result_list] == [moderator]


def test_moderation_log_cannot_be_added_to_changed_or_deleted_even_by_a_superuser(admin_client):
    comment = held(ArticleFactory(), 1)[0]
    action = ModerationAction.objects.filter(comment=comment).first()
    add = reverse("admin:comments_moderationaction_add")
    change = reverse("admin:comments_moderationaction_change", args=[action.pk])
    delete = reverse("admin:comments_moderationaction_delete", args=[action.pk])
    assert admin_client.get(add).status_code == 403
    assert admin_client.post(change, {"reason": "rewritten"}).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    action.refresh_from_db()
    assert action.reason != "rewritten"


def test_reports_are_listed_read_only_with_guest_reporters(moderator_client):
    comment = post(ArticleFactory(), "Reported once")
    moderation.report_comment(comment, reason=Report.Reason.SPAM, session_key="abc")
    response = moderator_client.get(reverse("admin:comments_report_changelist"))
    html = response.content.decode()
    assert "guest" in html
    assert "Reported once" in html
    report = Report.objects.get()
    url = reverse("admin:comments_report_change", args=[report.pk])
    assert moderator_client.post(url, {"reason": "abuse"}).status_code == 403


def test_block_records_who_added_it_and_normalizes_the_address(moderator_client, moderator):
    response = moderator_client.post(
        reverse("admin:comments_block_add"),
        {"kind": Block.Kind.EMAIL, "value": " Troll@Example.ORG ", "note": "Repeat offender"},
    )
    assert response.status_code == 302
    block = Block.objects.get()
    assert (block.value, block.created_by) == ("troll@example.org", moderator)


def test_block_with_an_invalid_network_is_refused_with_the_models_message(moderator_client):
    response = moderator_client.post(
        reverse("admin:comments_block_add"), {"kind": Block.Kind.IP, "value": "not-an-ip"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["value"] == [
        "Enter an IP address or a network such as 203.0.113.0/24."
    ]
    assert not Block.objects.exists()


def test_moderated_phrases_list_explains_matching_and_edits_the_action_in_place(
    moderator_client,
):
    response = moderator_client.get(reverse("admin:comments_moderatedphrase_changelist"))
    assert "Matched as whole words" in response.content.decode()
    assert response.context["cl"].list_editable == ("action",)


def test_moderator_bans_an_account_from_the_user_list(moderator_client):
    reader = UserFactory()
    response = run_action(moderator_client, "ban", [reader], url=USERS)
    assert messages_of(response) == ["1 account banned."]
    reader.refresh_from_db()
    assert reader.banned_at is not None


def test_ban_and_remove_takes_down_everything_the_author_posted(moderator_client, moderator):
    reader = UserFactory(trusted=True)
    article = ArticleFactory()
    comments = [post(article, f"Spam {n}", user=reader) for n in range(3)]
    bystander = post(article, "Innocent", user=UserFactory(trusted=True))
    response = run_action(moderator_client, "ban_and_remove_comments", [reader], url=USERS)
    assert messages_of(response) == ["1 account banned. 3 comments removed."]
    removed = Comment.objects.filter(pk__in=[c.pk for c in comments])
    assert set(removed.values_list("status", flat=True)) == {Comment.Status.REMOVED}
    assert set(removed.values_list("status_changed_by", flat=True)) == {moderator.pk}
    bystander.refresh_from_db()
    assert bystander.status == Comment.Status.APPROVED


@pytest.mark.parametrize(
    ("action", "length"),
    [("suspend_for_a_day", timedelta(hours=24)), ("suspend_for_a_week", timedelta(days=7))],
)
def test_moderator_suspends_an_account_for_a_set_time(moderator_client, action, length):
    reader = UserFactory()
    run_action(moderator_client, action, [reader], url=USERS)
    reader.refresh_from_db()
    assert abs(reader.suspended_until - (timezone.now() + length)) < timedelta(minutes=1)


def test_reinstate_lifts_bans_and_suspensions(moderator_client):
    reader = UserFactory(banned_at=timezone.now(), suspended_until=timezone.now() + timedelta(1))
    response = run_action(moderator_client, "reinstate", [reader], url=USERS)
    assert messages_of(response) == ["1 account may comment again."]
    reader.refresh_from_db()
    assert (reader.banned_at, reader.suspended_until) == (None, None)


def test_moderator_marks_and_unmarks_trusted_commenters(moderator_client):
    reader = UserFactory()
    run_action(moderator_client, "trust", [reader], url=USERS)
    reader.refresh_from_db()
    assert reader.trusted
    run_action(moderator_client, "stop_trusting", [reader], url=USERS)
    reader.refresh_from_db()
    assert not reader.trusted


def test_moderator_actions_leave_staff_accounts_alone(moderator_client):
    editor = UserFactory(is_staff=True)
    response = run_action(moderator_client, "ban", [editor], url=USERS)
    assert "1 staff account was left alone: only a superuser may act on it." in messages_of(
        response
    )
    editor.refresh_from_db()
    assert editor.banned_at is None


def test_user_list_filters_banned_accounts(moderator_client):
    banned = UserFactory(banned_at=timezone.now())
    UserFactory()
    listed = moderator_client.get(USERS, {"commenting": "banned"}).context["cl"].result_list
    assert list(listed) == [banned]


def test_moderator_cannot_edit_an_account(moderator_client):
    reader = UserFactory(display_name="Before")
    url = reverse("admin:newsboard_user_change", args=[reader.pk])
    assert moderator_client.get(url).status_code == 200
    response = moderator_client.post(url, {"username": reader.username, "display_name": "After"})
    assert response.status_code == 403
    reader.refresh_from_db()
    assert reader.display_name == "Before"


# The keyboard shortcuts, in a real Chromium (see conftest.py).
def in_a_browser(test):
    for mark in IN_A_BROWSER:
        test = mark(test)
    return test


@pytest.fixture
def page(live_server, admin_user, client, browser):
    """A Chromium page signed in to the admin as a superuser."""
    client.force_login(admin_user)
    session = {"name": "sessionid", "value": client.cookies["sessionid"].value}
    # Inside Playwright's sync API the ORM gets a connection of its own: close the one
    # on each side of it, or the test database cannot be dropped at the end.
    connection.close()
    context = browser.new_context()
    context.add_cookies([{**session, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    connection.close()


def open_pending_queue(page, live_server):
    """Two held comments, the newer listed first, and the pending queue open on them."""
    older, newer = held(ArticleFactory(), 2)
    Comment.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=1))
    page.goto(f"{live_server.url}{QUEUE}?queue=pending")
    return older, newer


@in_a_browser
def test_keys_j_then_a_approve_the_highlighted_comment(page, live_server):
    older, newer = open_pending_queue(page, live_server)
    page.keyboard.press("j")
    assert page.locator("#result_list tbody tr.moderation-current").count() == 1
    with page.expect_navigation():
        page.keyboard.press("a")
    assert "1 comment approved." in page.content()
    assert Comment.objects.get(pk=newer.pk).status == Comment.Status.APPROVED
    assert Comment.objects.get(pk=older.pk).status == Comment.Status.PENDING


@in_a_browser
def test_keys_x_then_r_ask_for_the_reason_for_the_checked_comments(page, live_server):
    older, newer = open_pending_queue(page, live_server)
    for key in ("j", "x", "j", "x"):
        page.keyboard.press(key)
    with page.expect_navigation():
        page.keyboard.press("r")
    page.get_by_label("Abuse or harassment").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Remove 2 comments").click()
    assert "2 comments removed." in page.content()
    statuses = Comment.objects.filter(pk__in=[older.pk, newer.pk]).values_list("status", flat=True)
    assert set(statuses) == {Comment.Status.REMOVED}


@in_a_browser
def test_question_mark_shows_the_shortcuts_and_typing_in_search_is_left_alone(page, live_server):
    open_pending_queue(page, live_server)
    page.keyboard.press("?")
    assert page.locator("#moderation-shortcuts").is_visible()
    page.keyboard.press("Escape")
    page.locator("#searchbar").fill("")
    page.locator("#searchbar").press_sequentially("jxa")
    assert page.locator("#result_list tbody tr.moderation-current").count() == 0
    assert page.locator("input.action-select:checked").count() == 0
    assert set(Comment.objects.values_list("status", flat=True)) == {Comment.Status.PENDING}
