"""What a file must be to be attached: checked from its bytes, never from what the client says.

``check_upload`` reads an uploaded file once and answers its cleaned name, the media type its
content shows, its size and SHA-256, or raises ``AttachmentRefusedError`` with a sentence saying why.
Nothing is stored by this module: the service stores only what passed.

The media type comes from a signature check written here (no file-type library is installed in
this project's environment: neither python-magic nor filetype). The allow-list is short, so the
check is short: each type is recognised by its published magic number, and the ZIP-based office
formats by the part that names their type (the ``mimetype`` entry of ODF, ISO/IEC 26300; the
main document part of Office Open XML, ISO/IEC 29500). Anything else, an executable renamed
``.pdf`` included, is refused.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files.storage import Storage, storages

#: The storage of ``settings.STORAGES`` that holds attachments' bytes.
STORAGE_ALIAS = "attachments"

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TEXT = "text/plain"
CSV = "text/csv"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: The media types accepted, each with the file name endings it is saved under (the first is added
#: when the uploader's name ends otherwise, so a download always ends as its content is).
ALLOWED: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    TEXT: (".txt", ".text", ".md"),
    CSV: (".csv",),
    ODT: (".odt",),
    ODS: (".ods",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
}

#: How the allow-list reads in an error message.
ALLOWED_WORDS = "PDF, plain text, CSV, PNG, JPEG, ODT, ODS, DOCX or XLSX"

#: The longest file name kept (the ending is kept whole when a longer one is cut).
MAX_NAME = 200

_ODF_TYPES = {ODT.encode(), ODS.encode()}
#: Office Open XML main parts, by the type they make the package.
_OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX}
#: Control characters a text file may hold: tab, line feed, form feed, carriage return.
_TEXT_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class AttachmentRefusedError(ValueError):
    """A file that may not be attached; the message says why in words the uploader can act on."""


@dataclass(frozen=True, slots=True)
class CheckedFile:
    filename: str
    media_type: str
    size: int
    sha256: str


def attachment_storage() -> Storage:
    """The configured attachments storage (looked up per call, so a test or a deployment may swap it)."""
    return storages[STORAGE_ALIAS]


def max_bytes() -> int:
    return int(settings.COMITY_ATTACHMENT_MAX_BYTES)


def clean_filename(raw: str) -> str:
    """The uploader's name as it may be stored, shown and sent in ``Content-Disposition``.

    Only the last path component is kept (a name is never a path); every Unicode control, format
    (the right-to-left override that disguises ``gpj.exe``), surrogate, private and unassigned
    character goes, line breaks and carriage returns among them, so the name cannot split a
    header; runs of white space become one space; leading and trailing dots and spaces go.
    """
    name = unicodedata.normalize("NFC", str(raw))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = " ".join(name.split()).strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, ending = name.rpartition(".")
        name = f"{stem[: MAX_NAME - len(ending) - 1]}.{ending}" if dot and len(ending) < 16 else name[:MAX_NAME]
    return name or "attachment"


def _zip_type(file: IO[bytes]) -> str | None:
    """The office type of a ZIP package, from its type-naming part; None for any other ZIP.

    Only the archive's directory and ODF's 70-odd-byte ``mimetype`` entry are read, so a
    compressed bomb is never expanded. A package with macros (``vbaProject.bin``) is not a DOCX
    or XLSX but their macro-enabled cousins, which are refused.
    """
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    declared = entry.read(128).strip()
                return declared.decode() if declared in _ODF_TYPES else None
            if "[Content_Types].xml" in names and not any(n.lower().endswith("vbaproject.bin") for n in names):
                return next((kind for part, kind in _OOXML_PARTS.items() if part in names), None)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError, UnicodeDecodeError):
        return None
    return None


def _is_text(content: bytes) -> bool:
    """UTF-8 (a byte-order mark allowed) with no control character but tab and line breaks."""
    if _TEXT_CONTROLS.search(content):
        return False
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def sniff(file: IO[bytes], filename: str) -> str | None:
    """The allowed media type the bytes are, or None. The name only tells CSV from plain text,
    both of which are text and nothing else."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head == b"\x89PNG\r\n\x1a\n":
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(file)
    if _is_text(file.read()):
        return CSV if filename.lower().endswith(".csv") else TEXT
    return None


def _named_for(filename: str, media_type: str) -> str:
    """The name with an ending that matches the content (``minutes.exe`` holding a PDF is saved
    as ``minutes.exe.pdf``), so the reader's system opens it as what it is."""
    endings = ALLOWED[media_type]
    if filename.lower().endswith(endings):
        return filename
    return clean_filename(f"{filename}{endings[0]}")


def check_upload(file: IO[bytes], filename: str, size: int) -> CheckedFile:
    """Check an uploaded file; raise ``AttachmentRefusedError`` unless it may be attached."""
    limit = max_bytes()
    if size > limit:
        raise AttachmentRefusedError(
            f"the file is {size:,} bytes; attachments may be at most {limit:,} bytes ({limit / 2**20:g} MiB)"
        )
    if size == 0:
        raise AttachmentRefusedError("the file is empty")
    name = clean_filename(filename)
    media_type = sniff(file, name)
    if media_type is None:
        raise AttachmentRefusedError(f"the file's content is not one of the allowed types ({ALLOWED_WORDS})")
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1 << 16), b""):
        digest.update(chunk)
    file.seek(0)
    return CheckedFile(
        filename=_named_for(name, media_type), media_type=media_type, size=size, sha256=digest.hexdigest()
    )
