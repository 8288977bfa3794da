from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from articles.models import Article

from . import workflows
from .forms import CommentForm
from .models import Comment
from .threads import display_nodes, thread_page_number

GUEST_SESSION_KEY = "comments_guest"


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def comment_form_for(request, **kwargs):
    """A blank comment form, with a returning guest's name and email filled in."""
    initial = kwargs.pop("initial", {})
    if not request.user.is_authenticated:
        initial = {**request.session.get(GUEST_SESSION_KEY, {}), **initial}
    return CommentForm(user=request.user, initial=initial, **kwargs)


@require_POST
def post_comment(request, slug):
    """Post a comment or a reply. A rejected one comes back, text intact, with status 400."""
    article = get_object_or_404(Article.objects.published(), slug=slug)
    form = CommentForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            comment, _created = workflows.post_comment(
                article=article,
                body=data["body"],
                parent_id=data["parent"],
                user=request.user,
                guest_name=data.get("name", ""),
                guest_email=data.get("email", ""),
                ip_address=request.META.get("REMOTE_ADDR"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not request.user.is_authenticated:
                request.session[GUEST_SESSION_KEY] = {"name": data["name"], "email": data["email"]}
            messages.success(request, _("Your comment was posted."))
            return HttpResponseSeeOther(comment.get_absolute_url())
    parent = _replied_comment(article, form)
    return render(
        request,
        "comments/comment_form.html",
        {"article": article, "form": form, "parent": parent},
        status=400,
    )


def reply(request, pk):
    """The page with the reply form under the quoted comment (no JavaScript needed)."""
    parent = get_object_or_404(
        Comment.objects.select_related("article", "user").filter(
            article__in=Article.objects.published()
        ),
        pk=pk,
    )
    if not parent.is_approved:
        raise Http404(_("This comment is not available."))
    form = comment_form_for(request, initial={"parent": parent.pk})
    return render(
        request,
        "comments/comment_form.html",
        {"article": parent.article, "form": form, "parent": parent},
    )


class CommentDetailView(DetailView):
    """A comment's own page: up to three ancestors for context, then its whole subtree."""

    context_ancestors = 3

    def get_queryset(self):
        return Comment.objects.select_related("article", "user").filter(
            article__in=Article.objects.published()
        )

    def get_context_data(self, **kwargs):
        comment = self.object
        subtree = list(
            Comment.objects.in_threads([comment.thread_id]).filter(tree_path__contains=comment.pk)
        )
        nodes = display_nodes(subtree, base_depth=subtree[0].tree_depth)
        if not nodes or nodes[0].comment.pk != comment.pk:
            raise Http404(_("This comment is not available."))
        path = subtree[0].tree_path  # from the thread's top-level comment down to this one
        ancestor_ids = path[:-1][-self.context_ancestors :]
        related = {
            c.pk: c
            for c in Comment.objects.filter(
                pk__in=[*ancestor_ids, comment.thread_id]
            ).select_related("user")
        }
        root = related[comment.thread_id]
        page = thread_page_number(root)
        discussion_url = reverse("articles:detail", kwargs={"slug": comment.article.slug})
        if page > 1:
            discussion_url += f"?page={page}"
        return super().get_context_data(
            nodes=nodes,
            ancestors=[related[pk] for pk in ancestor_ids],
            more_ancestors=len(path) - 1 > self.context_ancestors,
            article=comment.article,
            discussion_url=f"{discussion_url}#comment-{comment.pk}",
            **kwargs,
        )


def _replied_comment(article, form):
    parent_id = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None
    if not parent_id:
        return None
    return Comment.objects.filter(pk=parent_id, article=article).select_related("user").first()
