"""A file-system storage whose files are sealed: what lies on disk is ciphertext only.

``EncryptedFileSystemStorage`` is Django's ``FileSystemStorage`` with ``seal`` on the way in and
``unseal`` on the way out, so the code that saves and opens attachments is unchanged (the
download view streams what ``open`` returns). Each file gets its own data key; its AAD is the
storage's ``aad_prefix`` and the file's name, so a file moved or copied to another name (another
record's attachment) does not open. ``delete`` shreds the data key before removing the file.

Files are sealed whole, in memory: attachments are at most ``COMITY_ATTACHMENT_MAX_BYTES`` (20 MiB
by default). A store of much larger files would want a chunked AEAD (STREAM); docs/crypto.md.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils.deconstruct import deconstructible

from comity.core.crypto.envelope import OVERHEAD, seal, shred, unseal
from comity.core.crypto.errors import TamperedError


@deconstructible(path="comity.core.crypto.storage.EncryptedFileSystemStorage")
class EncryptedFileSystemStorage(FileSystemStorage):
    """``FileSystemStorage`` that seals every file (see the module's docstring)."""

    def __init__(self, *args: Any, aad_prefix: str = "core.attachment", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.aad_prefix = aad_prefix

    def _aad(self, name: str) -> bytes:
        return f"{self.aad_prefix}:{name}".encode()

    def _save(self, name: str, content: File[Any]) -> str:
        content.seek(0)
        blob = seal(content.read(), aad=self._aad(name))
        saved = super()._save(name, ContentFile(blob))
        if saved != name:  # the name was taken meanwhile: the blob is bound to the one asked for
            super().delete(saved)
            raise FileExistsError(f"{name} was taken while it was being saved")
        return saved

    def _open(self, name: str, mode: str = "rb") -> File[Any]:
        if mode not in {"r", "rb"}:
            raise ValueError("sealed files are written whole through save(), never opened for writing")
        with super()._open(name, "rb") as raw:
            blob = raw.read()
        return ContentFile(unseal(blob, aad=self._aad(name)), name=name)

    def delete(self, name: str) -> None:
        """Shred the file's data key, then remove the file (a file that is no sealed blob, or is
        gone already, is simply removed)."""
        try:
            with super()._open(name, "rb") as raw:
                header = raw.read(OVERHEAD)
            shred(header)
        except (FileNotFoundError, TamperedError):
            pass
        super().delete(name)

    def seal_in_place(self, name: str, *, sha256: str) -> bool:
        """Seal a file written before the storage sealed, whose plaintext's SHA-256 the caller
        knows (the attachment row's). True when it was sealed now; False when it was sealed
        already (it then must open to those bytes, or ``TamperedError``).

        The data key is committed before the file is replaced (atomically, owner-only), so a
        crash in between leaves the plaintext file and an unused data key, and a second run
        seals it again; never a sealed file without its key."""
        path = Path(self.path(name))
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != sha256:
            with self.open(name) as opened:
                if hashlib.sha256(opened.read()).hexdigest() != sha256:
                    raise TamperedError(f"{name} opens to bytes other than its attachment's")
            return False
        with transaction.atomic():
            blob = seal(raw, aad=self._aad(name))
        temporary = path.with_name(f".{path.name}.sealing")
        temporary.write_bytes(blob)
        temporary.chmod(self.file_permissions_mode or 0o600)
        os.replace(temporary, path)
        return True

    def size(self, name: str) -> int:
        """The plaintext's size (the file on disk is ``OVERHEAD`` bytes longer)."""
        return super().size(name) - OVERHEAD
