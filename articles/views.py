import re

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.vary import vary_on_headers
from django.views.generic import DetailView, ListView

from newsboard.fragments import FragmentedTemplateResponse
from newsboard.markup import plain_text
from newsboard.pagecache import PublicPageMixin

from . import search
from .models import Article, Section

SITE_NAME = "Newsboard"
# How a byline separates its reporters: "A, B and C", "A & B".
_BYLINE_SEPARATORS = re.compile(r"\s*(?:,|&|\band\b)\s*")


class ArticleListView(ListView):
    """The front page: latest published articles, newest first."""

    def get_paginate_by(self, queryset):
        return settings.NEWSBOARD_ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.published().select_related("section")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        path = self.request.path if page.number == 1 else f"{self.request.path}?page={page.number}"
        context["canonical_url"] = self.request.build_absolute_uri(path)
        return context


class SectionView(ArticleListView):
    """One section's latest articles."""

    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


@method_decorator(vary_on_headers("Cookie", "Accept-Language"), name="get")
@method_decorator(cache_control(private=True, no_cache=True), name="get")
class ArticleDetailView(PublicPageMixin, DetailView):
    """An article and, through the comments app's template tag, its discussion.

    The page describes itself for search engines and link previews: its
    canonical address, Open Graph and Twitter card tags, and schema.org
    NewsArticle structured data (to which the discussion adds its comments).

    Readers without a session get the page kept for everyone, with an ETag and
    a Last-Modified, and a browser that asks again with them gets 304 Not
    Modified while the page is the same (PublicPageMixin): that costs one query
    for the article and renders nothing. Every answer says it depends on
    cookies and language, and that browsers must ask again before they show a
    copy they kept (no-cache): a copy is never shown stale, and never to anyone
    else (private: its forms carry the reader's CSRF token).
    """

    # The discussion's sort and page: a copy is kept of each.
    kept_query_parameters = frozenset({"sort", "page"})
    # The discussion's threads are joined in after the page is rendered.
    response_class = FragmentedTemplateResponse

    def get_queryset(self):
        queryset = Article.objects.select_related("section")
        if self.request.user.is_staff:
            return queryset
        return queryset.published()

    def get_current_object(self):
        article = Article.objects.published_version(self.kwargs["slug"])
        if article is None:
            raise Http404(
                gettext("No %(verbose_name)s found matching the query")
                % {"verbose_name": Article._meta.verbose_name}
            )
        return article

    def get_page_version(self):
        """changed_at moves on every visible change of the article or its discussion;
        whether comments are open also changes by itself with time."""
        return (self.object.pk, *self.object.public_version)

    def get_page_last_modified(self):
        """When the page last changed: the article's changed_at, its publication, or the
        moment its discussion closed by itself, whichever came last."""
        article = self.object
        moments = [article.changed_at, article.published_at]
        closes_at = article.comments_close_at
        if closes_at is not None and closes_at <= timezone.now():
            moments.append(closes_at)
        return max(moments)

    def get_context_data(self, **kwargs):
        article = self.object
        absolute = self.request.build_absolute_uri
        page = {
            "canonical_url": absolute(article.get_absolute_url()),
            "image_url": absolute(article.lead_image.url) if article.lead_image else "",
            "description": article.standfirst or Truncator(plain_text(article.body_html)).words(40),
            # A scheduled article may have been edited before it came out.
            "modified_at": max(article.published_at, article.updated_at),
        }
        return super().get_context_data(
            structured_data=self.get_structured_data(**page), **page, **kwargs
        )

    def get_structured_data(self, *, canonical_url, image_url, description, modified_at):
        """schema.org NewsArticle, as a dict for the json_ld filter."""
        article = self.object
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.headline,
            "description": description,
            "url": canonical_url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": canonical_url},
            "datePublished": article.published_at,
            "dateModified": modified_at,
            "author": _authors(article.byline),
            "publisher": {
                "@type": "Organization",
                "name": SITE_NAME,
                "url": self.request.build_absolute_uri(reverse("articles:list")),
            },
        }
        if image_url:
            data["image"] = [image_url]
        if article.section:
            data["articleSection"] = article.section.name
        return data


class SearchView(ListView):
    """Search: published articles, or with ?in= another of the scopes that
    NEWSBOARD_SEARCH_SCOPES lists (the comments app adds the approved comments)."""

    template_name = "search/search.html"
    paginate_by = search.RESULTS_PER_PAGE
    context_object_name = "results"

    def get(self, request, *args, **kwargs):
        self.query = search.clean_query(request.GET.get("q", ""))
        self.scopes = search.scopes()
        asked = request.GET.get("in")
        self.scope = next((s for s in self.scopes if s.name == asked), self.scopes[0])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not self.query:
            return Article.objects.none()
        return self.scope.find(self.query)

    def in_parameter(self, scope):
        return None if scope is self.scopes[0] else scope.name

    def paginate_queryset(self, queryset, page_size):
        # Past the last page (results changed since the link was made) or not a
        # number: the nearest page, not an error.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            query=self.query,
            scope=self.scope,
            # Each scope's tab with its ?in= (the default's has none).
            tabs=[(scope, self.in_parameter(scope)) for scope in self.scopes],
            in_parameter=self.in_parameter(self.scope),
            **kwargs,
        )
        if self.query:
            context["found"] = self.scope.found_text(context["paginator"].count, self.query)
        for result in context["results"]:
            result.snippet_html = search.snippet_html(result, self.query)
        return context


def _authors(byline):
    """schema.org authors: each reporter of the byline, or the newsroom when there is none."""
    names = [name for name in _BYLINE_SEPARATORS.split(byline) if name]
    if not names:
        return [{"@type": "Organization", "name": SITE_NAME}]
    return [{"@type": "Person", "name": name} for name in names]
