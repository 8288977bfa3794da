import sys
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import LogoutView, RedirectURLMixin, redirect_to_login
from django.contrib.messages.views import SuccessMessageMixin
from django.core import signing
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import CreateView, FormView, ListView, UpdateView

from articles.models import Article
from comments import workflows
from comments.models import Comment, Vote
from comments.viewers import forget_guest

from . import tasks
from .forms import AccountSettingsForm, DeleteAccountForm, SignupForm
from .middleware import DATABASE_ERRORS, database_unavailable_response
from .models import EMAIL_CONFIRMATION_SALT, User


@never_cache
@require_safe
def healthz(request):
    """For load balancers and uptime checks: 200 when the database answers, 503 when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


def send_confirmation_link(user, *, unless_sent_since=None):
    """E-mail the account a link that confirms its address, in the background after commit.

    With unless_sent_since, nothing is sent when a link already went out after
    that moment. The check and the record are one UPDATE, so two requests at
    once send one link. Returns whether a link is sent.
    """
    account = User.objects.filter(pk=user.pk)
    if unless_sent_since is not None:
        account = account.filter(
            Q(email_confirmation_sent_at=None) | Q(email_confirmation_sent_at__lt=unless_sent_since)
        )
    if not account.update(email_confirmation_sent_at=timezone.now()):
        return False
    transaction.on_commit(partial(tasks.send_email_confirmation.enqueue, user.pk))
    return True


@method_decorator(sensitive_post_parameters("password1", "password2"), name="dispatch")
class SignupView(RedirectURLMixin, CreateView):
    """A new reader's account: signed in at once, with a link to confirm the address."""

    form_class = SignupForm
    template_name = "registration/signup.html"

    def get_default_redirect_url(self):
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def form_valid(self, form):
        with transaction.atomic():
            user = form.save()
            send_confirmation_link(user)
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            self.request,
            _(
                "Welcome, %(name)s! We sent a link to %(email)s: follow it to confirm your "
                "address. Until then your comments wait for a moderator."
            )
            % {"name": user.public_name, "email": user.email},
        )
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **{self.redirect_field_name: self.get_redirect_url()}, **kwargs
        )


def _account_for_token(token, *, max_age=None):
    """The active account a confirmation link was made for, while it still has that address.

    Raises signing.SignatureExpired for an authentic link older than max_age,
    signing.BadSignature for a link this site did not make, and
    User.DoesNotExist when the account or its address has gone.
    """
    claim = signing.loads(token, salt=EMAIL_CONFIRMATION_SALT, max_age=max_age)
    return User.objects.get(pk=claim["user"], email__iexact=claim["email"], is_active=True)


def _confirmation_failed(request, *, expired_token=None):
    return render(
        request,
        "accounts/confirm_email_failed.html",
        {"expired_token": expired_token, "days": settings.NEWSBOARD_EMAIL_CONFIRMATION_DAYS},
        status=400,
    )


@require_safe
def confirm_email(request, token):
    """Where the link in the confirmation e-mail leads: the address is confirmed, and the
    comments held only for it are published."""
    max_age = timedelta(days=settings.NEWSBOARD_EMAIL_CONFIRMATION_DAYS)
    try:
        user = _account_for_token(token, max_age=max_age)
    except signing.SignatureExpired:
        return _confirmation_failed(request, expired_token=token)
    except (signing.BadSignature, User.DoesNotExist):
        return _confirmation_failed(request)
    if user.email_verified_at:
        messages.info(request, _("Your email address was already confirmed."))
    else:
        workflows.email_confirmed(user)
        messages.success(
            request,
            _("Thank you: %(email)s is confirmed. Your waiting comments are now published.")
            % {"email": user.email},
        )
    if request.user.pk == user.pk:
        return redirect("account_settings")
    return redirect(settings.LOGIN_REDIRECT_URL)


@require_POST
def resend_confirmation(request):
    """Send a new confirmation link, at most once per NEWSBOARD_EMAIL_CONFIRMATION_RESEND_MINUTES.

    The account is the one an expired link was made for (the link still proves
    the address, so no sign-in is needed), or else the signed-in member's.
    """
    token = request.POST.get("token")
    if token:
        try:
            user = _account_for_token(token)
        except (signing.BadSignature, User.DoesNotExist):
            return _confirmation_failed(request)
    elif request.user.is_authenticated:
        user = request.user
    else:
        return redirect_to_login(reverse("account_settings"))
    context = {"email": user.email, "minutes": settings.NEWSBOARD_EMAIL_CONFIRMATION_RESEND_MINUTES}
    if user.email_verified_at:
        return render(request, "accounts/confirmation_sent.html", {**context, "confirmed": True})
    wait = timedelta(minutes=settings.NEWSBOARD_EMAIL_CONFIRMATION_RESEND_MINUTES)
    with transaction.atomic():
        sent = send_confirmation_link(user, unless_sent_since=timezone.now() - wait)
    return render(
        request,
        "accounts/confirmation_sent.html",
        {**context, "sent": sent, "days": settings.NEWSBOARD_EMAIL_CONFIRMATION_DAYS},
        status=200 if sent else 429,
    )


def locked_out(request, original_response, credentials):
    """What django-axes answers, with status 429, to sign-ins after too many failures.

    django-axes also passes the response it replaces and the credentials; the
    page needs neither.
    """
    minutes = settings.AXES_COOLOFF_TIME // timedelta(minutes=1)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


class ProfileView(ListView):
    """A member's public page: name, member since, and their published comments, newest first."""

    template_name = "accounts/profile.html"
    context_object_name = "comments"

    def get_paginate_by(self, queryset):
        return settings.NEWSBOARD_PROFILE_COMMENTS_PER_PAGE

    def get_queryset(self):
        self.member = get_object_or_404(User, username=self.kwargs["username"], is_active=True)
        return (
            Comment.objects.approved()
            .filter(user=self.member, article__in=Article.objects.published())
            .select_related("article")
            .order_by("-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.member, **kwargs)


@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class AccountSettingsView(LoginRequiredMixin, SuccessMessageMixin, UpdateView):
    """A member's name, address and e-mail preferences; moderators' report e-mails too."""

    form_class = AccountSettingsForm
    template_name = "accounts/settings.html"
    success_url = reverse_lazy("account_settings")
    success_message = gettext_lazy("Your settings were saved.")

    def get_object(self, queryset=None):
        # A copy of the account, so the page header keeps the saved name while the form
        # shows an error.
        return User.objects.get(pk=self.request.user.pk)

    def form_valid(self, form):
        with transaction.atomic():
            if form.email_changed:
                form.instance.email_verified_at = None
            response = super().form_valid(form)
            if form.email_changed:
                send_confirmation_link(self.object)
                messages.info(
                    self.request,
                    _(
                        "We sent a link to %(email)s: follow it to confirm your new address. "
                        "Until then your comments wait for a moderator."
                    )
                    % {"email": self.object.email},
                )
        return response


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

    def get_success_url(self):
        return resolve_url(settings.LOGOUT_REDIRECT_URL)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        user = self.request.user
        with transaction.atomic():
            workflows.erase_author(user, remove_comments=form.remove_comments)
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


def server_error(request):
    """The 500 handler: a database outage found after the view (while saving the
    session, say) is still a 503 with a retry hint; anything else is Django's 500 page."""
    if isinstance(sys.exception(), DATABASE_ERRORS):
        return database_unavailable_response()
    return defaults.server_error(request)
