"""RSS and Atom feeds: the latest articles, a section's, and an article's approved comments.

Each feed reads its items in one query (sections and accounts joined in), so
a feed costs the same number of queries whatever its length. Items carry no
image enclosure: RSS wants the file's size in bytes, which would cost a call
to the storage for every item.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Article, Section

ITEMS = 30


class LatestArticlesFeed(Feed):
    """The latest published articles, newest first (RSS 2.0)."""

    title = _("Newsboard: latest news")
    description = _("The latest articles published on Newsboard.")
    author_name = "Newsboard"  # Atom wants an author; articles without a byline are ours

    def link(self):
        return reverse("articles:list")

    def items(self):
        return Article.objects.published().select_related("section")[:ITEMS]

    def item_title(self, article):
        return article.headline

    def item_description(self, article):
        return article.standfirst

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return max(article.published_at, article.updated_at)

    def item_author_name(self, article):
        return article.byline or None

    def item_categories(self, article):
        return [article.section.name] if article.section else []


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class SectionFeed(LatestArticlesFeed):
    """One section's latest published articles (RSS 2.0)."""

    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, section):
        return gettext("Newsboard: %(section)s") % {"section": section.name}

    def description(self, section):
        return gettext("The latest articles in %(section)s on Newsboard.") % {
            "section": section.name
        }

    def link(self, section):
        return section.get_absolute_url()

    def items(self, section):
        return Article.objects.published().filter(section=section).select_related("section")[:ITEMS]


class SectionAtomFeed(SectionFeed):
    feed_type = Atom1Feed

    def subtitle(self, section):
        return self.description(section)


class ArticleCommentsFeed(Feed):
    """The newest approved comments on one published article (RSS 2.0)."""

    author_name = "Newsboard"

    def get_object(self, request, slug):
        article = get_object_or_404(Article.objects.published(), slug=slug)
        if not article.shows_comments:
            raise Http404(gettext("This article has no discussion."))
        return article

    def title(self, article):
        return gettext("Comments on “%(headline)s”") % {"headline": article.headline}

    def description(self, article):
        return gettext("The newest readers' comments on “%(headline)s” on Newsboard.") % {
            "headline": article.headline
        }

    def link(self, article):
        return article.get_absolute_url() + "#comments"

    def items(self, article):
        return (
            article.comments.approved()
            .select_related("user")
            .order_by("-created_at", "-pk")[:ITEMS]
        )

    def item_title(self, comment):
        return gettext("%(author)s: “%(excerpt)s”") % {
            "author": comment.author_name,
            "excerpt": str(comment),
        }

    def item_description(self, comment):
        return comment.body_html  # sanitized when the comment was saved

    def item_pubdate(self, comment):
        return comment.created_at

    def item_updateddate(self, comment):
        return comment.edited_at or comment.created_at

    def item_author_name(self, comment):
        return comment.author_name


class ArticleCommentsAtomFeed(ArticleCommentsFeed):
    feed_type = Atom1Feed

    def subtitle(self, article):
        return self.description(article)
