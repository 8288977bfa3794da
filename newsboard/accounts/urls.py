"""Sign-up, the address's confirmation and a member's settings, under /accounts/.

No app_name: these names sit beside those of django.contrib.auth.urls ("login",
"logout", "password_reset"...), which Django's own views and templates reverse
without a namespace, and which newsboard/urls.py includes under the same prefix.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("signup/", views.SignupView.as_view(), name="signup"),
    path("confirm-email/resend/", views.resend_confirmation, name="resend_confirmation"),
    path("settings/", views.AccountSettingsView.as_view(), name="account_settings"),
]
