from django import template
from django.conf import settings
from django.core.paginator import Paginator

from .. import workflows
from ..models import Comment
from ..threads import DEFAULT_SORT, SORTS, display_nodes
from ..views import comment_form_for, viewer_for

register = template.Library()

FEATURED_SHOWN = 5


@register.inclusion_tag("comments/includes/discussion.html", takes_context=True)
def discussion(context, article):
    """An article's discussion: one page of threads, the sort switch and the form.

    A constant number of queries whatever the size of the discussion: the
    featured comments, count and page of the top-level comments, then one
    recursive query for every comment of those threads.
    """
    request = context["request"]
    viewer = viewer_for(request)
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    roots = (
        Comment.objects.thread_roots(article, viewer)
        .order_by(*SORTS[sort][1])
        .values_list("pk", flat=True)
    )
    paginator = Paginator(roots, settings.NEWSBOARD_THREADS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    thread_ids = list(page.object_list)
    rows = Comment.objects.in_threads(thread_ids) if thread_ids else []
    return {
        "request": request,
        "user": context.get("user"),
        "article": article,
        "nodes": display_nodes(rows, viewer, thread_order=thread_ids),
        "featured": list(
            article.comments.approved()
            .exclude(featured_at=None)
            .select_related("user")
            .order_by("-featured_at")[:FEATURED_SHOWN]
        ),
        "viewer": viewer,
        "removal_reasons": Comment.RemovalReason.choices,
        "page": page,
        "sort": sort,
        "sorts": [(key, label) for key, (label, _order) in SORTS.items()],
        "default_sort": DEFAULT_SORT,
        "form": comment_form_for(request) if article.accepts_comments else None,
    }


@register.filter
def join_holds(held_for):
    """Why the rules held a comment, as one line for moderators."""
    return workflows.describe_holds(held_for)
