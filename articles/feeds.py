"""RSS and Atom feeds: the latest articles, and a section's.

Each feed reads its items in one query (sections joined in), so
a feed costs the same number of queries whatever its length. Items carry no
image enclosure: RSS wants the file's size in bytes, which would cost a call
to the storage for every item.

Every feed has an ETag, and a feed reader that asks again with it gets 304 Not
Modified, rendered from nothing, while the feed is the same.
"""

from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from newsboard.pagecache import respond_conditionally, weak_etag

from .models import Article, Section

ITEMS = 30


class ConditionalFeed(Feed):
    """A feed that answers a reader whose copy is current with 304 Not Modified.

    Its validators come from what get_object() read, before anything is
    rendered and without a query of their own: version(obj) says which version
    of the feed obj is, and last_modified(obj) when it last changed, where that
    can be told (None: the ETag alone decides).
    """

    def __call__(self, request, *args, **kwargs):
        try:
            obj = self.get_object(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404("Feed object does not exist.") from None

        def render(request):
            feed = self.get_feed(obj, request)
            response = HttpResponse(content_type=feed.content_type)
            feed.write(response, "utf-8")
            return response

        return respond_conditionally(
            request,
            render,
            etag=weak_etag(type(self).__name__, self.version(obj)),
            last_modified=self.last_modified(obj),
        )

    def version(self, obj):
        raise NotImplementedError

    def last_modified(self, obj):
        return None


class LatestArticlesFeed(ConditionalFeed):
    """The latest published articles, newest first (RSS 2.0).

    The feed's object is the list of its articles, read once: its items and
    its validators both come from it. It has no Last-Modified: an article taken
    down leaves the feed without making anything in it newer, which only the
    ETag notices.
    """

    title = _("Newsboard: latest news")
    description = _("The latest articles published on Newsboard.")
    author_name = "Newsboard"  # Atom wants an author; articles without a byline are ours

    def get_object(self, request):
        return self.latest(Article.objects.published())

    def latest(self, articles):
        return list(articles.select_related("section")[:ITEMS])

    def version(self, articles):
        return [
            (article.pk, article.updated_at, article.published_at, str(article.section or ""))
            for article in articles
        ]

    def link(self):
        return reverse("articles:list")

    def items(self, articles):
        return articles

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
    """One section's latest published articles (RSS 2.0).

    The feed's object is the section, with its articles read once into
    latest_articles.
    """

    def get_object(self, request, slug):
        section = get_object_or_404(Section, slug=slug)
        section.latest_articles = self.latest(Article.objects.published().filter(section=section))
        return section

    def version(self, section):
        return section.name, super().version(section.latest_articles)

    def title(self, section):
        return gettext("Newsboard: %(section)s") % {"section": section.name}

    def description(self, section):
        return gettext("The latest articles in %(section)s on Newsboard.") % {
            "section": section.name
        }

    def link(self, section):
        return section.get_absolute_url()

    def items(self, section):
        return section.latest_articles


class SectionAtomFeed(SectionFeed):
    feed_type = Atom1Feed

    def subtitle(self, section):
        return self.description(section)
