"""Attachments: a file (an agreement's text, an after-action report, a briefing) on a labelled record.

An attachment is a labelled record of its own, never labelled below the record it is on
(``core.attachments.services``). It points at that record generically (content type and id),
because ``core`` imports no domain app; each app names the models it lets users attach files to
(``attachable_models`` on its ``AppConfig``, see ``core.attachments.registry``). The content type
is always that of the record's base table (``Engagement`` for an exercise), so one record has one
address whichever of its tables it is reached through.

The bytes live in the ``attachments`` storage of ``settings.STORAGES`` under a random name; the
row keeps the name the uploader gave (cleaned), the media type read from the content, the size
and the SHA-256 of the bytes.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from comity.core.models.base import LabelledModel


class Attachment(LabelledModel):
    """One file on one labelled record; read only by who may read both (``attachments_visible``)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    storage_name = models.CharField(
        max_length=255, unique=True, editable=False, help_text="Where the bytes are in the attachments storage."
    )
    filename = models.CharField(max_length=255, help_text="The uploader's file name, cleaned; shown as text.")
    media_type = models.CharField(max_length=127, help_text="Read from the content, never from the client.")
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    sha256 = models.CharField(max_length=64)
    uploaded = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "core_attachment"
        ordering = ["-uploaded", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"attachment {self.filename}"
