"""The `world` fixture: one set of articles, comments and cookies for every role, made
once per test module of this folder (see visitors.py)."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import moderation
from comments.models import Block, Comment, ModeratedPhrase, ModerationAction

from ...factories import ArticleFactory, UserFactory, post
from .visitors import World


def cookies_of(user):
    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        article = ArticleFactory(headline="Who may do what")
        draft = ArticleFactory(status=Article.Status.DRAFT)
        moderators = Group.objects.get(name="Moderators")
        users = {
            "member": UserFactory(username="member"),
            "other-member": UserFactory(username="other-member"),
            "banned-member": UserFactory(username="banned-member", banned_at=timezone.now()),
            "moderator": UserFactory(username="moderator", is_staff=True),
            "superuser": UserFactory(username="superuser", is_staff=True, is_superuser=True),
        }
        users["moderator"].groups.add(moderators)
        cookies = {role: cookies_of(user) for role, user in users.items()}

        guest = Client()
        guest.post(
            reverse("comments:post", kwargs={"slug": article.slug}),
            {"body": "A guest's comment.", "name": "Gwen Guest", "email": "gwen@example.org"},
        )
        guest_cookie = settings.NEWSBOARD_GUEST_COOKIE_NAME
        cookies["guest"] = {guest_cookie: guest.cookies[guest_cookie].value}
        guests_comment = Comment.objects.get(guest_name="Gwen Guest")

        members_comment = post(article, "A member's comment.", user=users["member"])
        held_comment = post(article, "A member's held comment.", user=users["member"])
        moderation.set_status(Comment.objects.filter(pk=held_comment.pk), Comment.Status.PENDING)
        featured_comment = post(article, "A staff pick.", user=users["other-member"])
        moderation.set_featured(
            Comment.objects.filter(pk=featured_comment.pk), True, by=users["moderator"]
        )
        yield World(
            article=article,
            draft=draft,
            users=users,
            cookies=cookies,
            members_comment=members_comment,
            guests_comment=guests_comment,
            held_comment=held_comment,
            featured_comment=featured_comment,
            decision=ModerationAction.objects.filter(comment=held_comment).latest("pk"),
            phrase=ModeratedPhrase.objects.create(phrase="zzyzx", action="hold"),
            block=Block.objects.create(kind=Block.Kind.EMAIL, value="spammer@example.org"),
        )
        transaction.set_rollback(True)
