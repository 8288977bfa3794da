"""Every cache a process keeps in its own memory, and the one way to clear them all.

Such a cache is declared with @process_cache (functools.lru_cache, listed here)
or as a ProcessCacheDict, and clear_process_caches() empties every one: when a
setting changes (override_settings, so a test's settings reach what the caches
hold) and before each test (tests/conftest.py). What is shared between processes
goes through Django's cache framework instead.

The caches, each where it is declared:

- newsboard.markup.render_comment: the last Markdown sources rendered (posting
  renders a comment twice).
- newsboard.pagecache: the fingerprints of the release's files and of the
  NEWSBOARD_ settings, in every ETag.
- comments.templatetags.discussion: the markup of blank comment forms.
- comments.rules: the moderation phrase and block lists, by their version.
- comments.imports.engine: which commenters' e-mail addresses are valid.
- comments.management.demo.corpus: the words of a headline worth quoting (demo content).
"""

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver

_caches = []


def process_cache(function=None, *, maxsize=128):
    """functools.lru_cache, listed among the process's caches so that
    clear_process_caches() reaches it. Use as @process_cache or @process_cache(maxsize=n).
    """

    def decorate(function):
        cached = lru_cache(maxsize=maxsize)(function)
        _caches.append(cached)
        return cached

    return decorate if function is None else decorate(function)


class ProcessCacheDict(dict):
    """A dict used as a cache for the life of the process, listed among the others."""

    def __init__(self):
        super().__init__()
        _caches.append(self)

    def cache_clear(self):
        self.clear()


def process_caches():
    """Every cache declared so far (in modules already imported)."""
    return list(_caches)


def clear_process_caches():
    for cached in _caches:
        cached.cache_clear()


@receiver(setting_changed)
def _clear_when_a_setting_changes(**kwargs):
    """Settings change while a process runs only under tests (override_settings)."""
    clear_process_caches()
