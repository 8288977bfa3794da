from django import template
from django.conf import settings
from django.core.paginator import Paginator

from .. import workflows
from ..models import Comment
from ..threads import SORTS, display_nodes, sort_from
from ..views import attach_viewer_state, comment_form_for, viewer_for

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
    may_comment = article.accepts_comments and (
        request.user.is_authenticated or settings.NEWSBOARD_ALLOW_GUESTS
    )
    sort = sort_from(request.GET.get("sort"))
    roots = (
        Comment.objects.thread_roots(article, viewer)
        .order_by(*SORTS[sort].threads)
        .values_list("pk", flat=True)
    )
    paginator = Paginator(roots, settings.NEWSBOARD_THREADS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    thread_ids = list(page.object_list)
    rows = list(Comment.objects.in_threads(thread_ids, SORTS[sort].replies)) if thread_ids else []
    attach_viewer_state(rows, viewer)
    return {
        "request": request,
        "user": context.get("user"),
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
            .select_related("user")
            .order_by("-featured_at")[:FEATURED_SHOWN]
        ),
        "viewer": viewer,
        "removal_reasons": Comment.RemovalReason.choices,
        "page": page,
        "sort": sort,
        "sorts": [(key, option.label) for key, option in SORTS.items()],
        "form": comment_form_for(request) if may_comment else None,
        "sign_in_to_comment": article.accepts_comments and not may_comment,
    }


@register.filter
def join_holds(held_for):
    """Why the rules held a comment, as one line for moderators."""
    return workflows.describe_holds(held_for)
