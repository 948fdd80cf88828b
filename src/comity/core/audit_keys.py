"""The change log's signing key: the instance's Ed25519 signing key from the key store
(``core.crypto.providers``), the same key that binds labels to content after STANAG 4778.

One instance key, one place to keep and rotate it: the key file in the data directory by default
(0600, made on first use), ``COMITY_SIGNING_KEY`` in production. The tree heads name the key by
the SHA-256 of its raw public key, so heads signed before a key change still verify against the
public key exported with them.
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from comity.core.crypto.providers import key_provider


def signing_key() -> Ed25519PrivateKey:
    """The instance's private signing key (the configured key provider's)."""
    return key_provider().signing_key()


def public_bytes(key: Ed25519PublicKey) -> bytes:
    """The raw 32-byte public key."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, hex: names the key in each head."""
    return hashlib.sha256(public_bytes(key)).hexdigest()


def public_key_from_hex(text: str) -> Ed25519PublicKey:
    """A raw public key given as hex (as ``comity audit heads`` exports it)."""
    return Ed25519PublicKey.from_public_bytes(bytes.fromhex(text))
