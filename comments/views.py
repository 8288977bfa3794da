from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView

from articles.models import Article
from newsboard.http import client_ip

from . import email_links, moderation, notifications, posting, votes
from .forms import (
    CommentForm,
    EditCommentForm,
    FollowForm,
    ModerationForm,
    ReportForm,
    comment_form_for,
)
from .models import Comment
from .threads import display_nodes, sort_from, thread_page_number
from .viewers import attach_viewer_state, remember_guest, viewer_for

# Tags the message after a comment is posted or edited: our script then drops the draft
# it kept of the text (see static/js/newsboard/drafts.js).
POSTED = "comment-posted"


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


@require_POST
def post_comment(request, slug):
    """Post a comment or a reply.

    A rejected one comes back, text intact, with status 400 (429 when the
    author posts too fast). A held one is shown to its author only.
    """
    article = Article.objects.published_for_posting(slug)
    if article is None:
        raise Http404(_("This article is not available."))
    form = CommentForm(request.POST, user=request.user)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            comment, _created = posting.post_comment(
                article=article,
                body=data["body"],
                parent_id=data["parent"],
                user=request.user,
                guest_name=data.get("name", ""),
                guest_email=data.get("email", ""),
                ip_address=client_ip(request),
                honeypot_filled=bool(data["website"]),
                limit_rate=True,
                # only a reply asks who writes: to their own comment, held or not
                viewer=viewer_for(request) if data["parent"] else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
            if error.code == "rate_limited":
                status = 429
        else:
            if not request.user.is_authenticated and data["notify_replies"]:
                notifications.follow(None, email=comment.guest_email)
            if comment.is_approved:
                messages.success(request, _("Your comment was posted."), extra_tags=POSTED)
            else:
                messages.info(
                    request,
                    _(
                        "Thank you. Your comment is awaiting moderation: only you can see "
                        "it until a moderator approves it."
                    ),
                    extra_tags=POSTED,
                )
            response = HttpResponseSeeOther(comment.get_absolute_url())
            if not request.user.is_authenticated:
                remember_guest(response, request, data, comment)
            return response
    parent = _replied_comment(article, form)
    return render(
        request,
        "comments/comment_form.html",
        {
            "article": article,
            "form": form,
            "parent": parent,
            "parent_visible": parent is not None and viewer_for(request).can_see(parent),
        },
        status=status,
    )


def reply(request, pk):
    """The page with the reply form under the quoted comment (no JavaScript needed)."""
    parent = get_object_or_404(
        Comment.objects.select_related("article", "user").filter(
            article__in=Article.objects.published()
        ),
        pk=pk,
    )
    if not viewer_for(request).can_see(parent):
        raise Http404(_("This comment is not available."))
    form = comment_form_for(request, initial={"parent": parent.pk})
    return render(
        request,
        "comments/comment_form.html",
        {"article": parent.article, "form": form, "parent": parent, "parent_visible": True},
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
        viewer = viewer_for(self.request)
        thread = Comment.objects.in_threads([comment.thread_id]).for_display()
        subtree = _subtree(thread, comment.pk)
        nodes = (
            display_nodes(
                attach_viewer_state(subtree, viewer), viewer, base_depth=subtree[0].tree_depth
            )
            if subtree
            else []
        )
        if not nodes or nodes[0].comment.pk != comment.pk:
            raise Http404(_("This comment is not available."))
        parents = {c.pk: c.parent_id for c in thread}
        path = [comment.pk]  # from the thread's top-level comment down to this one
        while parents[path[0]] is not None:
            path.insert(0, parents[path[0]])
        ancestor_ids = path[:-1][-self.context_ancestors :]
        related = {
            c.pk: c
            for c in Comment.objects.filter(
                pk__in=[*ancestor_ids, comment.thread_id]
            ).select_related("user")
        }
        root = related[comment.thread_id]
        page = thread_page_number(root, viewer, sort_from(None))
        discussion_url = reverse("articles:detail", kwargs={"slug": comment.article.slug})
        if page > 1:
            discussion_url += f"?page={page}"
        return super().get_context_data(
            nodes=nodes,
            ancestors=[related[pk] for pk in ancestor_ids],
            more_ancestors=len(path) - 1 > self.context_ancestors,
            article=comment.article,
            viewer=viewer,
            discussion_url=f"{discussion_url}#comment-{comment.pk}",
            **kwargs,
        )


def _subtree(thread, pk):
    """The comment with this pk and its replies at any depth, from a thread in tree order
    (for_display); empty when the thread does not hold it."""
    start = next((index for index, comment in enumerate(thread) if comment.pk == pk), None)
    if start is None:
        return []
    end = start + 1
    while end < len(thread) and thread[end].tree_depth > thread[start].tree_depth:
        end += 1
    return thread[start:end]


def edit(request, pk):
    """The author edits their comment within the edit window; a refusal keeps the new text."""
    comment = get_object_or_404(_comments_on_published_articles(), pk=pk)
    viewer = viewer_for(request)
    if not viewer.owns(comment):
        raise PermissionDenied(_("Only its author can edit this comment."))
    form = EditCommentForm(request.POST or None, initial={"body": comment.body})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                posting.edit_comment(comment, viewer, form.cleaned_data["body"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if comment.is_approved:
                    messages.success(request, _("Your comment was updated."), extra_tags=POSTED)
                else:
                    messages.info(
                        request,
                        _("Your comment was updated and awaits moderation."),
                        extra_tags=POSTED,
                    )
                return HttpResponseSeeOther(comment.get_absolute_url())
    return render(
        request,
        "comments/edit_form.html",
        {
            "comment": comment,
            "article": comment.article,
            "form": form,
            "edit_window_minutes": settings.NEWSBOARD_EDIT_WINDOW_MINUTES,
        },
        status=status,
    )


def delete(request, pk):
    """The author deletes their comment, after a confirmation page."""
    comment = get_object_or_404(_comments_on_published_articles(), pk=pk)
    viewer = viewer_for(request)
    if not viewer.owns(comment) or comment.status == Comment.Status.DELETED:
        raise PermissionDenied(_("Only its author can delete this comment."))
    if request.method == "POST":
        posting.delete_own_comment(comment, viewer)
        messages.success(request, _("Your comment was deleted."))
        return HttpResponseSeeOther(f"{comment.article.get_absolute_url()}#comments")
    return render(
        request, "comments/delete_confirm.html", {"comment": comment, "article": comment.article}
    )


def _comments_on_published_articles():
    return Comment.objects.select_related("article", "user").filter(
        article__in=Article.objects.published()
    )


@csrf_exempt  # mail clients POST here without a form (RFC 8058); the signed token is the key
def unsubscribe(request, token):
    """One-click unsubscribe from a signed link: a page with one button, or a direct POST
    from a mail client (List-Unsubscribe-Post)."""
    unsigned = email_links.read_unsubscribe_token(token)
    if unsigned is None:
        return render(request, "comments/unsubscribe.html", {"invalid": True}, status=400)
    email, scope = unsigned
    if request.method == "POST":
        notifications.unsubscribe(email, scope)
        return render(request, "comments/unsubscribe.html", {"done": True, "email": email})
    return render(request, "comments/unsubscribe.html", {"email": email, "scope": scope})


def confirm_follow(request, token):
    """A guest confirms the address they want comment e-mail at (a button, not the GET:
    mail scanners open links)."""
    if request.method == "POST":
        entry = notifications.confirm(token)
        if entry is None:
            return render(request, "comments/confirm_follow.html", {"invalid": True}, status=400)
        return render(request, "comments/confirm_follow.html", {"done": True, "follow": entry})
    return render(request, "comments/confirm_follow.html", {})


def follow(request, slug):
    """Follow an article's discussion by e-mail: members at once, guests after confirming."""
    article = get_object_or_404(Article.objects.published(), slug=slug)
    user = request.user if request.user.is_authenticated else None
    following = user is not None and article.follows.filter(user=user).exists()
    form = FollowForm(request.POST or None) if user is None else None
    if request.method == "POST":
        if user is not None:
            if following:
                notifications.unfollow(article, user)
                messages.success(request, _("You no longer follow this discussion."))
            else:
                notifications.follow(article, user=user)
                messages.success(request, _("You will get an e-mail about new comments here."))
            return HttpResponseSeeOther(f"{article.get_absolute_url()}#comments")
        if form.is_valid():
            notifications.follow(article, email=form.cleaned_data["email"])
            messages.info(
                request,
                _("Almost done: we sent you an e-mail. Follow its link to confirm your address."),
            )
            return HttpResponseSeeOther(f"{article.get_absolute_url()}#comments")
    return render(
        request,
        "comments/follow.html",
        {"article": article, "form": form, "following": following},
        status=400 if form is not None and form.errors else 200,
    )


@require_safe
def new_comments(request, slug):
    """How many comments were approved on an article since a moment: polled by our script
    on an open article page, one indexed count."""
    article = get_object_or_404(Article.objects.published().only("pk"), slug=slug)
    try:
        since = parse_datetime(request.GET.get("since", ""))
    except ValueError:  # well formed but impossible, such as month 13
        since = None
    if since is None or timezone.is_naive(since):
        message = _("“since” must be a date and time with a zone.")
        return JsonResponse({"error": message}, status=400)
    count = article.comments.approved().filter(created_at__gt=since).count()
    return JsonResponse({"count": count})


VOTE_VALUES = {"up": 1, "down": -1, "clear": 0}


@require_POST
def vote(request, pk):
    """Vote a comment up or down, or withdraw the vote.

    Answers a form with a redirect back to the comment, and our script
    (Accept: application/json) with the new counts.
    """
    comment = get_object_or_404(
        Comment.objects.filter(article__in=Article.objects.published()), pk=pk
    )
    wants_json = "application/json" in request.headers.get("Accept", "")
    if not request.user.is_authenticated:
        if wants_json:
            return JsonResponse({"error": _("Please sign in to vote.")}, status=403)
        return redirect_to_login(_back_to(request, comment))
    try:
        up, down = votes.vote(comment, request.user, VOTE_VALUES.get(request.POST.get("value")))
    except ValidationError as error:
        if wants_json:
            return JsonResponse({"error": error.messages[0]}, status=400)
        messages.error(request, error.messages[0])
        return HttpResponseSeeOther(_back_to(request, comment))
    if wants_json:
        return JsonResponse({"up": up, "down": down, "vote": VOTE_VALUES[request.POST["value"]]})
    return HttpResponseSeeOther(_back_to(request, comment))


@require_safe
def sign_in_to_vote(request, pk):
    """Where a reader without an account lands from a comment's vote counts: the sign-in
    page, which brings them back to the comment, whose vote buttons they can then press.

    A short link of each comment's own, rather than the sign-in page's address
    with the article's, written out on every comment of a page.
    """
    comment = get_object_or_404(
        Comment.objects.select_related("article").filter(
            article__in=Article.objects.published(), status=Comment.Status.APPROVED
        ),
        pk=pk,
    )
    in_discussion = f"{comment.article.get_absolute_url()}#comment-{comment.pk}"
    if request.user.is_authenticated:
        return HttpResponseRedirect(in_discussion)
    return redirect_to_login(in_discussion)


def report(request, pk):
    """Report a comment to the moderators: a form page, so it works without JavaScript.

    Our script sends the same form in the background (Accept: application/json)
    and gets the message, or the first error, as JSON.
    """
    comment = get_object_or_404(
        Comment.objects.select_related("article", "user").filter(
            article__in=Article.objects.published(), status=Comment.Status.APPROVED
        ),
        pk=pk,
    )
    form = ReportForm(request.POST if request.method == "POST" else None)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if request.method == "POST" and form.is_valid():
        if not request.session.session_key:
            request.session.save()  # a guest's reports are told apart by their session
        reported = moderation.report_comment(
            comment,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            user=request.user,
            session_key=request.session.session_key,
            ip_address=client_ip(request),
        )
        if reported:
            message = _("Thank you. The moderators will look at this comment.")
        else:
            message = _("You have already reported this comment. Thank you.")
        if wants_json:
            return JsonResponse({"message": message})
        messages.add_message(request, messages.SUCCESS if reported else messages.INFO, message)
        return HttpResponseSeeOther(comment.get_absolute_url())
    if request.method == "POST" and wants_json:
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        return JsonResponse({"error": " ".join(errors)}, status=400)
    return render(
        request,
        "comments/report_form.html",
        {"comment": comment, "article": comment.article, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required("comments.moderate_comment", raise_exception=True)
def moderate(request, pk):
    """A moderator's decision from the buttons next to a comment on the public page."""
    comment = get_object_or_404(Comment, pk=pk)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return HttpResponseSeeOther(_back_to(request, comment))
    data = form.cleaned_data
    decision = data["decision"]
    selected = Comment.objects.filter(pk=comment.pk)
    if decision in ("feature", "unfeature"):
        moderation.set_featured(selected, decision == "feature", by=request.user)
    else:
        moderation.set_status(
            selected,
            ModerationForm.DECISIONS[decision],
            by=request.user,
            removal_reason=data["removal_reason"] if decision == "remove" else "",
            removal_note=data["removal_note"] if decision == "remove" else "",
        )
    messages.success(request, _("Done: %(decision)s.") % {"decision": DECISION_LABELS[decision]})
    return HttpResponseSeeOther(_back_to(request, comment))


DECISION_LABELS = {
    "approve": gettext_lazy("approved"),
    "remove": gettext_lazy("removed"),
    "spam": gettext_lazy("marked as spam"),
    "feature": gettext_lazy("featured"),
    "unfeature": gettext_lazy("no longer featured"),
}


def _back_to(request, comment):
    """Where the moderator came from, if it is on this site; else the comment's page."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return f"{target}#comment-{comment.pk}"
    return comment.get_absolute_url()


def _replied_comment(article, form):
    parent_id = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None
    if not parent_id:
        return None
    return Comment.objects.filter(pk=parent_id, article=article).select_related("user").first()
