"""WSGI entry point (``gunicorn comity.wsgi``); production sets DJANGO_SETTINGS_MODULE."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comity.settings.base")
application = get_wsgi_application()
