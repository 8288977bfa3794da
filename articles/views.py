import functools
import hashlib
import html
import json
import re

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition
from django.views.decorators.vary import vary_on_headers
from django.views.generic import DetailView, ListView

from comments.templatetags.discussion import fill_threads_slot
from comments.threads import SORTS
from comments.views import GUEST_COOKIE

from . import search
from .models import Article, Section

SITE_NAME = "Newsboard"
# The approved comments described in an article page's structured data, at most.
STRUCTURED_DATA_COMMENTS = 10
STRUCTURED_DATA_CACHE_SECONDS = 24 * 60 * 60
# Characters that must not appear raw inside a <script> element ("</script>", "<!--").
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
# How a byline separates its reporters: "A, B and C", "A & B".
_BYLINE_SEPARATORS = re.compile(r"\s*(?:,|&|\band\b)\s*")
# A cached public page is kept cut where each reader's CSRF token goes.
_CSRF_VALUE = b'name="csrfmiddlewaretoken" value="'
PUBLIC_PAGE_CACHE_SECONDS = 24 * 60 * 60
# What shapes a page besides the database and the request (see _release()).
_RELEASE_DIRECTORIES = ["articles", "comments", "newsboard", "templates", "static", "locale"]


class ArticleListView(ListView):
    """The front page: latest published articles, newest first."""

    paginate_by = settings.NEWSBOARD_ARTICLES_PER_PAGE

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
class ArticleDetailView(DetailView):
    """An article and, through the comments app's template tag, its discussion.

    The page describes itself for search engines and link previews: its
    canonical address, Open Graph and Twitter card tags, and schema.org
    NewsArticle structured data with the comments that open its discussion.

    Readers without a session get an ETag and a Last-Modified with it, and a
    browser that asks again with them gets 304 Not Modified while the page is
    the same: that costs the one query for the article and renders nothing.
    Readers with a session get neither (see shares_the_public_page()). Every
    answer says it depends on cookies and language, and that browsers must ask
    again before they show a copy they kept (no-cache): a copy is never shown
    stale, and never to anyone else (private: its forms carry the reader's CSRF
    token).
    """

    def get_queryset(self):
        queryset = Article.objects.select_related("section")
        if self.request.user.is_staff:
            return queryset
        return queryset.published()

    def get(self, request, *args, **kwargs):
        if not shares_the_public_page(request):
            self.object = self.get_object()
            return self.render_article(request)
        self.kept_page = self.kept_public_page(request)
        if self.kept_page is None:
            self.object = self.get_object()
        else:  # just the article's version: is the kept page still current?
            self.object = Article.objects.published_version(self.kwargs["slug"])
            if self.object is None:
                raise Http404(
                    gettext("No %(verbose_name)s found matching the query")
                    % {"verbose_name": Article._meta.verbose_name}
                )
        return respond_conditionally(
            request,
            self.render_public_page,
            etag=self.public_page_etag(),
            last_modified=self.public_page_last_modified(),
        )

    def render_article(self, request):
        if self.object.get_deferred_fields():
            self.object = self.get_object()
        response = self.render_to_response(self.get_context_data(object=self.object))
        response.add_post_render_callback(functools.partial(fill_threads_slot, request))
        return response

    def public_page_key(self, request):
        """Where the page every reader without a session gets is kept, or None when it is
        not: while debugging, or for a query string other than the discussion's sort and
        page (which would make a copy per link a newsletter or a search engine adds)."""
        if settings.DEBUG or not {"sort", "page"}.issuperset(request.GET):
            return None
        return "article-page:" + weak_etag(self.kwargs["slug"], request.get_full_path())

    def kept_public_page(self, request):
        """(version, pieces of the page) as kept for this address, or None."""
        key = self.public_page_key(request)
        return cache.get(key) if key else None

    def render_public_page(self, request):
        """The page every reader without a session gets, from the cache while it is current.

        Kept with the article's version (public_page_etag() minus the reader's
        cookie): every change a reader can see makes it stale, and the next
        reader renders it anew. The only part of it that is the reader's own,
        the CSRF token in its forms, is cut out, and each reader's is joined in.
        Without a kept page the article is read whole at once, so a page that
        cannot be kept (no cache backend) costs no extra query.
        """
        article = self.object
        version = (article.pk, *article.public_version)
        if self.kept_page is not None and self.kept_page[0] == version:
            return HttpResponse(get_token(request).encode().join(self.kept_page[1]))
        response = self.render_article(request)
        key = self.public_page_key(request)
        if key and response.status_code == 200:
            response.render()
            pieces = _cut_at_csrf_tokens(response.content)
            cache.set(key, (version, pieces), PUBLIC_PAGE_CACHE_SECONDS)
        return response

    def public_page_etag(self):
        """The version of the page a reader without a session gets.

        changed_at moves on every visible change of the article or its
        discussion; whether comments are open also changes by itself with time.
        The page is in the reader's language (in every ETag), shows the sort and
        page of the discussion the query string asks for, and its forms carry
        tokens made from the reader's CSRF cookie: a copy made with another
        cookie would have forms that fail.
        """
        article, query = self.object, self.request.GET
        return weak_etag(
            "article",
            article.pk,
            *article.public_version,
            query.get("sort"),
            query.get("page"),
            self.request.COOKIES.get(settings.CSRF_COOKIE_NAME),
        )

    def public_page_last_modified(self):
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
            "description": article.standfirst
            or Truncator(_plain_text(article.body_html)).words(40),
            # A scheduled article may have been edited before it came out.
            "modified_at": max(article.published_at, article.updated_at),
        }
        # Made when the template gets to it, after the discussion (see _opening_comments).
        structured_data = functools.partial(self.get_structured_data_json, **page)
        return super().get_context_data(structured_data=structured_data, **page, **kwargs)

    def get_structured_data_json(self, **page):
        return _script_json(self.get_structured_data(**page))

    def get_structured_data(self, *, canonical_url, image_url, description, modified_at):
        """schema.org NewsArticle.

        On the canonical page (no other sort or page of the discussion) it
        lists the approved comments that open the discussion, so that it
        describes only comments the page shows.
        """
        article = self.object
        absolute = self.request.build_absolute_uri
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
                "url": absolute(reverse("articles:list")),
            },
        }
        if image_url:
            data["image"] = [image_url]
        if article.section:
            data["articleSection"] = article.section.name
        if article.shows_comments:
            data["commentCount"] = article.comment_count
        if article.shows_comments and {"sort", "page"}.isdisjoint(self.request.GET):
            data["comment"] = [
                {
                    "@type": "Comment",
                    "text": comment["text"],
                    "dateCreated": comment["created_at"],
                    "author": {"@type": "Person", "name": comment["author"]},
                    "url": absolute(comment["path"]),
                }
                for comment in _opening_comments(self.request, article)
            ]
        return data


