import sys

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .middleware import DATABASE_ERRORS, database_unavailable_response


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


def server_error(request):
    """The 500 handler: a database outage found after the view (while saving the
    session, say) is still a 503 with a retry hint; anything else is Django's 500 page."""
    if isinstance(sys.exception(), DATABASE_ERRORS):
        return database_unavailable_response()
    return defaults.server_error(request)
