"""WSGI entry point: `gunicorn newsboard.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsboard.settings")

application = get_wsgi_application()