class SearchView(ListView):
    """Search: published articles, or with ?in=comments the approved comments under them."""

    template_name = "search/search.html"
    paginate_by = search.RESULTS_PER_PAGE
    context_object_name = "results"

    def get(self, request, *args, **kwargs):
        self.query = search.clean_query(request.GET.get("q", ""))
        self.scope = "comments" if request.GET.get("in") == "comments" else "articles"
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not self.query:
            return Article.objects.none()
        if self.scope == "comments":
            return search.comments(self.query)
        return search.articles(self.query)

    def paginate_queryset(self, queryset, page_size):
        # Past the last page (results changed since the link was made) or not a
        # number: the nearest page, not an error.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(query=self.query, scope=self.scope, **kwargs)
        for result in context["results"]:
            result.snippet_html = search.snippet_html(result, self.query)
        return context


def _cut_at_csrf_tokens(page):
    """The page in pieces, cut where the CSRF token of each of its forms was: the
    token joins them again. Plain searching, once, when the page is kept: a
    discussion shown whole may run to megabytes."""
    pieces, start = [], 0
    while (found := page.find(_CSRF_VALUE, start)) != -1:
        value_starts = found + len(_CSRF_VALUE)
        pieces.append(page[start:value_starts])
        start = page.index(b'"', value_starts)
    pieces.append(page[start:])
    return pieces


def shares_the_public_page(request):
    """Whether the reader gets the page everyone without a session gets, so that its
    validators may stand for it.

    Stricter than comments.views.viewer_for(request).sees_only_public: besides a
    member's or a guest's own comments, a guest's cookie fills their name and email
    into the comment form, and the messages cookie carries messages for the next
    page. So a reader with a session, a guest's or the messages cookie gets no
    validators, and telling costs no query. (A cookie deleted to an empty value, as
    some clients keep it, is none.) Members sign in by session only, so without a
    session cookie nobody is signed in: their account is not even looked up.
    """
    own_cookies = (settings.SESSION_COOKIE_NAME, GUEST_COOKIE, CookieStorage.cookie_name)
    return not any(map(request.COOKIES.get, own_cookies))


