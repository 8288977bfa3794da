from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import template
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.template.loader import render_to_string
from django.utils.translation import get_language

from newsboard.caches import ProcessCacheDict
from newsboard.markup import plain_text
from newsboard.pagecache import release

from ..forms import comment_form_for
from ..models import Comment
from ..threads import SORTS, display_nodes, render_tree, sort_from
from ..viewers import attach_viewer_state, viewer_for

register = template.Library()

FEATURED_SHOWN = 5
CACHE_SECONDS = 24 * 60 * 60
# The approved comments that the article's structured data lists, at most.
STRUCTURED_DATA_COMMENTS = 10


class Discussion:
    """An article's discussion as its page shows it: the HTML, and what it adds to the
    article's schema.org NewsArticle (the number of comments and, on the discussion's
    canonical page, the approved comments that open it)."""

    def __init__(self, html="", structured_data=None):
        self.html = html
        self.structured_data = structured_data or {}

    def __html__(self):
        return self.html

    def __str__(self):
        return self.html


@register.simple_tag(takes_context=True)
def discussion(context, article):
    """An article's discussion (a Discussion): the sort switch, the form and one page of
    threads; nothing where the article shows no discussion.

    The threads take a constant number of queries whatever the size of the
    discussion: the featured comments, count and page of the top-level
    comments, then one indexed read of every comment of those threads.
    For readers without a session (who see exactly what everyone sees) the
    rendered threads come from the cache, keyed by the article's changed_at,
    which every visible change to the article or its discussion moves on, and by
    the release, so that a deployment that changes how comments look is seen at
    once: no query.
    """
    if not article.shows_comments:
        return Discussion()
    request = context["request"]
    viewer = viewer_for(request)
    sort = sort_from(request.GET.get("sort"))
    page_number = request.GET.get("page", "1")
    if viewer.sees_only_public and page_number.isdigit() and len(page_number) < 6:
        changed_at, accepts_comments = article.public_version
        version = f"{changed_at.timestamp()}:{accepts_comments:d}"
        key = (
            f"discussion-threads:{release()}:{article.pk}:{version}:{sort}:{page_number}"
            f":{get_language()}"
        )
        threads = cache.get(key)
        if threads is None:
            threads = _threads(request, article, viewer, sort, page_number)
            cache.set(key, threads, CACHE_SECONDS)
    else:
        threads = _threads(request, article, viewer, sort, page_number)
    threads_html, openers = threads
    fragments = context.get("page_fragments")  # newsboard.fragments: megabytes, at times
    if fragments is not None:
        threads_html = fragments.defer(threads_html)
    may_comment = article.accepts_comments and (
        request.user.is_authenticated or settings.NEWSBOARD_ALLOW_GUESTS
    )
    html = render_to_string(
        "comments/includes/discussion.html",
        {
            "article": article,
            "threads_html": threads_html,
            "sort": sort,
            "sorts": [(key, option.label) for key, option in SORTS.items()],
            "form": comment_form_for(request) if may_comment else None,
            "sign_in_to_comment": article.accepts_comments and not may_comment,
        },
        request=request,
    )
    structured_data = {"commentCount": article.comment_count}
    # Only the canonical page (no other sort or page) lists comments: those it shows.
    if openers is not None and {"sort", "page"}.isdisjoint(request.GET):
        structured_data["comment"] = [
            {
                "@type": "Comment",
                "text": opener["text"],
                "dateCreated": opener["created_at"],
                "author": {"@type": "Person", "name": opener["author"]},
                "url": request.build_absolute_uri(opener["path"]),
            }
            for opener in openers
        ]
    return Discussion(html, structured_data)


def _threads_page(roots, page_number):
    """The page of threads asked for (as Paginator.get_page() would choose it) and the ids
    of its top-level comments.

    One query: the total comes with the page's ids as a window count. Only
    a page number past the end, or a discussion with nothing to show, costs
    the paginator's own two.
    """
    per_page = settings.NEWSBOARD_THREADS_PER_PAGE
    paginator = Paginator(roots, per_page)
    try:
        number = int(page_number)
    except (TypeError, ValueError):
        number = 1
    if number >= 1:
        rows = list(
            roots.annotate(total=Window(Count("pk"))).values_list("pk", "total")[
                (number - 1) * per_page : number * per_page
            ]
        )
        if rows:
            paginator.count = rows[0][1]
            return paginator.page(number), [pk for pk, _total in rows]
    page = paginator.get_page(page_number)
    return page, list(page.object_list.values_list("pk", flat=True))


def _threads(request, article, viewer, sort, page_number):
    """(The threads' HTML, the approved comments that open them as plain data or None).

    The opening comments are given for the discussion's first page in the site's
    default sort, where they come first: the article's structured data lists them.
    """
    roots = Comment.objects.thread_roots(article, viewer).order_by(*SORTS[sort].threads)
    page, thread_ids = _threads_page(roots, page_number)
    rows = (
        Comment.objects.in_threads(thread_ids, SORTS[sort].replies).for_display()
        if thread_ids
        else []
    )
    attach_viewer_state(rows, viewer)
    openers = None
    if sort == settings.NEWSBOARD_DEFAULT_SORT and page.number == 1:
        shown = min(STRUCTURED_DATA_COMMENTS, settings.NEWSBOARD_THREADS_PER_PAGE)
        approved_roots = {c.pk: c for c in rows if c.parent_id is None and c.is_approved}
        in_page_order = [approved_roots[pk] for pk in thread_ids if pk in approved_roots]
        openers = [
            {
                "text": plain_text(comment.body_html),
                "created_at": comment.created_at,
                "author": str(comment.author_name),
                "path": comment.get_absolute_url(),
            }
            for comment in in_page_order[:shown]
        ]
    html = render_to_string(
        "comments/includes/threads.html",
        {
            "article": article,
            "nodes": display_nodes(
                rows,
                viewer,
                thread_order=thread_ids,
                max_per_thread=settings.NEWSBOARD_COMMENTS_PER_THREAD,
            ),
            "featured": list(
                article.comments.approved()
                .exclude(featured_at=None)
                .with_author()
                .order_by("-featured_at")[:FEATURED_SHOWN]
            ),
            "viewer": viewer,
            "page": page,
            "sort": sort,
        },
        request=request,
    )
    return html, openers


@register.simple_tag(takes_context=True)
def comment_tree(context, nodes):
    """The nodes as nested lists of comments, for the context's viewer and article."""
    return render_tree(
        nodes, viewer=context["viewer"], article=context["article"], request=context["request"]
    )


_blank_forms = ProcessCacheDict()


@register.filter
def crispy_blank_once(form):
    """The form's fields through crispy, rendered once per process while blank.

    An unbound form without initial values renders the same markup every
    time (the CSRF token is outside it), and on a busy article page crispy's
    templates cost as much as a hundred comments; so that markup is kept, per
    language and set of fields. Any other form is rendered as usual.
    """
    if form.is_bound or form.initial or settings.DEBUG:
        return as_crispy_form(form)
    key = (get_language(), type(form), tuple(form.fields))
    html = _blank_forms.get(key)
    if html is None:
        html = _blank_forms[key] = as_crispy_form(form)
    return html
