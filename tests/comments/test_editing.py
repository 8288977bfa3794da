"""Authors editing and deleting their own comments."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommentRevision, ModeratedPhrase

from ..factories import UserFactory, post

pytestmark = pytest.mark.django_db


def edit_url(comment):
    return reverse("comments:edit", kwargs={"pk": comment.pk})


def delete_url(comment):
    return reverse("comments:delete", kwargs={"pk": comment.pk})


@pytest.fixture
def author(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_author_edits_within_the_window(client, article, author):
    comment = post(article, "Teh bridge opens in May", user=author)
    response = client.post(edit_url(comment), {"body": "The bridge opens in *May*"})
    assert response.status_code == 303
    comment.refresh_from_db()
    assert comment.body == "The bridge opens in *May*"
    assert "<em>May</em>" in comment.body_html
    assert comment.edited_at is not None


def test_edited_comment_is_marked_edited(client, article, author):
    comment = post(article, "first", user=author)
    client.post(edit_url(comment), {"body": "second"})
    assert "edited" in client.get(article.get_absolute_url()).content.decode()


def test_earlier_text_is_kept_for_moderators(client, article, author):
    comment = post(article, "what I first wrote", user=author)
    client.post(edit_url(comment), {"body": "what I meant"})
    assert CommentRevision.objects.get(comment=comment).body == "what I first wrote"


def test_edit_after_the_window_is_refused_with_the_text_kept(client, article, author, settings):
    settings.NEWSBOARD_EDIT_WINDOW_MINUTES = 15
    comment = post(article, "old", user=author)
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    response = client.post(edit_url(comment), {"body": "my careful correction"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "can be edited for 15 minutes after posting" in html
    assert "my careful correction" in html
    comment.refresh_from_db()
    assert comment.body == "old"


def test_edit_link_shows_only_within_the_window(client, article, author):
    comment = post(article, "mine", user=author)
    assert edit_url(comment) in client.get(article.get_absolute_url()).content.decode()
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert edit_url(comment) not in client.get(article.get_absolute_url()).content.decode()


def test_edit_with_banned_words_is_refused_with_the_text_kept(client, article, author):
    ModeratedPhrase.objects.create(phrase="casino", action="reject")
    comment = post(article, "fine", user=author)
    response = client.post(edit_url(comment), {"body": "visit my casino"})
    assert response.status_code == 400
    assert "visit my casino" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "fine"


def test_edit_with_suspect_words_sends_the_comment_back_to_the_queue(client, article, author):
    ModeratedPhrase.objects.create(phrase="idiot", action="hold")
    comment = post(article, "fine", user=author)
    client.post(edit_url(comment), {"body": "you idiot"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.held_for[-1] == {"rule": "suspect_words", "detail": "idiot"}
    article.refresh_from_db()
    assert article.comment_count == 0


def test_empty_edit_is_refused(client, article, author):
    comment = post(article, "keep me", user=author)
    assert client.post(edit_url(comment), {"body": "   "}).status_code == 400
    comment.refresh_from_db()
    assert comment.body == "keep me"


def test_someone_else_cannot_edit(client, article, author):
    comment = post(article, "not yours", user=UserFactory())
    assert client.post(edit_url(comment), {"body": "hijacked"}).status_code == 403
    assert client.get(edit_url(comment)).status_code == 403


def test_guest_edits_their_comment_from_the_same_browser(client, article):
    client.post(
        reverse("comments:post", kwargs={"slug": article.slug}),
        {"body": "guest typo", "name": "Ama", "email": "ama@example.org"},
    )
    comment = Comment.objects.get()
    client.post(edit_url(comment), {"body": "guest fixed"})
    comment.refresh_from_db()
    assert comment.body == "guest fixed"


def test_author_deletes_their_comment_after_confirming(client, article, author):
    comment = post(article, "regret", user=author)
    assert "Delete my comment" in client.get(delete_url(comment)).content.decode()
    response = client.post(delete_url(comment))
    assert response.status_code == 303
    comment.refresh_from_db()
    assert comment.status == Comment.Status.DELETED
    article.refresh_from_db()
    assert article.comment_count == 0


def test_deleted_comment_with_replies_stays_as_a_placeholder(client, article, author):
    comment = post(article, "regret", user=author)
    post(article, "a reply", parent=comment)
    client.post(delete_url(comment))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "regret" not in html.replace("Deleted by its author", "")
    assert f'id="comment-{comment.pk}"' in html


def test_someone_else_cannot_delete(client, article, author):
    comment = post(article, "not yours", user=UserFactory())
    assert client.post(delete_url(comment)).status_code == 403
    comment.refresh_from_db()
    assert comment.is_approved
