from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import RedirectURLMixin, redirect_to_login
from django.contrib.messages.views import SuccessMessageMixin
from django.core import signing
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, UpdateView

from .confirmation import account_for_token, confirmation_failed, send_confirmation_link
from .forms import AccountSettingsForm, SignupForm
from .models import User


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


@require_POST
def resend_confirmation(request):
    """Send a new confirmation link, at most once per NEWSBOARD_EMAIL_CONFIRMATION_RESEND_MINUTES.

    The account is the one an expired link was made for (the link still proves
    the address, so no sign-in is needed), or else the signed-in member's.
    """
    token = request.POST.get("token")
    if token:
        try:
            user = account_for_token(token)
        except (signing.BadSignature, User.DoesNotExist):
            return confirmation_failed(request)
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
