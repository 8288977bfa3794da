"""Small factories for the tests: articles, sections, users and comments.

Comments go through comments.posting.post_comment, as every real comment
does, so threads, counts and rendering are what the site would produce.
"""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from comments import posting


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"reader{n}")
    display_name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password("correct horse battery staple")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    headline = factory.Sequence(lambda n: f"Council approves new river crossing, part {n}")
    slug = factory.Sequence(lambda n: f"council-river-crossing-{n}")
    standfirst = "The bridge will link the old town with the eastern districts by 2029."
    dateline = "RIVERTON"
    byline = "Amara Okafor"
    section = factory.SubFactory(SectionFactory)
    body = (
        "The council voted *seven to two* on Tuesday.\n\n"
        "## What happens next\n\nWork starts in spring."
    )
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))


def post(
    article,
    body="A thoughtful comment.",
    *,
    parent=None,
    user=None,
    name="Guest Reader",
    email="guest@example.org",
):
    """Post a comment as the site would and return it."""
    comment, _created = posting.post_comment(
        article=article,
        body=body,
        parent_id=parent.pk if parent else None,
        user=user,
        guest_name="" if user else name,
        guest_email="" if user else email,
    )
    return comment


def post_url(article):
    """Where the article's comment form posts."""
    return reverse("comments:post", kwargs={"slug": article.slug})


def guest_data(**overrides):
    """A guest's comment form, filled in."""
    return {
        "body": "I was at the meeting too.",
        "name": "Siobhán Ní Bhriain",
        "email": "siobhan@example.org",
        **overrides,
    }
