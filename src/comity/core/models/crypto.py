"""Data keys: the per-object AES-256 keys of ``core.crypto.envelope``, each stored wrapped
(AES-256-GCM) by a master key that never enters the database.

A row is what the database alone gives an attacker about a sealed blob: which master key wraps
its key and when it was made. Deleting the row shreds the blob: nothing can open it again.
Rows are written by ``seal`` and re-wrapped by ``comity keys rotate``; nothing else changes them.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models.functions import Now


class DataKey(models.Model):
    """One object's data key, wrapped by the master key ``master_key_id`` names."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    master_key_id = models.CharField(max_length=64, db_index=True, help_text="The master key that wraps this key.")
    wrapped = models.BinaryField(help_text="Nonce and AES-256-GCM ciphertext of the data key.")
    #: Set by the database, so that ``seal``'s one INSERT need not send it.
    created = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "core_datakey"

    def __str__(self) -> str:
        return f"data key {self.id} under {self.master_key_id}"
