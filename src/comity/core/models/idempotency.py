"""Idempotency keys: the stored outcome of an API write, so that a retried request is answered
with the first answer instead of being carried out twice.

One row per (user, key), written in the same transaction as the write it records, so it commits
or rolls back with it (``core/idempotency.py``). The IETF draft "The Idempotency-Key HTTP Header
Field" and Stripe's API give the behaviour: a repeat gets the stored response, the same key with
another request is refused, and keys expire (``COMITY_IDEMPOTENCY_KEY_HOURS``, 24 by default).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

#: The most characters a key may have (Stripe's limit).
MAX_KEY_LENGTH = 255


class IdempotencyKey(models.Model):
    """The first response to one user's request under one idempotency key."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=MAX_KEY_LENGTH)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=2048, help_text="Path and query string of the first request.")
    body_hash = models.CharField(max_length=64, help_text="SHA-256 of the first request's body.")
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=255, blank=True)
    body = models.BinaryField(help_text="The first response's body, replayed byte for byte.")
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    #: Not change-logged; were it ever, its entries describe an account's requests (administrators only).
    audit_admin_only = True

    class Meta:
        db_table = "core_idempotencykey"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_idempotencykey_user_key")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key} -> {self.status}"
