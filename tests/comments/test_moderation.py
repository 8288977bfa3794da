"""Moderation on the posting side and the public page: rules, holds, reports, bans and decisions."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import moderation
from comments.models import Block, Comment, ModeratedPhrase, ModerationAction, Report

from ..factories import ArticleFactory, UserFactory, post, post_url

pytestmark = pytest.mark.django_db


def guest_data(**overrides):
    return {"body": "A fair point.", "name": "Ama Owusu", "email": "ama@example.org", **overrides}


@pytest.fixture
def moderator(db):
    user = UserFactory(username="moderator", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def phrases(db):
    ModeratedPhrase.objects.create(phrase="buy followers", action="reject")
    ModeratedPhrase.objects.create(phrase="idiot*", action="hold")


def visible_ids(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    return {int(pk) for pk in re.findall(r'data-comment-id="(\d+)"', html)}


# Statuses and what readers see


def test_pending_comment_is_shown_to_its_guest_author_only(client, article, settings):
    settings.NEWSBOARD_MODERATION = "pre"
    client.post(post_url(article), guest_data(body="Held for review"))
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Held for review" in page
    assert "Awaiting moderation" in page
    from django.test import Client

    assert "Held for review" not in Client().get(article.get_absolute_url()).content.decode()


def test_pending_comment_is_shown_to_its_signed_in_author_only(client, article):
    author = UserFactory()
    comment = post(article, "Mine, held", user=author)
    moderation.set_status(Comment.objects.filter(pk=comment.pk), Comment.Status.PENDING)
    client.force_login(author)
    assert comment.pk in visible_ids(client, article)
    client.force_login(UserFactory())
    assert comment.pk not in visible_ids(client, article)


def test_counts_count_approved_comments_only(article, settings):
    settings.NEWSBOARD_MODERATION = "pre"
    post(article, "held")
    article.refresh_from_db()
    assert article.comment_count == 0
    moderation.set_status(Comment.objects.all(), Comment.Status.APPROVED)
    article.refresh_from_db()
    assert article.comment_count == 1


def test_last_commented_at_follows_the_latest_approved_comment(article, moderator):
    earlier = post(article, "The first word", email="first@example.org")
    later = post(article, "The last word", email="last@example.org")
    article.refresh_from_db()
    assert article.last_commented_at == later.created_at
    moderation.set_status(Comment.objects.filter(pk=later.pk), Comment.Status.REMOVED, by=moderator)
    article.refresh_from_db()
    assert article.last_commented_at == earlier.created_at
    moderation.set_status(Comment.objects.filter(pk=earlier.pk), Comment.Status.SPAM, by=moderator)
    article.refresh_from_db()
    assert article.last_commented_at is None


def test_guest_can_reply_to_their_own_pending_comment(client, article, settings):
    settings.NEWSBOARD_NEW_COMMENTER_APPROVALS = 2
    client.post(post_url(article), guest_data(body="first"))
    first = Comment.objects.get()
    response = client.post(post_url(article), guest_data(body="second", parent=str(first.pk)))
    assert response.status_code == 303
    assert Comment.objects.get(body="second").parent == first


def test_author_sees_why_their_comment_was_removed(client, article, moderator):
    author = UserFactory()
    comment = post(article, "Off on a tangent", user=author)
    moderation.set_status(
        Comment.objects.filter(pk=comment.pk),
        Comment.Status.REMOVED,
        by=moderator,
        removal_reason=Comment.RemovalReason.OFF_TOPIC,
        removal_note="Please keep to the article.",
    )
    client.force_login(author)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Removed by a moderator: Off-topic." in page
    assert "Please keep to the article." in page


# Moderation modes


def test_post_moderation_shows_comments_at_once(article):
    assert post(article).status == Comment.Status.APPROVED


def test_site_wide_pre_moderation_holds_every_comment(article, settings):
    settings.NEWSBOARD_MODERATION = "pre"
    comment = post(article)
    assert comment.status == Comment.Status.PENDING
    assert comment.held_for == [
        {"rule": "premoderation", "detail": "this article is pre-moderated"}
    ]


def test_article_can_be_pre_moderated_on_a_post_moderated_site(db):
    article = ArticleFactory(moderation=Article.Moderation.PRE)
    assert post(article).status == Comment.Status.PENDING


def test_article_can_be_post_moderated_on_a_pre_moderated_site(db, settings):
    settings.NEWSBOARD_MODERATION = "pre"
    article = ArticleFactory(moderation=Article.Moderation.POST)
    assert post(article).status == Comment.Status.APPROVED


def test_trusted_commenter_skips_pre_moderation(article, settings):
    settings.NEWSBOARD_MODERATION = "pre"
    assert post(article, user=UserFactory(trusted=True)).status == Comment.Status.APPROVED


# Rules


def test_banned_phrase_is_refused_with_the_text_kept(client, article, phrases):
    body = "Want to Buy   FOLLOWERS cheap? Ask me."
    response = client.post(post_url(article), guest_data(body=body))
    assert response.status_code == 400
    assert "does not accept (buy followers)" in response.content.decode()
    assert body in response.content.decode()
    assert not Comment.objects.exists()


def test_suspect_phrase_holds_the_comment_and_records_the_match(article, phrases):
    comment = post(article, "What an Idiots' charter this is.")
    assert comment.status == Comment.Status.PENDING
    assert comment.held_for == [{"rule": "suspect_words", "detail": "idiot*"}]


@pytest.mark.parametrize(
    "disguised",
    [
        "ｂｕｙ ｆｏｌｌｏｗｅｒｓ",  # full-width letters
        "büy fóllowers",  # accents
        "buy fol\u200blowers",  # a zero-width space inside a word
        "BUY\u00adFOLLOWERS".replace("\u00ad", " "),
    ],
)
def test_phrase_matching_sees_through_disguises(article, phrases, disguised):
    with pytest.raises(ValidationError):
        post(article, f"Now you can {disguised} here")


def test_phrase_matching_respects_word_boundaries(article, phrases):
    assert post(article, "He bought followership models for the study.").is_approved


def test_more_links_than_allowed_are_held(article, settings):
    settings.NEWSBOARD_MAX_LINKS = 2
    body = "See https://example.org/a https://example.org/b and https://example.org/c"
    comment = post(article, body)
    assert comment.status == Comment.Status.PENDING
    assert comment.held_for[0]["rule"] == "links"


def test_links_up_to_the_limit_are_fine(article, settings):
    settings.NEWSBOARD_MAX_LINKS = 2
    assert post(article, "https://example.org/a and https://example.org/b").is_approved


def test_new_guest_is_held_until_enough_comments_were_approved(article, settings):
    settings.NEWSBOARD_NEW_COMMENTER_APPROVALS = 2
    first = post(article, "one", email="new@example.org")
    assert first.status == Comment.Status.PENDING
    assert first.held_for[0]["rule"] == "new_commenter"
    second = post(article, "two", email="new@example.org")
    moderation.set_status(Comment.objects.filter(pk__in=[first.pk, second.pk]), "approved")
    assert post(article, "three", email="new@example.org").is_approved


def test_new_account_is_held_until_enough_comments_were_approved(article, settings):
    settings.NEWSBOARD_NEW_COMMENTER_APPROVALS = 1
    author = UserFactory()
    first = post(article, "one", user=author)
    assert first.status == Comment.Status.PENDING
    moderation.set_status(Comment.objects.filter(pk=first.pk), Comment.Status.APPROVED)
    assert post(article, "two", user=author).is_approved


def test_approvals_older_than_the_rejection_sample_still_count(article, settings):
    settings.NEWSBOARD_NEW_COMMENTER_APPROVALS = 2
    settings.NEWSBOARD_REJECTION_SAMPLE = 3
    settings.NEWSBOARD_REJECTION_RATE = 1  # never held for being rejected, here
    author = UserFactory()
    older = [post(article, f"early {n}", user=author) for n in range(2)]
    moderation.set_status(Comment.objects.filter(pk__in=[c.pk for c in older]), "approved")
    later = [post(article, f"later {n}", user=author) for n in range(3)]
    moderation.set_status(Comment.objects.filter(pk__in=[c.pk for c in later]), "removed")
    assert post(article, "and now", user=author).is_approved


def test_trusted_account_skips_the_new_commenter_hold(article, settings):
    settings.NEWSBOARD_NEW_COMMENTER_APPROVALS = 2
    assert post(article, user=UserFactory(trusted=True)).is_approved


def test_often_rejected_author_is_held_again(article, settings):
    author = UserFactory()
    comments = [post(article, f"take {n}", user=author) for n in range(5)]
    moderation.set_status(
        Comment.objects.filter(pk__in=[c.pk for c in comments[:3]]), Comment.Status.REMOVED
    )
    comment = post(article, "and again", user=author)
    assert comment.status == Comment.Status.PENDING
    assert comment.held_for == [{"rule": "rejection_rate", "detail": "3 of the last 5 rejected"}]


def test_same_text_on_another_article_is_held_as_spam(article):
    post(article, "Visit my shop for the best deals", email="spam@example.org")
    elsewhere = ArticleFactory()
    comment = post(elsewhere, "Visit my shop for the best deals", email="spam@example.org")
    assert comment.status == Comment.Status.SPAM
    assert comment.held_for[0]["rule"] == "repeated"


def test_same_text_on_another_article_after_the_window_is_fine(article):
    earlier = post(article, "Well said.", email="fan@example.org")
    Comment.objects.filter(pk=earlier.pk).update(created_at=timezone.now() - timedelta(days=1))
    assert post(ArticleFactory(), "Well said.", email="fan@example.org").is_approved


def test_honeypot_stores_the_comment_as_spam_silently(client, article):
    response = client.post(post_url(article), guest_data(website="http://spam.example"))
    comment = Comment.objects.get()
    assert response.status_code == 303
    assert comment.status == Comment.Status.SPAM
    assert comment.held_for[0]["rule"] == "honeypot"
    page = client.get(response["Location"]).content.decode()
    assert "spam" not in page.lower().replace("spam.example", "")


def test_rate_limit_per_ip_answers_429_with_the_text_kept(client, article, settings):
    settings.NEWSBOARD_RATE_LIMITS = {"ip": (2, 600), "author": (100, 600)}
    for n in range(2):
        client.post(post_url(article), guest_data(body=f"n{n}", email=f"r{n}@example.org"))
    response = client.post(post_url(article), guest_data(body="one too many"))
    assert response.status_code == 429
    assert "one too many" in response.content.decode()
    assert "posting faster than this site allows" in response.content.decode()


def test_rate_limit_per_account_answers_429(client, article, settings):
    settings.NEWSBOARD_RATE_LIMITS = {"ip": (100, 600), "author": (1, 600)}
    client.force_login(UserFactory())
    client.post(post_url(article), {"body": "first"})
    response = client.post(post_url(article), {"body": "second"})
    assert response.status_code == 429
    assert "second" in response.content.decode()


def test_every_held_comment_is_in_the_audit_trail_as_automatic(article, settings):
    settings.NEWSBOARD_MODERATION = "pre"
    comment = post(article)
    action = ModerationAction.objects.get(comment=comment)
    assert action.automatic
    assert action.to_status == Comment.Status.PENDING
    assert "Pre-moderation" in action.reason


def test_phrase_list_changes_apply_to_the_next_comment(article):
    assert post(article, "a fine tomato").is_approved
    ModeratedPhrase.objects.create(phrase="tomato", action="hold")
    assert post(article, "another tomato").status == Comment.Status.PENDING


# Bans, suspensions and block lists


def test_banned_account_cannot_post(client, article, moderator):
    author = UserFactory()
    moderation.ban_authors(type(author).objects.filter(pk=author.pk), by=moderator)
    client.force_login(author)
    response = client.post(post_url(article), {"body": "let me in"})
    assert response.status_code == 400
    assert "may no longer post" in response.content.decode()
    assert "let me in" in response.content.decode()


def test_ban_can_remove_all_the_authors_comments(article, moderator):
    author = UserFactory()
    comments = [post(article, f"c{n}", user=author) for n in range(3)]
    moderation.ban_authors(
        type(author).objects.filter(pk=author.pk), by=moderator, remove_comments=True
    )
    assert {c.status for c in Comment.objects.filter(pk__in=[c.pk for c in comments])} == {
        Comment.Status.REMOVED
    }
    article.refresh_from_db()
    assert article.comment_count == 0


def test_suspended_account_cannot_post_until_the_date(client, article):
    author = UserFactory()
    users = type(author).objects.filter(pk=author.pk)
    moderation.suspend_authors(users, until=timezone.now() + timedelta(days=1))
    client.force_login(author)
    response = client.post(post_url(article), {"body": "too soon"})
    assert response.status_code == 400
    assert "suspended from commenting until" in response.content.decode()
    users.update(suspended_until=timezone.now() - timedelta(minutes=1))
    assert client.post(post_url(article), {"body": "back"}).status_code == 303


def test_reinstated_account_can_post_again(client, article, moderator):
    author = UserFactory()
    users = type(author).objects.filter(pk=author.pk)
    moderation.ban_authors(users, by=moderator)
    moderation.reinstate_authors(users)
    client.force_login(author)
    assert client.post(post_url(article), {"body": "I'm back"}).status_code == 303


def test_blocked_guest_email_cannot_post(client, article):
    Block.objects.create(kind=Block.Kind.EMAIL, value="troll@example.org")
    response = client.post(post_url(article), guest_data(email="Troll@Example.org"))
    assert response.status_code == 400
    assert "email address are not accepted" in response.content.decode()


def test_blocked_network_cannot_post(client, article):
    Block.objects.create(kind=Block.Kind.IP, value="127.0.0.0/8")
    response = client.post(post_url(article), guest_data())
    assert response.status_code == 400
    assert "network are not accepted" in response.content.decode()


def test_a_block_edited_in_the_admin_applies_to_the_next_post(client, article):
    entry = Block.objects.create(kind=Block.Kind.EMAIL, value="someone@example.org")
    assert client.post(post_url(article), guest_data(email="troll@example.org")).status_code == 303
    entry.value = "troll@example.org"
    entry.save()
    response = client.post(post_url(article), guest_data(email="troll@example.org", body="Again"))
    assert response.status_code == 400


def test_a_lifted_block_no_longer_refuses(client, article):
    entry = Block.objects.create(kind=Block.Kind.IP, value="127.0.0.0/8")
    assert client.post(post_url(article), guest_data()).status_code == 400
    entry.delete()
    assert client.post(post_url(article), guest_data()).status_code == 303


def test_block_list_entries_are_validated_and_normalized(db):
    entry = Block(kind=Block.Kind.IP, value="203.0.113.7/24")
    entry.full_clean()
    assert entry.value == "203.0.113.0/24"
    with pytest.raises(ValidationError):
        Block(kind=Block.Kind.EMAIL, value="not an address").full_clean()


# Auto-close


def test_comments_close_by_themselves_after_the_sites_delay(client, settings):
    settings.NEWSBOARD_CLOSE_COMMENTS_AFTER_DAYS = 3
    article = ArticleFactory(published_at=timezone.now() - timedelta(days=4))
    response = client.post(post_url(article), guest_data(body="late"))
    assert response.status_code == 400
    assert "closed" in response.content.decode()


def test_article_can_override_the_auto_close_delay(client, settings):
    settings.NEWSBOARD_CLOSE_COMMENTS_AFTER_DAYS = 3
    article = ArticleFactory(
        published_at=timezone.now() - timedelta(days=4), close_comments_after_days=0
    )
    assert client.post(post_url(article), guest_data()).status_code == 303


# Reader reports


def report_url(comment):
    return reverse("comments:report", kwargs={"pk": comment.pk})


def test_reader_reports_a_comment_without_javascript(client, article):
    comment = post(article)
    form = client.get(report_url(comment))
    assert 'name="reason"' in form.content.decode()
    response = client.post(report_url(comment), {"reason": "abuse"})
    assert response.status_code == 303
    assert Report.objects.get().reason == "abuse"


def test_our_script_reports_in_the_background_and_gets_the_thanks_as_json(client, article):
    comment = post(article)
    response = client.post(
        report_url(comment), {"reason": "spam"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 200
    assert response.json() == {"message": "Thank you. The moderators will look at this comment."}
    assert Report.objects.get().reason == "spam"


def test_a_background_report_without_a_reason_gets_the_error_as_json(client, article):
    comment = post(article)
    response = client.post(report_url(comment), {}, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]
    assert not Report.objects.exists()


def test_other_reason_needs_a_note(client, article):
    comment = post(article)
    response = client.post(report_url(comment), {"reason": "other"})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_one_report_per_reader_per_comment(client, article):
    comment = post(article)
    client.force_login(UserFactory())
    client.post(report_url(comment), {"reason": "spam"})
    client.post(report_url(comment), {"reason": "abuse"})
    assert Report.objects.count() == 1


def test_one_report_per_guest_session(client, article):
    comment = post(article)
    client.post(report_url(comment), {"reason": "spam"})
    client.post(report_url(comment), {"reason": "spam"})
    assert Report.objects.count() == 1


def test_comment_is_hidden_at_the_report_threshold(article, settings):
    settings.NEWSBOARD_REPORT_THRESHOLD = 2
    comment = post(article)
    for reader in (UserFactory(), UserFactory()):
        moderation.report_comment(comment, reason="abuse", user=reader)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.report_count == 2
    assert comment.held_for[-1]["rule"] == "reports"
    assert ModerationAction.objects.get(comment=comment).automatic


def test_one_report_below_the_threshold_keeps_the_comment_visible(article, settings):
    settings.NEWSBOARD_REPORT_THRESHOLD = 2
    comment = post(article)
    moderation.report_comment(comment, reason="abuse", user=UserFactory())
    comment.refresh_from_db()
    assert comment.is_approved


def test_moderators_who_asked_are_emailed_at_the_threshold(
    article, settings, moderator, django_capture_on_commit_callbacks
):
    settings.NEWSBOARD_REPORT_THRESHOLD = 1
    moderator.moderation_emails = True
    moderator.save()
    UserFactory(username="quiet", is_staff=True).groups.add(Group.objects.get(name="Moderators"))
    comment = post(article)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.report_comment(comment, reason="spam", user=UserFactory())
    assert [message.to for message in mail.outbox] == [[moderator.email]]


def test_removed_comments_author_is_emailed_the_reason(
    article, moderator, django_capture_on_commit_callbacks
):
    comment = post(article, "Call 555-0100 for my address", email="author@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.set_status(
            Comment.objects.filter(pk=comment.pk),
            Comment.Status.REMOVED,
            by=moderator,
            removal_reason=Comment.RemovalReason.PERSONAL_INFORMATION,
        )
    assert mail.outbox[0].to == ["author@example.org"]
    assert "Personal information" in mail.outbox[0].body


# Decisions on the public page, and who may take them


def moderate_url(comment):
    return reverse("comments:moderate", kwargs={"pk": comment.pk})


def test_moderator_sees_moderation_buttons_on_the_article_page(client, article, moderator):
    post(article)
    client.force_login(moderator)
    assert (
        'name="decision" value="remove"' in client.get(article.get_absolute_url()).content.decode()
    )


def test_readers_see_no_moderation_buttons(client, article):
    post(article)
    client.force_login(UserFactory())
    assert 'name="decision"' not in client.get(article.get_absolute_url()).content.decode()


def test_moderator_sees_held_comments_in_place_with_the_reasons(
    client, article, moderator, phrases
):
    post(article, "You idiot.")
    client.force_login(moderator)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "You idiot." in page
    assert "Suspect words: idiot*" in page


@pytest.mark.parametrize(
    ("decision", "status"),
    [("approve", "approved"), ("spam", "spam")],
)
def test_moderator_decides_on_the_public_page(client, article, moderator, decision, status):
    comment = post(article)
    moderation.set_status(Comment.objects.filter(pk=comment.pk), Comment.Status.PENDING)
    client.force_login(moderator)
    response = client.post(moderate_url(comment), {"decision": decision})
    assert response.status_code == 303
    comment.refresh_from_db()
    assert comment.status == status
    assert comment.status_changed_by == moderator


def test_moderator_removes_with_a_reason_from_the_public_page(client, article, moderator):
    comment = post(article)
    client.force_login(moderator)
    client.post(moderate_url(comment), {"decision": "remove", "removal_reason": "abuse"})
    comment.refresh_from_db()
    assert (comment.status, comment.removal_reason) == ("removed", "abuse")


def test_removing_without_a_reason_is_refused(client, article, moderator):
    comment = post(article)
    client.force_login(moderator)
    client.post(moderate_url(comment), {"decision": "remove"})
    comment.refresh_from_db()
    assert comment.is_approved


def test_featured_comment_is_shown_on_top_with_a_badge(client, article, moderator):
    comment = post(article, "The best comment here")
    client.force_login(moderator)
    client.post(moderate_url(comment), {"decision": "feature"})
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.index("Staff pick") < page.index(f'id="comment-{comment.pk}"')
    assert ModerationAction.objects.get(comment=comment).kind == "feature"


@pytest.mark.parametrize("who", ["anonymous", "member", "staff_without_group"])
def test_only_moderators_may_decide(client, article, who):
    comment = post(article)
    if who == "member":
        client.force_login(UserFactory())
    elif who == "staff_without_group":
        client.force_login(UserFactory(is_staff=True))
    response = client.post(moderate_url(comment), {"decision": "spam"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.is_approved


def test_superuser_may_decide(client, article, admin_user):
    comment = post(article)
    client.force_login(admin_user)
    client.post(moderate_url(comment), {"decision": "spam"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM


def test_moderation_decision_needs_a_post(client, article, moderator):
    comment = post(article)
    client.force_login(moderator)
    assert client.get(moderate_url(comment)).status_code == 405


def test_every_decision_is_recorded_with_who_and_when(article, moderator):
    comment = post(article)
    selected = Comment.objects.filter(pk=comment.pk)
    moderation.set_status(selected, Comment.Status.PENDING, by=moderator)
    moderation.set_status(selected, Comment.Status.APPROVED, by=moderator)
    trail = list(ModerationAction.objects.filter(comment=comment).order_by("pk"))
    assert [(a.from_status, a.to_status, a.actor) for a in trail] == [
        ("approved", "pending", moderator),
        ("pending", "approved", moderator),
    ]
    assert all(a.created_at for a in trail)


def test_moderators_decision_closes_the_open_reports(article, moderator, settings):
    settings.NEWSBOARD_REPORT_THRESHOLD = 1
    comment = post(article)
    moderation.report_comment(comment, reason="abuse", user=UserFactory())
    moderation.set_status(Comment.objects.filter(pk=comment.pk), "approved", by=moderator)
    comment.refresh_from_db()
    assert comment.report_count == 0
    assert Report.objects.get().resolved_at is not None


def test_moderator_chooses_to_be_emailed_about_reports(client, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("account_settings"),
        {"display_name": "Mod", "email": moderator.email, "moderation_emails": "on"},
    )
    assert response.status_code == 302
    moderator.refresh_from_db()
    assert moderator.moderation_emails


def test_readers_have_no_moderation_email_setting(client):
    reader = UserFactory()
    client.force_login(reader)
    assert "moderation_emails" not in client.get(reverse("account_settings")).context["form"].fields
    client.post(
        reverse("account_settings"),
        {"display_name": "Reader", "email": reader.email, "moderation_emails": "on"},
    )
    reader.refresh_from_db()
    assert not reader.moderation_emails
