"""Settings for the test suite: the real database engines, a throwaway data directory.

Password hashing uses a fast hasher so that factories stay quick; a test checks that the shipped
settings hash with Argon2.
"""

import os
import tempfile

os.environ.setdefault("COMITY_DATA_DIR", tempfile.mkdtemp(prefix="comity-test-"))

from comity.settings.base import *  # noqa: F403
from comity.settings.base import PASSWORD_HASHERS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
from comity.settings.base import DATABASES  # noqa: E402

# Persistent connections outlive test threads (the live server's) and block dropping the test
# database on PostgreSQL; the suite opens a connection per request instead.
DATABASES["default"]["CONN_MAX_AGE"] = 0

# Django's live server, which the browser tests use, speaks WSGI only: its pages open no websocket
# (a refused one would be a console error). The comms browser test serves ASGI and sets it back.
COMITY_WEBSOCKET_PATH = ""
