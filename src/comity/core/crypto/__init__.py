"""Encryption at rest and label binding, on the ``cryptography`` package (docs/crypto.md).

The two calls other apps use:

- ``seal(plaintext, aad=...) -> bytes`` / ``unseal(blob, aad=...) -> bytes``
  (``core.crypto.envelope``): AES-256-GCM under a fresh data key per object, the data key kept
  in ``core.DataKey`` wrapped by a master key; ``aad`` names the object the blob belongs to, so a
  blob copied onto another record does not open. Any failure to open is ``TamperedError``.
- ``bind(label_xml_canonical, content) -> Binding`` / ``verify(binding, label_xml_canonical,
  content) -> Verdict`` (``core.crypto.binding``): an Ed25519 signature over the canonical
  STANAG 4774 label and the SHA-256 of the content, written as STANAG 4778 binding XML.

Imports here stay lazy in spirit: ``envelope`` needs the apps loaded (it writes ``DataKey`` rows),
so it is imported from its module by callers, not re-exported from this package.
"""

from comity.core.crypto.errors import CryptoError, KeyUnavailableError, TamperedError

__all__ = ["CryptoError", "KeyUnavailableError", "TamperedError"]
