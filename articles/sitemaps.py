"""The sitemap: the front page, the sections with published articles, and the articles.

Each part is one query. Addresses use the scheme and host the sitemap was
asked with, so they are right behind a TLS proxy too.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from .models import Article, Section


class FrontPageSitemap(Sitemap):
    """The front page, which changes whenever an article is published."""

    def items(self):
        return ["articles:list"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return Article.objects.published().values_list("published_at", flat=True).first()


class SectionSitemap(Sitemap):
    """The sections that have published articles, changed at their newest one."""

    def items(self):
        newest = (
            Article.objects.published()
            .filter(section=OuterRef("pk"))
            .order_by("-published_at")
            .values("published_at")[:1]
        )
        return Section.objects.annotate(last_published_at=Subquery(newest)).filter(
            last_published_at__isnull=False
        )

    def lastmod(self, section):
        return section.last_published_at


class ArticleSitemap(Sitemap):
    """Published articles, changed when edited or when a comment was last approved.

    A scheduled article counts as changed when it comes out, even if it was
    last edited before.
    """

    def items(self):
        return Article.objects.published().only(
            "slug", "published_at", "updated_at", "last_commented_at"
        )

    def lastmod(self, article):
        moments = (article.published_at, article.updated_at, article.last_commented_at)
        return max(moment for moment in moments if moment is not None)


SITEMAPS = {"home": FrontPageSitemap, "sections": SectionSitemap, "articles": ArticleSitemap}