def respond_conditionally(request, render, *, etag, last_modified=None):
    """render(request)'s response, or 304 Not Modified without calling render when the
    reader's copy is current (Django's condition decorator: If-None-Match first, else
    If-Modified-Since).

    Not while debugging: there a template edited since the copy was made shows at once.
    """
    if settings.DEBUG:
        return render(request)
    validated = condition(
        etag_func=lambda request: etag,
        last_modified_func=lambda request: last_modified,
    )
    return validated(render)(request)


def weak_etag(*parts):
    """A weak ETag for a response made of parts, in this release and the reader's language.

    Weak, because two copies of one version need not be equal byte for byte:
    CSRF tokens are masked anew on every render.
    """
    version = repr((_release(), get_language(), *parts)).encode()
    return f'W/"{hashlib.blake2b(version, digest_size=16).hexdigest()}"'


def _release():
    """A fingerprint of what shapes pages besides the database and the request: the
    project's code, templates, static files and translations, and the NEWSBOARD_
    settings. A copy kept from before a release or a change of settings is stale even
    where no article changed (its static files may even be gone).
    """
    return _files_fingerprint() + _settings_fingerprint()


@functools.cache
def _files_fingerprint():
    """Read once per process, from the files' contents, so every process of a release agrees."""
    digest = hashlib.blake2b(digest_size=16)
    for directory in _RELEASE_DIRECTORIES:
        for path in sorted((settings.BASE_DIR / directory).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.cache
def _settings_fingerprint():
    names = sorted(name for name in dir(settings) if name.startswith("NEWSBOARD_"))
    values = repr([(name, getattr(settings, name)) for name in names]).encode()
    return hashlib.blake2b(values, digest_size=16).hexdigest()


@receiver(setting_changed)
def _forget_settings_fingerprint(*, setting, **kwargs):
    """Settings change while a process runs only under tests (override_settings)."""
    if setting.startswith("NEWSBOARD_"):
        _settings_fingerprint.cache_clear()


def _opening_comments(request, article):
    """The approved top-level comments that open the article's discussion, as plain data.

    They come first in the site's default order of threads, so they are on
    the discussion's first page. When this request rendered that page, its
    discussion tag left them on the request; otherwise they are cached like
    the discussion itself, under the article's changed_at, which every change
    readers can see moves on: once cached, the page pays no query for them.
    """
    shown = min(STRUCTURED_DATA_COMMENTS, settings.NEWSBOARD_THREADS_PER_PAGE)
    on_this_page = vars(request).pop("discussion_openers", None)  # see fill_threads_slot()
    if on_this_page is not None:
        return [_comment_data(comment) for comment in on_this_page[:shown]]
    sort = settings.NEWSBOARD_DEFAULT_SORT
    version = article.changed_at.timestamp()
    key = f"structured-data-comments:{article.pk}:{version}:{sort}:{shown}:{get_language()}"
    comments = cache.get(key)
    if comments is None:
        comments = [
            _comment_data(comment)
            for comment in article.comments.approved()
            .filter(parent=None)
            .with_author()
            .order_by(*SORTS[sort].threads)[:shown]
        ]
        cache.set(key, comments, STRUCTURED_DATA_CACHE_SECONDS)
    return comments


def _comment_data(comment):
    return {
        "text": _plain_text(comment.body_html),
        "created_at": comment.created_at,
        "author": str(comment.author_name),
        "path": comment.get_absolute_url(),
    }


def _plain_text(html_text):
    """Rendered HTML as one line of plain text."""
    return " ".join(html.unescape(strip_tags(html_text)).split())


def _authors(byline):
    """schema.org authors: each reporter of the byline, or the newsroom when there is none."""
    names = [name for name in _BYLINE_SEPARATORS.split(byline) if name]
    if not names:
        return [{"@type": "Organization", "name": SITE_NAME}]
    return [{"@type": "Person", "name": name} for name in names]


def _script_json(data):
    """JSON for a <script type="application/ld+json"> element that no text in it can close."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder).translate(_SCRIPT_ESCAPES))
