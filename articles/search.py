"""Searching published articles, and the machinery other apps search with.

On PostgreSQL this is full-text search: websearch syntax ("quoted phrases",
-excluded words, or), results ranked with the headline weighing most and
snippets cut by the database around the matches (ts_headline). Other
databases get a plain fallback: every word must appear somewhere (and no
word after a minus sign), newest first, and the snippet is cut in Python
around the first match.

Either way the snippet comes back as text with the matches between two
control characters; `snippet_html` escapes everything and only then turns
those into <mark> elements, so neither the stored text nor the query can put
markup on the page.
"""

import re
from functools import reduce
from operator import add, or_

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .models import Article

RESULTS_PER_PAGE = 20
MAX_QUERY_LENGTH = 200
# Words the fallback looks for; more would only make its LIKE clauses slower.
MAX_FALLBACK_TERMS = 10
# The site's language (LANGUAGE_CODE "en"): stemming and stop words for PostgreSQL.
CONFIG = "english"
SNIPPET_LENGTH = 240

START, STOP = "\x02", "\x03"  # around each match in a snippet, until snippet_html
_MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class Scope:
    """What the search page can search (NEWSBOARD_SEARCH_SCOPES), as one of its tabs.

    name: the scope's ?in= value; label: its tab; find(query): the results, as
    matching() gives them; result_template: one result's markup, with `result`;
    found: how many results were found for `query`, a ngettext_lazy() whose
    number is "count" and which shows "shown" (the count, formatted).
    """

    def __init__(self, name, label, find, result_template, found):
        self.name = name
        self.label = label
        self.find = find
        self.result_template = result_template
        self.found = found

    def found_text(self, count, query):
        return self.found % {"count": count, "shown": intcomma(count), "query": query}


def scopes():
    """The scopes NEWSBOARD_SEARCH_SCOPES names, the default one first."""
    return [import_string(path) for path in settings.NEWSBOARD_SEARCH_SCOPES]


def clean_query(raw):
    """The query as searched: no control characters, spaces collapsed, at most 200 characters.

    Control characters mean nothing in a query and PostgreSQL refuses NUL, so
    they become spaces; the length limit keeps a pasted essay from becoming a
    costly search.
    """
    return " ".join(_CONTROL_CHARACTERS.sub(" ", raw).split())[:MAX_QUERY_LENGTH].strip()


def articles(query):
    """Published articles matching the query, best match first, each with a `snippet`."""
    return matching(
        Article.objects.published().select_related("section"),
        weighted_fields={"headline": "A", "standfirst": "B", "body": "C"},
        snippet_of=Concat("standfirst", Value("\n\n"), "body", output_field=TextField()),
        query=query,
        newest_first=("-published_at", "-pk"),
    )


ARTICLES = Scope(
    "articles",
    _("Articles"),
    articles,
    "articles/includes/search_result.html",
    ngettext_lazy(
        "%(shown)s article found for “%(query)s”",
        "%(shown)s articles found for “%(query)s”",
        "count",
    ),
)


def snippet_html(result, query):
    """A search result's snippet as HTML: the text escaped, the matches in <mark>."""
    marked = result.snippet if _full_text() else _mark_first_match(result.snippet, query)
    html = _MARKED.sub(r"<mark>\1</mark>", escape(marked))
    # Escaped text with only our own <mark> elements added; a stray marker
    # (a control character typed into a comment) is dropped.
    return mark_safe(html.replace(START, "").replace(STOP, ""))


def _full_text():
    return connection.vendor == "postgresql"


def matching(queryset, *, weighted_fields, snippet_of, query, newest_first):
    """The rows of queryset that match the query, best (or newest) first, each with a
    `snippet` of snippet_of around the matches (see snippet_html()).

    weighted_fields maps the fields searched to their weight in the ranking,
    "A" (most) to "D".
    """
    if _full_text():
        search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
        vector = reduce(
            add,
            (
                SearchVector(field, weight=weight, config=CONFIG)
                for field, weight in weighted_fields.items()
            ),
        )
        return (
            queryset.annotate(
                document=vector,
                rank=SearchRank(F("document"), search_query),
                snippet=SearchHeadline(
                    snippet_of,
                    search_query,
                    config=CONFIG,
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=40,
                    min_words=20,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .filter(document=search_query)
            .order_by("-rank", *newest_first)
        )
    return (
        _fallback(queryset, weighted_fields, query)
        .annotate(snippet=snippet_of)
        .order_by(*newest_first)
    )


def _fallback(queryset, fields, query):
    """Rows with every wanted word in one of the fields, and no word after a minus sign."""
    wanted, unwanted = _terms(query)
    if not wanted:
        return queryset.none()

    def anywhere(term):
        return reduce(or_, (Q(**{f"{field}__icontains": term}) for field in fields))

    found = queryset.filter(*map(anywhere, wanted))
    if unwanted:
        found = found.exclude(reduce(or_, map(anywhere, unwanted)))
    return found


def _terms(query):
    """The fallback's reading of a query: the words wanted, and those after a minus sign.

    Quotes are dropped, so each word of a quoted phrase is looked for on its own.
    """
    wanted, unwanted = {}, {}  # dicts as ordered sets
    for word in query.replace('"', " ").split():
        bare = word.lstrip("-")
        if bare:
            (unwanted if word.startswith("-") else wanted)[bare] = None
    return list(wanted)[:MAX_FALLBACK_TERMS], list(unwanted)[:MAX_FALLBACK_TERMS]


def _mark_first_match(text, query):
    """About SNIPPET_LENGTH characters of text around the first match, the matches marked."""
    text = " ".join(text.replace(START, "").replace(STOP, "").split())
    wanted, _unwanted = _terms(query)
    pattern = re.compile("|".join(map(re.escape, wanted)), re.IGNORECASE)
    first = pattern.search(text)
    start = 0
    if first and first.start() > SNIPPET_LENGTH // 3:
        # Begin at a word, a little before the match.
        start = text.rfind(" ", 0, first.start() - SNIPPET_LENGTH // 4) + 1
    end = min(start + SNIPPET_LENGTH, len(text))
    if end < len(text) and text.rfind(" ", start, end) > start:
        end = text.rfind(" ", start, end)  # end at a word too
    window = pattern.sub(lambda match: f"{START}{match.group()}{STOP}", text[start:end])
    return ("… " if start else "") + window + (" …" if end < len(text) else "")
