"""Writes of attachments: upload, relabel, delete. Each is one transaction with its change-log
entry, and each is decided by the write rule of the **record** the file is on: an editor of the
record's owner, who may see the record (a hidden record answers 404 before any rule is asked).

The entries name the record (its content type and id are in the snapshot), so they are labelled
at least as high as the record as well as the attachment, and the record's history lists them
(``core.selectors.audit_history``).

Bytes and rows: the file is written to the storage first, then the row and its entry; when
either fails, the file is deleted again before the error goes on. A deleted attachment's file is
deleted once the transaction commits, so a rolled-back delete keeps it.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from comity.core.attachments.files import AttachmentRefusedError, attachment_storage, check_upload
from comity.core.attachments.registry import attachable_base, record_type
from comity.core.attachments.selectors import attachment_or_404, record_of
from comity.core.audit import audit_entry, audit_record, snapshot
from comity.core.authority import WriteAction
from comity.core.derivation import uncovered_by
from comity.core.models import Attachment, LabelledModel
from comity.core.models.audit import AuditAction
from comity.core.permissions import require_write
from comity.core.selectors import access_or_404, may_see_label

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from comity.core.models import ConfidentialityLabel, User


def _visible_record(acting_user: User, record: LabelledModel) -> LabelledModel:
    """The record fetched again through the user's access, locked: 404 when hidden or missing."""
    base = attachable_base(type(record))
    if base is None:
        raise ValidationError({"record": "files may not be attached to this kind of record"})
    return access_or_404(base.objects.select_for_update().select_related("label"), acting_user, pk=record.pk)


def _check_label(acting_user: User, label: ConfidentialityLabel, record: LabelledModel) -> None:
    """No write-down, and nobody labels a file above what they may read."""
    if not may_see_label(acting_user, label):
        raise ValidationError({"label": "you may not give a file a label above what you may see"})
    needed = uncovered_by(label, [record.label])
    if needed is not None:
        raise ValidationError(
            {"label": f"a file on this record must be labelled at least as high as the record: at least {needed}"}
        )


def _stored_name() -> str:
    """A fresh name in the storage: random, so no name of the uploader's ever becomes a path."""
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


def attachment_upload(
    *, acting_user: User, record: LabelledModel, upload: UploadedFile, label: ConfidentialityLabel | None = None
) -> Attachment:
    """Attach ``upload`` to ``record`` under ``label`` (the record's own by default).

    Refusals: 404 for a record the user may not see; ``WriteDenied`` (403) unless they edit for
    its owner; ``ValidationError`` for a label below the record's or above their own reach, and
    for a file too large, empty or not of an allowed type (nothing is stored then).
    """
    with transaction.atomic():
        record = _visible_record(acting_user, record)
        require_write(acting_user, WriteAction.CHANGE, record, record.owner)
        label = label or record.label
        _check_label(acting_user, label, record)
        try:
            checked = check_upload(upload, upload.name or "", upload.size or 0)
        except AttachmentRefusedError as exc:
            raise ValidationError({"file": str(exc)}) from exc
        storage = attachment_storage()
        name = storage.save(_stored_name(), upload)
        try:
            with transaction.atomic():
                attachment = Attachment.objects.create(
                    content_type=record_type(record),
                    object_id=record.pk,
                    storage_name=name,
                    filename=checked.filename,
                    media_type=checked.media_type,
                    size=checked.size,
                    sha256=checked.sha256,
                    label=label,
                    owner=record.owner,
                    uploaded_by=acting_user,
                )
                audit_record(
                    audit_entry(
                        acting_user=acting_user,
                        action=AuditAction.CREATE,
                        instance=attachment,
                        before=None,
                        after=snapshot(attachment),
                        linked=[record],
                    )
                )
        except BaseException:
            storage.delete(name)
            raise
    return attachment


@transaction.atomic
def attachment_relabel(*, acting_user: User, attachment: Attachment, label: ConfidentialityLabel) -> Attachment:
    """Give an attachment another label, never below its record's (the record's write rule)."""
    attachment = attachment_or_404(acting_user, attachment.pk)
    record = _visible_record(acting_user, record_of(attachment))
    require_write(acting_user, WriteAction.CHANGE, record, record.owner)
    if label.pk == attachment.label_id:
        return attachment
    _check_label(acting_user, label, record)
    before = snapshot(attachment)
    attachment.label = label
    attachment.save(update_fields=["label"])
    audit_record(
        audit_entry(
            acting_user=acting_user,
            action=AuditAction.UPDATE,
            instance=attachment,
            before=before,
            after=snapshot(attachment),
            linked=[record],
        )
    )
    return attachment


@transaction.atomic
def attachment_delete(*, acting_user: User, attachment: Attachment) -> None:
    """Delete an attachment and, once the deletion commits, its file (the record's write rule)."""
    attachment = attachment_or_404(acting_user, attachment.pk)
    record = _visible_record(acting_user, record_of(attachment))
    require_write(acting_user, WriteAction.DELETE, record, record.owner)
    audit_record(
        audit_entry(
            acting_user=acting_user,
            action=AuditAction.DELETE,
            instance=attachment,
            before=snapshot(attachment),
            after=None,
            linked=[record],
        )
    )
    name = attachment.storage_name
    attachment.delete()
    transaction.on_commit(lambda: attachment_storage().delete(name))
