from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve

from articles.sitemaps import SITEMAPS

from . import views

urlpatterns = [
    path("", include("articles.urls")),
    path("", include("comments.urls")),
    path("accounts/signup/", views.SignupView.as_view(), name="signup"),
    path("accounts/confirm-email/resend/", views.resend_confirmation, name="resend_confirmation"),
    path("accounts/confirm-email/<str:token>/", views.confirm_email, name="confirm_email"),
    path("accounts/settings/", views.AccountSettingsView.as_view(), name="account_settings"),
    path("accounts/delete/", views.DeleteAccountView.as_view(), name="delete_account"),
    path("accounts/data.json", views.account_data, name="account_data"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("users/<str:username>/", views.ProfileView.as_view(), name="profile"),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]

if settings.SERVE_MEDIA:
    # Uploaded images, when no web server in front of the app serves MEDIA_ROOT.
    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns.append(
        re_path(rf"^{media_prefix}/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

handler500 = "newsboard.views.server_error"
