"""The demo_content command: realistic, deterministic data for `make run` and the benchmarks."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article
from comments.management.demo import corpus
from comments.models import Comment, Vote

pytestmark = pytest.mark.django_db


def demo(**options):
    call_command("demo_content", stdout=None, **options)


def fingerprint():
    """The content as a reader would see it, independent of primary keys."""
    comments = Comment.objects.select_related("article", "user", "parent").order_by("pk")
    return [
        (
            comment.article.headline,
            comment.parent.body if comment.parent else None,
            comment.user.username if comment.user else comment.guest_name,
            comment.body,
            comment.status,
            comment.created_at,
        )
        for comment in comments
    ]


def depths():
    return Counter(comment.tree_depth for comment in Comment.objects.with_tree_fields().only("pk"))


def test_the_same_seed_makes_the_same_content(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo(articles=3, comments=200, seed=5)
    first = fingerprint()
    Article.objects.all().delete()
    demo(articles=3, comments=200, seed=5)
    assert fingerprint() == first


def test_another_seed_makes_other_content(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo(articles=2, comments=50, seed=1)
    first = fingerprint()
    Article.objects.all().delete()
    demo(articles=2, comments=50, seed=2)
    assert fingerprint() != first


def test_one_article_gets_threads_from_one_to_eight_levels_deep(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo(articles=1, comments=3000, seed=1)
    levels = depths()
    assert Comment.objects.count() == 3000
    assert max(levels) == 7  # depth 0 is a top-level comment: eight levels in all
    assert Comment.objects.filter(parent=None, children__isnull=True).exists()


def test_discussions_mix_guests_members_and_a_few_removed_comments(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo(articles=4, comments=400, seed=3)
    guests = Comment.objects.filter(user=None).count()
    removed = Comment.objects.filter(status=Comment.Status.REMOVED).count()
    assert 100 < guests < 350
    assert 0 < removed < 40
    assert len(set(Comment.objects.values_list("body", flat=True))) > 300


def test_comment_counts_match_the_approved_comments(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo(articles=4, comments=300, seed=4)
    for article in Article.objects.all():
        approved = article.comments.filter(status=Comment.Status.APPROVED).count()
        assert article.comment_count == approved


def test_articles_are_published_with_lead_images(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo(articles=12, comments=0, seed=1)
    articles = Article.objects.published()
    assert articles.count() == 12
    assert all(article.lead_image and article.lead_image_thumbnail for article in articles)
    assert articles.filter(comments_mode=Article.CommentsMode.CLOSED).count() == 1


def test_if_empty_leaves_a_site_with_articles_alone(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo(articles=2, comments=10, seed=1)
    demo(articles=5, comments=100, seed=2, if_empty=True)
    assert Article.objects.count() == 2
    assert Comment.objects.count() == 10


def test_the_command_reports_what_it_made_unless_asked_to_be_quiet(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    said, quiet = StringIO(), StringIO()
    call_command("demo_content", articles=1, comments=5, seed=1, stdout=said)
    call_command("demo_content", articles=1, comments=5, seed=2, stdout=quiet, verbosity=0)
    assert "Created 1 articles and 5 comments (seed 1)." in said.getvalue()
    assert quiet.getvalue() == ""
    assert Comment.objects.count() == 10


def test_a_second_run_adds_content_beside_the_first(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo(articles=2, comments=20, seed=1)
    demo(articles=2, comments=20, seed=1)
    assert Article.objects.count() == 4
    assert Comment.objects.count() == 40


def test_votes_match_the_counts_and_some_comments_await_moderation(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo(articles=2, comments=400, seed=6)
    assert Vote.objects.exists()
    for comment in Comment.objects.filter(upvotes__gt=0)[:50]:
        assert comment.upvotes == comment.votes.filter(value=1).count()
        assert comment.downvotes == comment.votes.filter(value=-1).count()
    assert Comment.objects.filter(status=Comment.Status.PENDING).exists()


def test_every_demo_article_file_is_complete_and_in_a_known_section():
    sections = {slug for _name, slug in corpus.SECTIONS}
    assert len(corpus.ARTICLES) == 16
    for article in corpus.ARTICLES:
        assert article["section"] in sections
        assert all(article[key] for key in ("headline", "standfirst", "byline", "caption"))
        assert len(article["palette"]) == 3
        # the files' wrapped lines are joined back: one line a paragraph, one a list item
        for block in article["body"].split("\n\n"):
            lines = block.split("\n")
            assert len(lines) == 1 or all(line.startswith("- ") for line in lines[1:]), block
