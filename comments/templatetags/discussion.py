from django import template
from django.conf import settings
from django.core.paginator import Paginator

from ..models import Comment
from ..threads import DEFAULT_SORT, SORTS, display_nodes
from ..views import comment_form_for

register = template.Library()


@register.inclusion_tag("comments/includes/discussion.html", takes_context=True)
def discussion(context, article):
    """An article's discussion: one page of threads, the sort switch and the form.

    A constant number of queries whatever the size of the discussion: count
    and page of the top-level comments, then one recursive query for every
    comment of those threads.
    """
    request = context["request"]
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    roots = (
        Comment.objects.thread_roots(article).order_by(*SORTS[sort][1]).values_list("pk", flat=True)
    )
    paginator = Paginator(roots, settings.NEWSBOARD_THREADS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    thread_ids = list(page.object_list)
    rows = Comment.objects.in_threads(thread_ids) if thread_ids else []
    return {
        "request": request,
        "user": context.get("user"),
        "article": article,
        "nodes": display_nodes(rows, thread_order=thread_ids),
        "page": page,
        "sort": sort,
        "sorts": [(key, label) for key, (label, _order) in SORTS.items()],
        "default_sort": DEFAULT_SORT,
        "form": comment_form_for(request) if article.accepts_comments else None,
    }
