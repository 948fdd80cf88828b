"""Test inputs for attachments: small files of each kind, and a stored attachment made directly.

``stored_attachment`` writes a row and its file without the service (no write rule, no floor, no
change-log entry): the read matrix uses it to make the cases the service refuses to make but the
world can still hold, such as a file labelled below a record relabelled above it since.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model

from comity.core.attachments.files import TEXT, attachment_storage
from comity.core.attachments.registry import record_type
from comity.core.models import Attachment, ConfidentialityLabel

#: The smallest well-formed PDF: a catalogue with an empty page tree.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
#: The start of a Windows executable (the "MZ" DOS header and its stub's message).
EXE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"This program cannot be run in DOS mode.\r\n"
)
#: The start of a Linux executable (ELF, 64-bit, little-endian).
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    """A ZIP package with these entries (the first stored uncompressed, as ODF's ``mimetype`` is).

    Each entry carries one fixed time, so the bytes do not depend on the clock: the packages are
    parametrize values, and xdist refuses a run whose workers collected different test ids.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index, (name, content) in enumerate(entries.items()):
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(entry, content, compress_type=zipfile.ZIP_STORED if index == 0 else zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    """A file as a browser would post it (the declared type is ignored by the checks)."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_attachment(
    record: Model, label: ConfidentialityLabel, *, filename: str, content: bytes, media_type: str = TEXT
) -> Attachment:
    """An attachment row and its file, written directly (see the module's docstring)."""
    name = attachment_storage().save(f"test/{uuid.uuid4().hex}", ContentFile(content))
    return Attachment.objects.create(
        content_type=record_type(record),
        object_id=record.pk,
        storage_name=name,
        filename=filename,
        media_type=media_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        label=label,
        owner=getattr(record, "owner", ""),
    )
