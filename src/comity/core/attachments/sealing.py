"""Sealing the files of attachments uploaded before the attachments storage sealed them.

An installation upgraded to the sealed storage (``core.crypto.storage``) still holds its earlier
files in plaintext, which the storage does not open. ``attachments_seal_existing`` seals each in
place, recognising a plaintext file by its row's SHA-256, and may be run again at any time: a
file sealed already is only checked. ``comity keys seal-attachments`` runs it.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ImproperlyConfigured

from comity.core.attachments.files import attachment_storage
from comity.core.crypto.errors import CryptoError
from comity.core.crypto.storage import EncryptedFileSystemStorage
from comity.core.models import Attachment

logger = logging.getLogger(__name__)


def attachments_seal_existing() -> dict[str, int]:
    """Seal every attachment's file that is still plaintext; counts of ``sealed`` (now),
    ``already`` (sealed and opening to its row's bytes), ``missing`` and ``unreadable`` files
    (the last two logged by name)."""
    storage = attachment_storage()
    if not isinstance(storage, EncryptedFileSystemStorage):
        raise ImproperlyConfigured("the attachments storage does not seal (settings.STORAGES['attachments'])")
    counts = dict.fromkeys(("sealed", "already", "missing", "unreadable"), 0)
    for pk, name, sha256 in Attachment.objects.order_by("pk").values_list("pk", "storage_name", "sha256").iterator():
        try:
            counts["sealed" if storage.seal_in_place(name, sha256=sha256) else "already"] += 1
        except FileNotFoundError:
            logger.warning("attachment %s: its file %s is missing from the storage", pk, name)
            counts["missing"] += 1
        except CryptoError as exc:
            logger.error("attachment %s: its file %s is neither its plaintext nor opens: %s", pk, name, exc)
            counts["unreadable"] += 1
    return counts
