"""The account pages that are about a member's comments, at /accounts/ and /users/.

The accounts app (newsboard.accounts) knows nothing of comments. Where an
account's page confirms, shows, exports or erases comments, or forgets the
comments a guest posted from this browser, the page is this app's.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import LogoutView
from django.core import signing
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, resolve_url
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_safe
from django.views.generic import FormView, ListView

from articles.models import Article
from newsboard.accounts.confirmation import account_for_token, confirmation_failed

from . import erasure, moderation
from .forms import DeleteAccountForm
from .models import Comment, Vote
from .viewers import forget_guest


@require_safe
def confirm_email(request, token):
    """Where the link in the confirmation e-mail leads: the address is confirmed, and the
    comments held only for it are published."""
    max_age = timedelta(days=settings.NEWSBOARD_EMAIL_CONFIRMATION_DAYS)
    try:
        user = account_for_token(token, max_age=max_age)
    except signing.SignatureExpired:
        return confirmation_failed(request, expired_token=token)
    except (signing.BadSignature, get_user_model().DoesNotExist):
        return confirmation_failed(request)
    if user.email_verified_at:
        messages.info(request, _("Your email address was already confirmed."))
    else:
        moderation.email_confirmed(user)
        messages.success(
            request,
            _("Thank you: %(email)s is confirmed. Your waiting comments are now published.")
            % {"email": user.email},
        )
    if request.user.pk == user.pk:
        return redirect("account_settings")
    return redirect(settings.LOGIN_REDIRECT_URL)


class ProfileView(ListView):
    """A member's public page: name, member since, and their published comments, newest first."""

    template_name = "accounts/profile.html"
    context_object_name = "comments"

    def get_paginate_by(self, queryset):
        return settings.NEWSBOARD_PROFILE_COMMENTS_PER_PAGE

    def get_queryset(self):
        self.member = get_object_or_404(
            get_user_model(), username=self.kwargs["username"], is_active=True
        )
        return (
            Comment.objects.approved()
            .filter(user=self.member, article__in=Article.objects.published())
            .select_related("article")
            .order_by("-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.member, **kwargs)


class SignOutView(LogoutView):
    """Django's sign-out, which ends the session, and forgets too what the reader left
    here as a guest: the next person at this browser finds neither."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        forget_guest(response)
        return response


@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class DeleteAccountView(LoginRequiredMixin, FormView):
    """A member deletes their account, keeping their comments anonymously or removing them."""

    form_class = DeleteAccountForm
    template_name = "accounts/delete_account.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_success_url(self):
        return resolve_url(settings.LOGOUT_REDIRECT_URL)

    def form_valid(self, form):
        user = self.request.user
        with transaction.atomic():
            erasure.erase_author(user, remove_comments=form.remove_comments)
            user.delete()
        logout(self.request)
        messages.success(self.request, _("Your account was deleted. Goodbye, and thank you."))
        response = super().form_valid(form)
        forget_guest(response)
        return response


@login_required
@require_safe
def account_data(request):
    """Everything the site keeps about the signed-in member, as a JSON file to download."""
    user = request.user
    comments = (
        Comment.objects.filter(user=user).select_related("article").order_by("created_at", "pk")
    )
    votes = Vote.objects.filter(user=user).order_by("created_at", "pk")
    data = {
        "account": {
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "email_verified_at": user.email_verified_at,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "notify_replies": user.notify_replies,
            "moderation_emails": user.moderation_emails,
            "banned_at": user.banned_at,
            "suspended_until": user.suspended_until,
        },
        "comments": [
            {
                "id": comment.pk,
                "url": request.build_absolute_uri(comment.get_absolute_url()),
                "article": {
                    "headline": comment.article.headline,
                    "url": request.build_absolute_uri(comment.article.get_absolute_url()),
                },
                "parent_id": comment.parent_id,
                "body": comment.body,
                "status": comment.status,
                "created_at": comment.created_at,
                "edited_at": comment.edited_at,
                "upvotes": comment.upvotes,
                "downvotes": comment.downvotes,
            }
            for comment in comments
        ],
        "votes": [
            {"comment_id": vote.comment_id, "value": vote.value, "created_at": vote.created_at}
            for vote in votes
        ],
        "exported_at": timezone.now(),
    }
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = content_disposition_header(
        True, f"newsboard-{user.username}.json"
    )
    return response
