"""The page every reader without a personal cookie gets: kept whole, and validated.

PublicPageMixin, on a DetailView, answers readers without a personal cookie
(shares_the_public_page()) with an ETag and a Last-Modified, and with 304 Not
Modified while their copy is current. It keeps their page in Django's cache,
with the version it was rendered from, so that the next such reader gets it
without a render while the version holds. weak_etag() and
respond_conditionally() give the same validators to responses that are not
kept (the feeds).
"""

import hashlib
from functools import partial

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language
from django.views.decorators.http import condition

from .caches import process_cache

KEPT_SECONDS = 24 * 60 * 60
# Where each form's CSRF token starts: a kept page is cut there (see _cut_at_csrf_tokens()).
_CSRF_VALUE = b'name="csrfmiddlewaretoken" value="'
# What shapes a page besides the database and the request (see release()).
_RELEASE_DIRECTORIES = ["articles", "comments", "newsboard", "templates", "static", "locale"]


class PublicPageMixin:
    """Keeps a DetailView's page for readers without a personal cookie, and validates it.

    The view says which version of the page self.object makes
    (get_page_version(): every change a reader can see must move it on) and
    when the page last changed (get_page_last_modified(), or None: the ETag
    alone decides). While a page is kept, get_current_object() reads the object
    just enough for get_page_version() (raising Http404 when it is gone): a
    reader whose copy is current then costs that one query, and one whose copy
    is not gets the kept page, which costs nothing more. Otherwise the page is
    rendered (get_object() and the view's own context), and kept.

    A page is kept per address (path and query string, for the
    kept_query_parameters only: any other, such as a newsletter's or a search
    engine's, would make a copy per link), per language and per release, never
    while debugging. The only part of it that is each reader's own, the CSRF
    token of its forms, is cut out when it is kept, and each reader's is
    joined in.

    Readers with a personal cookie get the page DetailView renders, without
    validators: it is theirs alone.
    """

    kept_query_parameters = frozenset()

    def get_page_version(self):
        raise NotImplementedError("subclasses of PublicPageMixin must define get_page_version()")

    def get_page_last_modified(self):
        return None

    def get_current_object(self):
        return self.get_object()

    def get(self, request, *args, **kwargs):
        if not shares_the_public_page(request):
            return super().get(request, *args, **kwargs)
        path = request.get_full_path()
        key = self._kept_page_key(path)
        kept = cache.get(key) if key else None
        self.object = self.get_object() if kept is None else self.get_current_object()
        version = self.get_page_version()

        def render(request):
            if kept is not None and kept[0] == version:
                return HttpResponse(get_token(request).encode().join(kept[1]))
            if kept is not None:  # stale: read the whole object the page shows
                self.object = self.get_object()
            response = self.render_to_response(self.get_context_data(object=self.object))
            if key:
                response.add_post_render_callback(partial(_keep, key, version))
            return response

        return respond_conditionally(
            request,
            render,
            etag=weak_etag(
                path,
                *version,
                # The forms carry tokens made from the reader's CSRF cookie: a copy
                # made with another cookie would have forms that fail.
                request.COOKIES.get(settings.CSRF_COOKIE_NAME),
            ),
            last_modified=self.get_page_last_modified(),
        )

    def _kept_page_key(self, path):
        if settings.DEBUG or not self.kept_query_parameters.issuperset(self.request.GET):
            return None
        return "public-page:" + weak_etag(path)


def shares_the_public_page(request):
    """Whether the reader gets the page everyone without a personal cookie gets, so that
    its validators may stand for it.

    Personal: Django's session and messages cookies, and those that
    NEWSBOARD_PERSONAL_COOKIES lists (a guest's, which fills their name into
    the comment form and shows them their comments awaiting moderation).
    Telling costs no query. (A cookie deleted to an empty value, as some
    clients keep it, is none.) Members sign in by session only, so without a
    session cookie nobody is signed in: their account is not even looked up.
    """
    personal = (
        settings.SESSION_COOKIE_NAME,
        CookieStorage.cookie_name,
        *settings.NEWSBOARD_PERSONAL_COOKIES,
    )
    return not any(map(request.COOKIES.get, personal))


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
    version = repr((release(), get_language(), *parts)).encode()
    return f'W/"{hashlib.blake2b(version, digest_size=16).hexdigest()}"'


def release():
    """A fingerprint of what shapes pages besides the database and the request: the
    project's code, templates, static files and translations, and the NEWSBOARD_
    settings. A copy kept from before a release or a change of settings is stale even
    where no article changed (its static files may even be gone).
    """
    return _files_fingerprint() + _settings_fingerprint()


@process_cache
def _files_fingerprint():
    """Read once per process, from the files' contents, so every process of a release agrees."""
    digest = hashlib.blake2b(digest_size=16)
    for directory in _RELEASE_DIRECTORIES:
        for path in sorted((settings.BASE_DIR / directory).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


@process_cache
def _settings_fingerprint():
    names = sorted(name for name in dir(settings) if name.startswith("NEWSBOARD_"))
    values = repr([(name, getattr(settings, name)) for name in names]).encode()
    return hashlib.blake2b(values, digest_size=16).hexdigest()


def _keep(key, version, response):
    if response.status_code == 200:
        cache.set(key, (version, _cut_at_csrf_tokens(response.content)), KEPT_SECONDS)


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
