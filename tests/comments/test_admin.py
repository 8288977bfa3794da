"""Editors and moderators in the Django admin."""

import pytest
from django.urls import reverse

from comments.models import Comment

from ..factories import post

pytestmark = pytest.mark.django_db


def test_editor_sees_article_list_with_filters(admin_client, article):
    response = admin_client.get(reverse("admin:articles_article_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert article.headline in html
    assert "By status" in html


def test_article_change_page_offers_view_on_site(admin_client, article):
    import re

    html = admin_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    link = re.search(r'href="(/admin/r/[^"]+)" class="viewsitelink"', html).group(1)
    assert admin_client.get(link)["Location"].endswith(article.get_absolute_url())


def test_comment_list_shows_article_author_and_status(admin_client, article):
    post(article, "Worth a look", name="Ahmed Karim")
    html = admin_client.get(reverse("admin:comments_comment_changelist")).content.decode()
    assert "Worth a look" in html
    assert "Ahmed Karim (guest)" in html
    assert article.headline in html


def test_remove_action_hides_comment_and_records_who(admin_client, admin_user, article, client):
    comment = post(article, "Off-topic rant")
    response = admin_client.post(
        reverse("admin:comments_comment_changelist"),
        {
            "action": "remove",
            "_selected_action": [comment.pk],
            "post": "yes",
            "removal_reason": Comment.RemovalReason.OFF_TOPIC,
        },
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    article.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED
    assert comment.status_changed_by == admin_user
    assert article.comment_count == 0
    assert "Off-topic rant" not in client.get(article.get_absolute_url()).content.decode()


def test_approve_action_shows_comment_again(admin_client, article, client):
    comment = post(article, "Back again")
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.PENDING)
    admin_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [comment.pk]},
    )
    article.refresh_from_db()
    assert article.comment_count == 1
    assert "Back again" in client.get(article.get_absolute_url()).content.decode()


def test_changing_status_on_the_change_form_keeps_counts_exact(admin_client, admin_user, article):
    comment = post(article, "Borderline")
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    context = admin_client.get(url).context
    form = context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    for inline in context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update(
            {management.add_prefix(name): management[name].value() for name in management.fields}
        )
    data["status"] = Comment.Status.SPAM
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    comment.refresh_from_db()
    article.refresh_from_db()
    assert (comment.status, comment.status_changed_by, article.comment_count) == (
        "spam",
        admin_user,
        0,
    )
