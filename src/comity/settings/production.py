"""Production settings: secrets and hosts must come from the environment; HTTPS everywhere.

``comity check --deploy`` is clean with these settings (a test asserts it). comity runs behind a
TLS-terminating proxy (README, "Production"): the proxy must set ``X-Forwarded-Proto`` on every
request, overwriting whatever the client sent, and gunicorn must be reachable from the proxy only,
since a request that reaches it directly could claim to be HTTPS. ``comity collectstatic
--noinput`` must run before ``comity serve`` (the manifest storage names every static file by its
hash).
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from comity.settings.base import *  # noqa: F403
from comity.settings.env import env_int, env_str

if not env_str("COMITY_SECRET_KEY"):
    raise ImproperlyConfigured("COMITY_SECRET_KEY must be set in production.")
SECRET_KEY = env_str("COMITY_SECRET_KEY")
DEBUG = False
WHITENOISE_USE_FINDERS = False
STORAGES = {
    **STORAGES,  # noqa: F405 (the sealed attachments storage stays)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Master and signing keys from the environment only (COMITY_MASTER_KEY, COMITY_SIGNING_KEY): a
# production key never lies in the data directory beside the database (docs/crypto.md).
COMITY_KEY_PROVIDER = "comity.core.crypto.providers.EnvironmentKeyProvider"

SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("COMITY_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# `comity serve` runs gunicorn with gunicorn's usual pool size (two per core, plus one) unless told.
COMITY_SERVE_WORKERS = env_int("COMITY_WORKERS", 2 * (os.cpu_count() or 1) + 1)
