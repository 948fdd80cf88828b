"""The change log: who changed which record, when, and what it looked like before and after.

Written by services in the same transaction as the change (NetBox's ObjectChange pattern). Each
entry carries the label of the record it describes, so history is filtered like the record.

The log is tamper-evident (``core.audit_chain``, docs/audit.md): each entry has a place in one
sequence (``seq``), the hash of the entry before it and its own hash over its fields, and the
entries are the leaves of a Merkle tree whose heads are signed (``TreeHead``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from comity.core.models.base import LabelledModel


class CanonicalJSONEncoder(DjangoJSONEncoder):
    """JSON with sorted keys and no whitespace: on SQLite the stored text is then the canonical
    form the entry's hash covers, so verification hashes the column as read (docs/audit.md)."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.update(sort_keys=True, separators=(",", ":"))
        super().__init__(**kwargs)  # type: ignore[arg-type]


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    READ = "read", "Read"


class AuditEntry(LabelledModel):
    """One create, update, delete or read of a record."""

    # Set before the entry is hashed (``core.audit_chain``), so not ``auto_now_add``, which would
    # overwrite it at save time.
    time = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True, help_text="Kept when the user is deleted.")
    action = models.CharField(max_length=8, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=255)
    before = models.JSONField(null=True, blank=True, encoder=CanonicalJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=CanonicalJSONEncoder)
    seq = models.PositiveBigIntegerField(unique=True, help_text="Place in the chain: 1, 2, 3, ... without gaps.")
    label_at_write = models.BigIntegerField(
        help_text="The label id the entry was written under, as hashed; ``label`` may rise later, never fall."
    )
    prev_hash = models.CharField(max_length=64, help_text="``entry_hash`` of the entry before (hex); zeros first.")
    entry_hash = models.CharField(max_length=64, help_text="SHA-256(0x00 || canonical entry), hex: the Merkle leaf.")

    class Meta:
        db_table = "core_auditentry"
        ordering = ["-time", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.username or 'system'} {self.action} {self.object_repr}"


class AuditHead(models.Model):
    """The head of the chain: one row (pk 1), locked by every append.

    Appending takes this row with ``SELECT ... FOR UPDATE`` in the writer's transaction, so two
    writers cannot give out the same ``seq`` or chain to the same predecessor; the row also keeps
    the last hash, so cutting entries off the end of the log shows.
    """

    seq = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        db_table = "core_audithead"

    def __str__(self) -> str:
        return f"chain head at {self.seq}"


class TreeHead(models.Model):
    """A signed tree head: the Merkle root of the first ``tree_size`` entries, signed (Ed25519).

    ``frontier`` holds the roots of the tree's complete subtrees, so the next head extends this one
    without reading the whole log; verification never trusts it and recomputes from the entries.
    """

    tree_size = models.PositiveBigIntegerField(unique=True)
    root_hash = models.CharField(max_length=64)
    timestamp = models.DateTimeField()
    signature = models.CharField(max_length=128, help_text="Ed25519 over the canonical head, hex.")
    key_id = models.CharField(max_length=64, help_text="SHA-256 of the raw public key, hex.")
    frontier = models.JSONField(default=list)

    class Meta:
        db_table = "core_treehead"
        ordering = ["tree_size"]

    def __str__(self) -> str:
        return f"tree head {self.tree_size} {self.root_hash[:12]}"
