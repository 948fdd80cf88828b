"""Settings for the embedded default installation (SQLite in the data directory, debug off).

Production overrides live in ``production.py``; nothing here is secret or host-specific.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

from comity.settings.env import data_dir, env_bool, env_int, env_list, env_str, persistent_secret_key

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

SECRET_KEY = env_str("COMITY_SECRET_KEY") or persistent_secret_key(DATA_DIR)
DEBUG = env_bool("COMITY_DEBUG", default=False)
ALLOWED_HOSTS = env_list("COMITY_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("COMITY_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "axes",
    "csp",
    "comity.core",
    "comity.registry",
    "comity.engagements",
    "comity.events",
    "comity.planning",
    "comity.assessment",
    "comity.comms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "comity.core.middleware.LoginRequiredMiddleware",
    # Idempotency-Key on API writes: around the view's transaction, so the key commits with the write.
    "comity.core.idempotency.IdempotencyMiddleware",
    "comity.core.middleware.LabelBannerMiddleware",
    # Axes goes last so that it sees the outcome of authentication (its documented order).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "comity.urls"
WSGI_APPLICATION = "comity.wsgi.application"
ASGI_APPLICATION = "comity.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "comity.core.context_processors.comity",
                "comity.comms.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("COMITY_DATABASE_URL", f"sqlite:///{DATA_DIR / 'comity.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Foreign keys and a busy timeout make SQLite behave like a server database under the test
    # suite and the demo's concurrent requests.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20})
# Each request is one transaction, rolled back when the view raises or when DRF answers an
# error: what a refused request stored on the way (a new label) goes with it. Pages whose form
# is refused roll back through core.forms.RefusedFormRollsBack.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: a working day at most, gone when the browser closes, refreshed on activity.
SESSION_COOKIE_AGE = env_int("COMITY_SESSION_SECONDS", 28800)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes): five failures lock a username at one address, twenty lock the
# address (a password spray), each for 15 minutes; failures elsewhere never lock an account out
# (see core/lockout.py). A successful sign-in does not reset the count, so a sprayer's own
# account cannot wash out the record of the address it sprays from.
AXES_FAILURE_LIMIT = "comity.core.lockout.failure_limit"
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"

# Content-Security-Policy (django-csp): scripts only from our own origin, so a script that slips
# into a page through user text (an inline <script>, an onerror= attribute, a javascript: URL)
# is refused by the browser. No 'unsafe-inline' or 'unsafe-eval' for scripts: every script is a
# static file and htmx runs with allowEval off (base.html). Styles allow 'unsafe-inline' because
# the templates position timeline and Gantt bars with style attributes and ECharts writes its
# tooltip markup with style attributes; inline style cannot run script. Images allow data: URLs
# for the empty favicon and the libraries' embedded icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise expects it, even before collectstatic
WHITENOISE_USE_FINDERS = env_bool("COMITY_STATIC_FROM_PACKAGE", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Attachments' bytes (core/attachments): outside MEDIA_ROOT, never served by URL, only through
    # the download views that check the label. Sealed (core/crypto/storage.py: AES-256-GCM, a data
    # key per file), so the files on disk are ciphertext. Owner-only file modes.
    "attachments": {
        "BACKEND": "comity.core.crypto.storage.EncryptedFileSystemStorage",
        "OPTIONS": {
            "location": env_str("COMITY_ATTACHMENTS_DIR", str(DATA_DIR / "attachments")),
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}
MEDIA_ROOT = DATA_DIR / "media"
# Encryption at rest (core/crypto, docs/crypto.md): the key provider, by import path, and the key
# file the default provider uses when COMITY_MASTER_KEY is not set (made owner-only on first use).
COMITY_KEY_PROVIDER = "comity.core.crypto.providers.default_provider"
COMITY_KEY_FILE = env_str("COMITY_KEY_FILE", str(DATA_DIR / "keys.json"))
# The largest attachment accepted, in bytes (20 MiB by default); a larger one is refused by name.
COMITY_ATTACHMENT_MAX_BYTES = env_int("COMITY_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an API client without credentials is told how to authenticate (401).
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # LogsReads refuses nothing: it logs the reads of classified records (docs/audit.md).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "comity.core.api.reads.LogsReads"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON nested too deep for Python's decoder is a 400, not a RecursionError (core.api.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "comity.core.api.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "comity.core.api.pagination.CheckedLimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "comity API",
    "DESCRIPTION": "Alliance military diplomacy: registry, labelled records and analytics.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the vendored copy (no CDN; the CSP allows scripts from our origin only).
    "SWAGGER_UI_DIST": "/" + STATIC_URL + "vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": "/" + STATIC_URL + "vendor/swagger-ui/favicon-32x32.png",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "comity.core.api.schema.add_idempotency_key",
        "comity.core.api.schema.empty_filters_are_unset",
    ],
    "ENUM_NAME_OVERRIDES": {
        "EngagementKindEnum": "comity.engagements.choices.EngagementKind",
        "OrganisationKindEnum": "comity.registry.choices.OrganisationKind",
        "ParticipantRoleEnum": "comity.engagements.choices.ParticipantRole",
        "ActivityRoleEnum": "comity.engagements.choices.ActivityRole",
        "EngagementStatusEnum": "comity.engagements.choices.Status",
        "ProgressStatusEnum": "comity.assessment.choices.ProgressStatus",
        "ObjectiveLevelEnum": "comity.engagements.choices.ObjectiveLevel",
        "MeetingLevelEnum": "comity.engagements.choices.MeetingLevel",
    },
}

# Which function expands a releasability group (NATO, PFP, ...) for a nation on a date. Core
# names it by import path so that it never imports the registry app that depends on it.
COMITY_GROUP_RESOLVER = "comity.registry.selectors.groups_of_nation"
COMITY_GROUP_MEMBERS = "comity.registry.selectors.group_members"

# `comity serve`: 0 runs Django's development server (the embedded desk, `make demo`); production
# sets a gunicorn worker pool (see serve.py).
COMITY_SERVE_WORKERS = 0

# Channels (comms' real-time events): the in-memory layer serves one process (the development
# server, a single worker, the tests); with several workers every process must share one layer,
# so production sets COMITY_REDIS_URL (redis://host:6379/0) and the events go through Redis.
COMITY_REDIS_URL = env_str("COMITY_REDIS_URL")
# Where pages open their websocket (comity.asgi routes it); empty: pages open none.
COMITY_WEBSOCKET_PATH = "/ws/comms/"
CHANNEL_LAYERS = (
    {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [COMITY_REDIS_URL]}}}
    if COMITY_REDIS_URL
    else {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
)

# How long an Idempotency-Key's stored response is replayed (core/idempotency.py).
COMITY_IDEMPOTENCY_KEY_HOURS = env_int("COMITY_IDEMPOTENCY_KEY_HOURS", 24)

# Four-eyes approval: nobody approves a record they proposed or last changed (on by default).
COMITY_FOUR_EYES = env_bool("COMITY_FOUR_EYES", default=True)

# The change log signs a tree head each time it passes a multiple of this many entries, with the
# instance's Ed25519 signing key (the key store's, docs/crypto.md; docs/audit.md).
COMITY_AUDIT_HEAD_EVERY = env_int("COMITY_AUDIT_HEAD_EVERY", 1000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("COMITY_LOG_LEVEL", "WARNING")},
}
