import secrets

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import template
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ..models import Comment
from ..threads import SORTS, display_nodes, render_tree, sort_from
from ..views import attach_viewer_state, comment_form_for, viewer_for

register = template.Library()

FEATURED_SHOWN = 5
CACHE_SECONDS = 24 * 60 * 60
# Where the threads go in the rendered page (fill_threads_slot). Random per process, so
# no text on the page can be mistaken for it.
THREADS_SLOT = f"<!--threads {secrets.token_hex(8)}-->"


@register.simple_tag(takes_context=True)
def discussion(context, article):
    """An article's discussion: the sort switch, the form and one page of threads.

    The threads take a constant number of queries whatever the size of the
    discussion: the featured comments, count and page of the top-level
    comments, then one indexed read of every comment of those threads.
    For readers without a session (who see exactly what everyone sees) the
    rendered threads come from the cache, keyed by the article's changed_at,
    which every visible change to the article or its discussion moves on: no query.

    The threads themselves are put in a slot that the view fills once the page
    is rendered (fill_threads_slot): a discussion shown whole may run to
    megabytes, which every enclosing template would otherwise copy again.
    """
    request = context["request"]
    viewer = viewer_for(request)
    sort = sort_from(request.GET.get("sort"))
    page_number = request.GET.get("page", "1")
    if viewer.sees_only_public and page_number.isdigit() and len(page_number) < 6:
        changed_at, accepts_comments = article.public_version
        version = f"{changed_at.timestamp()}:{accepts_comments:d}"
        key = f"discussion:{article.pk}:{version}:{sort}:{page_number}:{get_language()}"
        threads_html = cache.get(key)
        if threads_html is None:
            threads_html = _threads_html(request, article, viewer, sort, page_number)
            cache.set(key, threads_html, CACHE_SECONDS)
    else:
        threads_html = _threads_html(request, article, viewer, sort, page_number)
    request.discussion_threads = threads_html
    may_comment = article.accepts_comments and (
        request.user.is_authenticated or settings.NEWSBOARD_ALLOW_GUESTS
    )
    return render_to_string(
        "comments/includes/discussion.html",
        {
            "article": article,
            "threads_html": mark_safe(THREADS_SLOT),
            "sort": sort,
            "sorts": [(key, option.label) for key, option in SORTS.items()],
            "form": comment_form_for(request) if may_comment else None,
            "sign_in_to_comment": article.accepts_comments and not may_comment,
        },
        request=request,
    )


def fill_threads_slot(request, response):
    """Put the threads that the discussion tag rendered for this request in their slot.

    They are taken off the request: a request outlives its response in a
    reference cycle (through its messages) until the garbage collector's rare
    full pass, and should not keep megabytes of page alive meanwhile.
    """
    threads = vars(request).pop("discussion_threads", None)
    if threads is None:
        return
    before, slot, after = response.content.partition(THREADS_SLOT.encode())
    if slot:
        response.content = b"".join((before, threads.encode(response.charset), after))


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


def _threads_html(request, article, viewer, sort, page_number):
    roots = Comment.objects.thread_roots(article, viewer).order_by(*SORTS[sort].threads)
    page, thread_ids = _threads_page(roots, page_number)
    rows = (
        Comment.objects.in_threads(thread_ids, SORTS[sort].replies).for_display()
        if thread_ids
        else []
    )
    attach_viewer_state(rows, viewer)
    if sort == settings.NEWSBOARD_DEFAULT_SORT and page.number == 1:
        # for the article's structured data, which lists them (articles.views)
        openers = {c.pk: c for c in rows if c.parent_id is None and c.is_approved}
        request.discussion_openers = [openers[pk] for pk in thread_ids if pk in openers]
    return render_to_string(
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


@register.simple_tag(takes_context=True)
def comment_tree(context, nodes):
    """The nodes as nested lists of comments, for the context's viewer and article."""
    return render_tree(
        nodes, viewer=context["viewer"], article=context["article"], request=context["request"]
    )


_blank_forms = {}


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
