"""The account pages about a member's comments (see account_views).

No app_name: they keep the names they share with the accounts app and with
django.contrib.auth.urls ("logout" replaces Django's own sign-out, which
Django's views and templates reverse without a namespace).
"""

from django.urls import path

from . import account_views

urlpatterns = [
    path("accounts/confirm-email/<str:token>/", account_views.confirm_email, name="confirm_email"),
    path("accounts/delete/", account_views.DeleteAccountView.as_view(), name="delete_account"),
    path("accounts/data.json", account_views.account_data, name="account_data"),
    path("accounts/logout/", account_views.SignOutView.as_view(), name="logout"),
    path("users/<str:username>/", account_views.ProfileView.as_view(), name="profile"),
]
