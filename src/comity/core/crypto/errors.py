"""The errors of ``core.crypto``: one for "this blob or signature is not what was written", one
for "the key it needs is not configured here" (an operator's problem, never a forger's)."""

from __future__ import annotations


class CryptoError(Exception):
    """Base of the errors below."""


class TamperedError(CryptoError):
    """A blob that does not open: changed, truncated, cut from another record (other AAD), or
    naming a data key this installation does not hold. The message never holds key material."""


class KeyUnavailableError(CryptoError):
    """The key store cannot supply a key: a master key named by a data key is not configured
    (not yet, or already removed), or a provider that cannot make keys was asked to."""
