from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable_response():
    """503 with a retry hint, rendered without the request: context processors would ask
    the database again."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """While the database is away, views answer 503 with a retry hint instead of a 500.

    Persistent connections are health-checked (CONN_HEALTH_CHECKS), so once
    the database is back the next request simply reconnects. Errors after the
    view (saving the session) reach the 500 handler, which answers the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable_response()
        return None
