"""Production settings: secrets and hosts must come from the environment; HTTPS everywhere.

``comity check --deploy`` is clean with these settings (a test asserts it).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from comity.settings.base import *  # noqa: F403
from comity.settings.env import env_int, env_str

if not env_str("COMITY_SECRET_KEY"):
    raise ImproperlyConfigured("COMITY_SECRET_KEY must be set in production.")
SECRET_KEY = env_str("COMITY_SECRET_KEY")
DEBUG = False
WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("COMITY_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
