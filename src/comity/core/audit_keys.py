"""The change log's signing key: one Ed25519 key in the data directory, made on first use.

Kept small and on its own on purpose: the tree heads need one key and nothing else, and key
storage may later move to a shared keystore without the heads changing. The file holds the raw
32-byte private key in PEM (PKCS #8, unencrypted) and is created with mode 0600 before any byte
is written (``mkstemp``), so it is never readable by others, even for a moment.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

KEY_FILE = "audit_signing_key.pem"


def key_path() -> Path:
    """Where the key lives: ``COMITY_AUDIT_KEY_FILE`` if set, else the data directory."""
    configured = settings.COMITY_AUDIT_KEY_FILE
    return Path(configured) if configured else Path(settings.DATA_DIR) / KEY_FILE


def signing_key() -> Ed25519PrivateKey:
    """The private key, created (0600) when there is none yet."""
    path = key_path()
    try:
        return _load(path)
    except FileNotFoundError:
        pass
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    # Written whole under a temporary name (0600 from the start), then linked into place: the
    # link fails if another process got there first, and nobody ever reads a half-written key.
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".audit-key-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        os.link(temporary, path)
    except FileExistsError:
        return _load(path)
    finally:
        os.unlink(temporary)
    return key


def _load(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 key")
    return key


def public_bytes(key: Ed25519PublicKey) -> bytes:
    """The raw 32-byte public key."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, hex: names the key in each head."""
    return hashlib.sha256(public_bytes(key)).hexdigest()


def public_key_from_hex(text: str) -> Ed25519PublicKey:
    """A raw public key given as hex (as ``comity audit heads`` exports it)."""
    return Ed25519PublicKey.from_public_bytes(bytes.fromhex(text))
