"""Reader accounts: sign-up and email confirmation, sign-in throttling, password reset,
profiles, settings, deleting an account, downloading one's data, erasing IP addresses."""

import json
import re
import time
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from comments import moderation, votes
from comments.models import Comment, Report
from tests.factories import UserFactory, post

User = get_user_model()
PASSWORD = "correct horse battery staple"

pytestmark = pytest.mark.django_db


def link_in(message):
    return re.search(r"https?://\S+", message.body).group()


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def confirmation_path(user):
    return reverse("confirm_email", kwargs={"token": user.email_confirmation_token()})


def signup_data(**overrides):
    return {
        "email": "ada@example.org",
        "display_name": "Ada L.",
        "username": "ada",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


@pytest.fixture
def unverified():
    return UserFactory(email_verified_at=None)


def test_signup_signs_the_reader_in_and_emails_a_confirmation_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("signup"), signup_data(next="/sections/world/"))
    assert response.status_code == 302
    assert response["Location"] == "/sections/world/"
    user = User.objects.get(username="ada")
    assert client.get(reverse("account_settings")).context["user"] == user
    assert user.email_verified_at is None
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert path_of(link_in(mail.outbox[0])).startswith("/accounts/confirm-email/")


def test_the_welcome_reads_well_after_a_name_ending_in_a_full_stop(client):
    response = client.post(reverse("signup"), signup_data(), follow=True)
    assert "Welcome, Ada L.! We sent a link to ada@example.org" in response.content.decode()


def test_signup_with_an_email_already_used_is_refused_and_the_form_kept(client):
    UserFactory(email="Ada@Example.org")
    response = client.post(reverse("signup"), signup_data(email="ada@example.ORG"))
    assert response.status_code == 200
    assert response.context["form"].has_error("email", code="email_taken")
    assert "Another account already uses this email address" in response.text
    assert 'value="Ada L."' in response.text
    assert 'value="ada"' in response.text
    assert not User.objects.filter(username="ada").exists()


def test_signup_applies_the_password_validators(client):
    response = client.post(reverse("signup"), signup_data(password1="ada", password2="ada"))
    assert response.context["form"].has_error("password2", code="password_too_short")
    assert not User.objects.filter(username="ada").exists()


def test_confirmation_link_confirms_the_address_and_publishes_the_held_comment(
    client, article, unverified
):
    comment = post(article, user=unverified)
    assert comment.status == Comment.Status.PENDING
    response = client.get(confirmation_path(unverified))
    assert response.status_code == 302
    unverified.refresh_from_db()
    comment.refresh_from_db()
    assert unverified.email_verified_at is not None
    assert comment.status == Comment.Status.APPROVED


def test_expired_confirmation_link_is_refused_with_an_offer_of_a_new_one(client, unverified):
    sent = time.time() - timedelta(days=4).total_seconds()
    with mock.patch("django.core.signing.time.time", return_value=sent):
        path = confirmation_path(unverified)
    response = client.get(path)
    assert response.status_code == 400
    assert "This link has expired" in response.text
    assert reverse("resend_confirmation") in response.text
    unverified.refresh_from_db()
    assert unverified.email_verified_at is None


def test_expired_link_gets_a_new_one_without_signing_in(
    client, unverified, django_capture_on_commit_callbacks
):
    sent = time.time() - timedelta(days=4).total_seconds()
    with mock.patch("django.core.signing.time.time", return_value=sent):
        token = unverified.email_confirmation_token()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("resend_confirmation"), {"token": token})
    assert response.status_code == 200
    assert [message.to for message in mail.outbox] == [[unverified.email]]
    client.get(path_of(link_in(mail.outbox[0])))
    unverified.refresh_from_db()
    assert unverified.email_verified_at is not None


def test_tampered_confirmation_link_is_refused(client, unverified):
    token = unverified.email_confirmation_token()
    response = client.get(reverse("confirm_email", kwargs={"token": token[:-1] + "x"}))
    assert response.status_code == 400
    assert "This link does not work" in response.text
    unverified.refresh_from_db()
    assert unverified.email_verified_at is None


def test_link_to_an_address_the_account_no_longer_has_is_refused(client, unverified):
    path = confirmation_path(unverified)
    unverified.email = "new@example.org"
    unverified.save()
    assert client.get(path).status_code == 400
    unverified.refresh_from_db()
    assert unverified.email_verified_at is None


