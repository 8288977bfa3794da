"""Searching the approved comments under published articles (the search page's Comments tab)."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from articles.models import Article
from articles.search import Scope, matching

from .models import Comment


def comments(query):
    """Approved comments on published articles matching the query, each with a `snippet`.

    Comments under an article whose discussion is disabled are not shown on
    its page, so they are not found either.
    """
    return matching(
        Comment.objects.approved()
        .filter(article__in=Article.objects.published())
        .exclude(article__comments_mode=Article.CommentsMode.DISABLED)
        .select_related("article", "user"),
        weighted_fields={"body": "A"},
        snippet_of=F("body"),
        query=query,
        newest_first=("-created_at", "-pk"),
    )


COMMENTS = Scope(
    "comments",
    _("Comments"),
    comments,
    "comments/includes/search_result.html",
    ngettext_lazy(
        "%(shown)s comment found for “%(query)s”",
        "%(shown)s comments found for “%(query)s”",
        "count",
    ),
)
