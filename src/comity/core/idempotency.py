"""``Idempotency-Key`` on every API write: a retried request gets the first answer, not a second write.

Behaviour, after the IETF draft "The Idempotency-Key HTTP Header Field" and Stripe's API:

- A POST, PATCH, PUT or DELETE under ``/api/`` may carry ``Idempotency-Key: "<key>"`` (the draft's
  structured-field string; a bare token is accepted too, as Stripe does), at most 255 printable
  ASCII characters. Without the header nothing changes.
- The first request with a key runs as usual; its response is stored when it is a success (2xx)
  or a client error (4xx) other than the passing ones (408, 409, 425, 429). A server error is not
  stored, and nothing it wrote is kept, so a retry runs again.
- A repeat (same user, key, method, path and body) is answered with the stored status and body,
  marked ``Idempotent-Replayed: true``, and writes nothing.
- The same key with another method, path or body: 422. The same key while its first request is
  still running: 409 (retry later). Keys are per user: two users never see each other's.
- A key expires 24 hours after its first use (``COMITY_IDEMPOTENCY_KEY_HOURS``); each new key removes the
  user's expired ones.

Why a middleware around the request transaction: the key row must commit or roll back with the
write it records, or a crash between the two would either lose the record of an acknowledged
write (and a retry would write it twice) or keep a record of a write that never happened.
``ATOMIC_REQUESTS`` wraps only the view, so this middleware opens the outer transaction itself:
the view's atomic block becomes a savepoint inside it, DRF's rollback of a refused write still
undoes the write, and the key row is written next to the result in the same commit.

Concurrent duplicates: on PostgreSQL a transaction-level advisory lock on (user, key) is taken
without waiting, so a second request while the first runs answers 409 at once; the unique
constraint on (user, key) is the guard on every database (on SQLite writers are serialised and
the loser's insert fails, and it answers 409 with its write rolled back).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings

from comity.core.models import IdempotencyKey, User
from comity.core.models.idempotency import MAX_KEY_LENGTH

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
#: Client errors whose outcome may differ on a retry: never stored.
PASSING_ERRORS = frozenset({408, 409, 425, 429})


class InvalidKeyError(ValueError):
    """The header is present but not a usable key."""


def parse_key(raw: str) -> str:
    """The key of an ``Idempotency-Key`` header: a structured-field string or a bare token."""
    text = raw.strip()
    if text.startswith('"'):
        if len(text) < 2 or not text.endswith('"'):
            raise InvalidKeyError("Idempotency-Key: an unterminated quoted string")
        inner, key, index = text[1:-1], [], 0
        while index < len(inner):
            char = inner[index]
            if char == "\\":
                if index + 1 >= len(inner) or inner[index + 1] not in '"\\':
                    raise InvalidKeyError('Idempotency-Key: only \\" and \\\\ may be escaped')
                char, index = inner[index + 1], index + 1
            elif char == '"':
                raise InvalidKeyError('Idempotency-Key: an unescaped " inside the key')
            key.append(char)
            index += 1
        text = "".join(key)
    if not text:
        raise InvalidKeyError("Idempotency-Key: the key is empty")
    if len(text) > MAX_KEY_LENGTH:
        raise InvalidKeyError(f"Idempotency-Key: the key is longer than {MAX_KEY_LENGTH} characters")
    if any(not " " <= char <= "~" for char in text):
        raise InvalidKeyError("Idempotency-Key: only printable ASCII characters are allowed")
    return text


def expiry() -> timedelta:
    return timedelta(hours=settings.COMITY_IDEMPOTENCY_KEY_HOURS)


def _problem(status: int, detail: str) -> HttpResponse:
    return HttpResponse(json.dumps({"detail": detail}), status=status, content_type="application/json")


def _api_user(request: HttpRequest) -> User | None:
    """Who DRF will take the caller to be (token first, then session with its CSRF check).

    The authenticators run on a throw-away DRF request; ``request.user`` is put back afterwards,
    so the view authenticates exactly as it would without this middleware.
    """
    saved = request.__dict__.get("user")
    try:
        user = Request(request, authenticators=[cls() for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES]).user
    except APIException:
        user = None
    finally:
        if saved is not None:
            request.user = saved
    return user if user is not None and user.is_authenticated else None  # type: ignore[return-value]


def _claimed(user_id: int, key: str) -> bool:
    """Take the (user, key) lock for this transaction without waiting; False when another holds it."""
    if connection.vendor != "postgresql":
        return True  # SQLite serialises writers; the unique constraint decides (module docstring)
    digest = hashlib.sha256(f"comity.idempotency:{user_id}:{key}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)])
        return bool(cursor.fetchone()[0])


def _storable(response: HttpResponse) -> bool:
    if getattr(response, "streaming", False):
        return False
    return 200 <= response.status_code < 300 or (
        400 <= response.status_code < 500 and response.status_code not in PASSING_ERRORS
    )


def _replay(stored: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(bytes(stored.body), status=stored.status, content_type=stored.content_type or None)
    response[REPLAYED_HEADER] = "true"
    return response


class IdempotencyMiddleware:
    """Answer repeats of an API write from the stored response (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.headers.get(HEADER)
        if raw is None or request.method not in WRITE_METHODS or not request.path_info.startswith("/api/"):
            return self.get_response(request)
        try:
            key = parse_key(raw)
        except InvalidKeyError as exc:
            return _problem(400, str(exc))
        user = _api_user(request)
        if user is None:  # the view answers 401/403 itself; nothing is stored for nobody
            return self.get_response(request)
        body_hash = hashlib.sha256(request.body).hexdigest()
        path = request.get_full_path()
        with transaction.atomic():
            if not _claimed(user.pk, key):
                return _problem(409, "A request with this Idempotency-Key is still in progress; retry later.")
            stored = IdempotencyKey.objects.filter(user=user, key=key).first()
            if stored is not None and stored.created < timezone.now() - expiry():
                stored.delete()
                stored = None
            if stored is not None:
                if (stored.method, stored.path, stored.body_hash) != (request.method, path, body_hash):
                    return _problem(
                        422, "This Idempotency-Key was used for another request (method, path or body differs)."
                    )
                return _replay(stored)
            response = self.get_response(request)
            if not _storable(response):
                return response
            try:
                with transaction.atomic():
                    IdempotencyKey.objects.create(
                        user=user,
                        key=key,
                        method=request.method,
                        path=path,
                        body_hash=body_hash,
                        status=response.status_code,
                        content_type=response.get("Content-Type", ""),
                        body=response.content,
                    )
            except IntegrityError:  # another request with the key committed first (SQLite)
                transaction.set_rollback(True)
                return _problem(409, "A request with this Idempotency-Key was completed meanwhile; retry.")
            IdempotencyKey.objects.filter(user=user, created__lt=timezone.now() - expiry()).delete()
        return response
