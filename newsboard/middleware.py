from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """While the database is away, answer 503 with a retry hint instead of a 500.

    Persistent connections are health-checked (CONN_HEALTH_CHECKS), so once
    the database is back the next request simply reconnects.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # Rendered without the request: context processors would ask the database again.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
