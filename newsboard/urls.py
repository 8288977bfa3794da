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
    # In this order: the accounts app's "confirm-email/resend/" before the comments app's
    # "confirm-email/<token>/", and the comments app's "logout" before Django's own.
    path("accounts/", include("newsboard.accounts.urls")),
    path("", include("comments.account_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
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
