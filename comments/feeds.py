"""RSS and Atom feeds of an article's approved comments, newest first.

A feed reads its items in one query (accounts joined in), whatever the
size of the discussion, and a feed reader whose copy is current gets 304 Not
Modified (articles.feeds.ConditionalFeed).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext

from articles.feeds import ITEMS, ConditionalFeed
from articles.models import Article


class ArticleCommentsFeed(ConditionalFeed):
    """The newest approved comments on one published article (RSS 2.0).

    Its version is the article's changed_at, which every change readers can
    see in the discussion or the article moves on: a 304 costs one query.
    """

    author_name = "Newsboard"

    def get_object(self, request, slug):
        article = get_object_or_404(Article.objects.published(), slug=slug)
        if not article.shows_comments:
            raise Http404(gettext("This article has no discussion."))
        return article

    def version(self, article):
        return article.pk, article.changed_at

    def last_modified(self, article):
        return article.changed_at

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
