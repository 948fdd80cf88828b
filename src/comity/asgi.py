"""ASGI entry point; production sets DJANGO_SETTINGS_MODULE."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comity.settings.base")
application = get_asgi_application()
