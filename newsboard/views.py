from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import UpdateView


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


class ModerationEmailsView(PermissionRequiredMixin, SuccessMessageMixin, UpdateView):
    """Where a moderator chooses whether to be e-mailed about reported comments."""

    permission_required = "comments.moderate_comment"
    fields = ["moderation_emails"]
    template_name = "registration/moderation_emails.html"
    success_url = reverse_lazy("moderation_emails")
    success_message = _("Your e-mail preference was saved.")

    def get_object(self, queryset=None):
        return self.request.user
