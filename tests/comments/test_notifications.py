"""E-mail about replies and followed discussions: batched, sent by the task worker, easy to stop."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from comments import email_links, moderation
from comments.models import Comment, Follow, Notification

from ..factories import UserFactory, post

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The worker closes its database connection when done, which would end a test's
# enclosing transaction on PostgreSQL: worker tests commit for real instead.
with_worker = pytest.mark.django_db(transaction=True)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what the code defers to the end of the transaction (sending), as in production."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def links_in(message):
    return re.findall(r"https?://\S+", message.body)


def path_of(url):
    return "/" + url.split("/", 3)[3]


def test_member_is_emailed_when_someone_replies(article, on_commit):
    author = UserFactory()
    comment = post(article, "The tram is late again", user=author)
    on_commit(post, article, "It was on time today", parent=comment, name="Ines")
    [message] = mail.outbox
    assert message.to == [author.email]
    assert "Ines replied to your comment" in message.subject
    assert "It was on time today" in message.body


def test_no_email_for_replying_to_yourself(article, on_commit):
    author = UserFactory()
    comment = post(article, "first", user=author)
    on_commit(post, article, "and a second thought", parent=comment, user=author)
    assert mail.outbox == []


def test_member_who_turned_reply_emails_off_gets_none(article, on_commit):
    author = UserFactory(notify_replies=False)
    comment = post(article, "first", user=author)
    on_commit(post, article, "reply", parent=comment)
    assert mail.outbox == []


def test_held_reply_sends_nothing_until_approved(article, on_commit, settings):
    author = UserFactory()
    comment = post(article, "first", user=author)
    settings.NEWSBOARD_MODERATION = "pre"
    reply = on_commit(post, article, "held reply", parent=comment)
    assert mail.outbox == []
    on_commit(moderation.set_status, Comment.objects.filter(pk=reply.pk), "approved")
    assert len(mail.outbox) == 1


def test_guest_opts_in_confirms_and_then_hears_of_replies(client, article, on_commit):
    data = {"body": "Guest view", "name": "Ama", "email": "ama@example.org", "notify_replies": "on"}
    on_commit(client.post, reverse("comments:post", kwargs={"slug": article.slug}), data)
    [confirmation] = mail.outbox
    [confirm_link] = links_in(confirmation)
    assert client.post(path_of(confirm_link)).status_code == 200
    assert Follow.objects.get(email="ama@example.org").confirmed_at is not None
    guest_comment = Comment.objects.get()
    on_commit(post, article, "Welcome, Ama", parent=guest_comment, user=UserFactory())
    assert mail.outbox[-1].to == ["ama@example.org"]


def test_a_guest_following_the_discussion_is_told_of_a_reply_to_them_once_as_a_reply(
    article, on_commit
):
    now = timezone.now()
    Follow.objects.create(email="ama@example.org", confirmed_at=now)  # replies
    Follow.objects.create(email="ama@example.org", article=article, confirmed_at=now)
    guest_comment = post(article, "Guest view", email="ama@example.org")
    on_commit(post, article, "Welcome, Ama", parent=guest_comment, user=UserFactory())
    [notification] = Notification.objects.all()
    assert (notification.recipient, notification.reason) == ("ama@example.org", "reply")


def test_unconfirmed_guest_hears_nothing(client, article, on_commit):
    data = {"body": "Guest view", "name": "Ama", "email": "ama@example.org", "notify_replies": "on"}
    on_commit(client.post, reverse("comments:post", kwargs={"slug": article.slug}), data)
    mail.outbox.clear()
    on_commit(post, article, "reply", parent=Comment.objects.get(), user=UserFactory())
    assert mail.outbox == []


def test_a_tampered_confirmation_link_is_refused(client):
    response = client.post(reverse("comments:confirm_follow", kwargs={"token": "forged"}))
    assert response.status_code == 400


def test_member_follows_a_discussion_and_hears_of_new_comments(client, article, on_commit):
    reader = UserFactory()
    client.force_login(reader)
    client.post(reverse("comments:follow", kwargs={"slug": article.slug}))
    on_commit(post, article, "A new thread", user=UserFactory())
    [message] = mail.outbox
    assert message.to == [reader.email]
    assert "New comment on" in message.subject


def test_following_again_stops_following(client, article):
    client.force_login(UserFactory())
    url = reverse("comments:follow", kwargs={"slug": article.slug})
    client.post(url)
    client.post(url)
    assert not Follow.objects.exists()


def test_guest_follows_after_confirming_the_address(client, article, on_commit):
    url = reverse("comments:follow", kwargs={"slug": article.slug})
    on_commit(client.post, url, {"email": "Reader@Example.org"})
    follow = Follow.objects.get()
    assert (follow.email, follow.confirmed_at) == ("reader@example.org", None)
    assert "confirm" in mail.outbox[0].body


@with_worker
def test_replies_within_the_batch_window_make_one_email_sent_by_the_worker(
    article, on_commit, settings
):
    settings.TASKS = DATABASE_TASKS
    settings.NEWSBOARD_NOTIFICATION_BATCH_SECONDS = 0
    author = UserFactory()
    comment = post(article, "Question for the council", user=author)
    for n in range(3):
        on_commit(post, article, f"Answer {n}", parent=comment, name=f"Reader {n}")
    assert mail.outbox == []  # nothing leaves the request: the worker sends it
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    [message] = mail.outbox
    assert message.subject == "3 new comments on Newsboard"
    assert all(f"Answer {n}" in message.body for n in range(3))


@with_worker
def test_worker_email_has_a_working_one_click_unsubscribe(client, article, on_commit, settings):
    settings.TASKS = DATABASE_TASKS
    settings.NEWSBOARD_NOTIFICATION_BATCH_SECONDS = 0
    author = UserFactory()
    comment = post(article, "Question", user=author)
    on_commit(post, article, "Answer", parent=comment)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    [message] = mail.outbox
    header = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    replies_link = re.search(r"replies to your comments: (\S+)", message.body)[1]
    assert header != replies_link
    page = client.get(path_of(replies_link))
    assert "Stop e-mail about replies" in page.content.decode()
    client.post(path_of(replies_link))
    author.refresh_from_db()
    assert not author.notify_replies


def test_mail_clients_one_click_post_needs_no_csrf_token(article):
    from django.test import Client

    reader = UserFactory()
    Follow.objects.create(user=reader, article=article)
    url = reverse(
        "comments:unsubscribe",
        kwargs={"token": email_links.unsubscribe_token(reader.email, "all")},
    )
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Follow.objects.exists()


def test_a_forged_unsubscribe_link_is_refused(client):
    response = client.post(reverse("comments:unsubscribe", kwargs={"token": "forged"}))
    assert response.status_code == 400


@with_worker
def test_comment_hidden_before_the_send_is_not_mailed(article, on_commit, settings):
    settings.TASKS = DATABASE_TASKS
    settings.NEWSBOARD_NOTIFICATION_BATCH_SECONDS = 0
    comment = post(article, "Question", user=UserFactory())
    on_commit(post, article, "A fair answer", parent=comment)
    reply = on_commit(post, article, "Something nasty", parent=comment)
    moderation.set_status(Comment.objects.filter(pk=reply.pk), Comment.Status.REMOVED)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    [message] = mail.outbox
    assert "A fair answer" in message.body
    assert "Something nasty" not in message.body


@with_worker
def test_the_worker_waits_for_the_batch_window(article, on_commit, settings):
    settings.TASKS = DATABASE_TASKS
    settings.NEWSBOARD_NOTIFICATION_BATCH_SECONDS = 300
    comment = post(article, "Question", user=UserFactory())
    on_commit(post, article, "Answer", parent=comment)
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert mail.outbox == []