def test_new_confirmation_links_are_limited_to_one_every_few_minutes(
    client, unverified, django_capture_on_commit_callbacks
):
    client.force_login(unverified)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("resend_confirmation"))
        second = client.post(reverse("resend_confirmation"))
    assert first.status_code == 200
    assert second.status_code == 429
    assert "less than 5 minutes ago" in second.text
    assert len(mail.outbox) == 1


def test_five_failed_sign_ins_lock_the_username_out(client):
    reader = UserFactory()
    attempt = {"username": reader.username, "password": "not the password"}
    responses = [client.post(reverse("login"), attempt) for _ in range(5)]
    assert [response.status_code for response in responses] == [200, 200, 200, 200, 429]
    right_password = client.post(reverse("login"), {**attempt, "password": PASSWORD})
    assert right_password.status_code == 429
    assert "Too many attempts to sign in" in right_password.text
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_end_to_end(client):
    reader = UserFactory(email="reader@example.org")
    response = client.post(reverse("password_reset"), {"email": "READER@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox[0].subject == "Reset your Newsboard password"
    form_page = client.get(path_of(link_in(mail.outbox[0])), follow=True)
    assert form_page.context["validlink"]
    new_password = "a brand new passphrase"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done["Location"] == reverse("password_reset_complete")
    signed_in = client.post(
        reverse("login"), {"username": reader.username, "password": new_password}
    )
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(reader.pk)


def test_password_change_keeps_the_member_signed_in(client):
    reader = UserFactory()
    client.force_login(reader)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another good passphrase",
            "new_password2": "another good passphrase",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert response.context["user"] == reader
    reader.refresh_from_db()
    assert reader.check_password("another good passphrase")


def test_profile_shows_published_comments_only_newest_first(client, article):
    member = UserFactory(display_name="Grace", is_staff=True)
    older = post(article, "First thoughts on the bridge.", user=member)
    newer = post(article, "Second thoughts on the bridge.", user=member)
    held = post(article, "Held back for review.", user=member)
    moderation.set_status(Comment.objects.filter(pk=held.pk), Comment.Status.PENDING)
    response = client.get(reverse("profile", kwargs={"username": member.username}))
    assert list(response.context["comments"]) == [newer, older]
    assert "Held back for review" not in response.text
    assert newer.get_absolute_url() in response.text
    assert article.headline in response.text
    assert "Staff" in response.text
    assert "Member since" in response.text


def test_profile_of_an_unknown_or_inactive_member_is_not_found(client):
    inactive = UserFactory(is_active=False)
    assert client.get(reverse("profile", kwargs={"username": "nobody"})).status_code == 404
    assert client.get(inactive.get_absolute_url()).status_code == 404


def test_profile_pages_twenty_comments_at_a_time(client, article):
    member = UserFactory()
    for number in range(21):
        post(article, f"Comment number {number}.", user=member)
    first = client.get(member.get_absolute_url())
    second = client.get(member.get_absolute_url(), {"page": 2})
    assert len(first.context["comments"]) == 20
    assert [c.body for c in second.context["comments"]] == ["Comment number 0."]


def test_profile_page_size_is_read_from_the_settings_when_the_page_is_asked_for(
    client, article, settings
):
    settings.NEWSBOARD_PROFILE_COMMENTS_PER_PAGE = 2
    member = UserFactory()
    for number in range(3):
        post(article, f"Comment number {number}.", user=member)
    assert len(client.get(member.get_absolute_url()).context["comments"]) == 2


def test_profile_runs_the_same_queries_for_few_or_many_comments(
    client, article, django_assert_num_queries
):
    member = UserFactory()
    post(article, "Only one.", user=member)
    client.get(member.get_absolute_url())  # warm per-process caches (navigation)
    with django_assert_num_queries(3) as few:
        client.get(member.get_absolute_url())
    for number in range(15):
        post(article, f"One of many, {number}.", user=member)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(member.get_absolute_url())


def test_changing_the_email_asks_to_confirm_the_new_address(
    client, django_capture_on_commit_callbacks
):
    reader = UserFactory()
    client.force_login(reader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_settings"),
            {"display_name": "R.", "email": "new@example.org", "password": PASSWORD},
        )
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.email == "new@example.org"
    assert reader.email_verified_at is None
    assert [message.to for message in mail.outbox] == [["new@example.org"]]


def test_changing_the_email_needs_the_current_password(client):
    reader = UserFactory()
    client.force_login(reader)
    response = client.post(
        reverse("account_settings"),
        {"display_name": "R.", "email": "new@example.org", "password": "wrong"},
    )
    assert response.context["form"].has_error("password", code="password_incorrect")
    reader.refresh_from_db()
    assert reader.email != "new@example.org"


def test_settings_save_the_name_and_reply_notifications(client):
    reader = UserFactory()
    client.force_login(reader)
    client.post(reverse("account_settings"), {"display_name": "Renamed", "email": reader.email})
    reader.refresh_from_db()
    assert reader.display_name == "Renamed"
    assert not reader.notify_replies
    assert reader.email_verified_at is not None


def test_deleting_the_account_can_keep_the_comments_as_deleted_user(client, article):
    reader = UserFactory()
    comment = post(article, "Keep this.", user=reader)
    client.force_login(reader)
    response = client.post(reverse("delete_account"), {"comments": "keep", "password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=reader.pk).exists()
    assert "_auth_user_id" not in client.session
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.author_name == "[deleted user]"
    assert "Keep this." in client.get(article.get_absolute_url()).text


def test_deleting_the_account_can_remove_the_comments_leaving_placeholders(client, article):
    reader = UserFactory()
    answered = post(article, "Answered and removed.", user=reader)
    post(article, "A reply that stays.", parent=answered, user=UserFactory())
    client.force_login(reader)
    client.post(reverse("delete_account"), {"comments": "remove", "password": PASSWORD})
    answered.refresh_from_db()
    assert answered.status == Comment.Status.DELETED
    page = client.get(article.get_absolute_url()).text
    assert "Answered and removed." not in page
    assert "A reply that stays." in page
    assert f'id="comment-{answered.pk}"' in page


def test_deleting_the_account_withdraws_its_votes(client, article):
    reader = UserFactory()
    comment = post(article, "Voted on", user=UserFactory())
    votes.vote(comment, reader, 1)
    client.force_login(reader)
    client.post(reverse("delete_account"), {"comments": "keep", "password": PASSWORD})
    comment.refresh_from_db()
    assert (comment.upvotes, comment.downvotes, comment.score) == (0, 0, 0)


def test_deleting_the_account_needs_the_password(client):
    reader = UserFactory()
    client.force_login(reader)
    response = client.post(reverse("delete_account"), {"comments": "keep", "password": "no"})
    assert response.context["form"].has_error("password", code="password_incorrect")
    assert User.objects.filter(pk=reader.pk).exists()


def test_data_download_holds_the_account_and_its_comments(client, article):
    reader = UserFactory(display_name="Ada")
    first = post(article, "First, *as typed*.", user=reader)
    reply = post(article, "My reply.", parent=first, user=reader)
    other = post(article, "Someone else's.", user=UserFactory())
    votes.vote(other, reader, 1)
    client.force_login(reader)
    response = client.get(reverse("account_data"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["username"] == reader.username
    assert data["account"]["display_name"] == "Ada"
    assert data["account"]["email"] == reader.email
    assert [c["body"] for c in data["comments"]] == ["First, *as typed*.", "My reply."]
    assert data["comments"][1]["parent_id"] == first.pk
    assert data["comments"][1]["id"] == reply.pk
    assert data["comments"][0]["article"]["headline"] == article.headline
    assert data["votes"] == [
        {"comment_id": other.pk, "value": 1, "created_at": data["votes"][0]["created_at"]}
    ]


def test_erase_ip_addresses_forgets_only_old_addresses(article):
    old = post(article, "Old.")
    recent = post(article, "Recent.")
    Comment.objects.filter(pk__in=[old.pk, recent.pk]).update(ip_address="203.0.113.7")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    report = Report.objects.create(comment=recent, reason="spam", ip_address="198.51.100.1")
    out = StringIO()
    call_command("erase_ip_addresses", "--days", "30", stdout=out)
    assert "1 IP address(es) older than 30 day(s) erased." in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    report.refresh_from_db()
    assert old.ip_address is None
    assert recent.ip_address == "203.0.113.7"
    assert report.ip_address == "198.51.100.1"


def test_erase_ip_addresses_dry_run_counts_and_erases_nothing(article):
    old = post(article, "Old.")
    Comment.objects.filter(pk=old.pk).update(
        ip_address="203.0.113.7", created_at=timezone.now() - timedelta(days=40)
    )
    out = StringIO()
    call_command("erase_ip_addresses", "--dry-run", stdout=out)
    assert "1 IP address(es) older than 30 day(s) would be erased." in out.getvalue()
    old.refresh_from_db()
    assert old.ip_address == "203.0.113.7"
