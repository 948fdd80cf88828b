"""Where the master keys and the instance's signing key come from: a key provider.

A provider answers four questions (``KeyProvider``): which master key wraps new data keys, the
bytes of a master key by its id, which master keys it holds, and the instance's Ed25519 signing
key; a provider that can make keys also introduces a new master key and forgets an old one.
Two ship:

- ``FileKeyProvider``: one JSON file (``COMITY_KEY_FILE``, by default ``keys.json`` in the data
  directory), created owner-only (0600) on first use. The embedded installation has no operator
  to hand it a key, exactly as for its secret key (``settings.env.persistent_secret_key``).
- ``EnvironmentKeyProvider``: ``COMITY_MASTER_KEY`` (base64 of 32 bytes) is the active master key,
  ``COMITY_PREVIOUS_MASTER_KEYS`` (comma-separated base64) the ones still being rotated away
  from, ``COMITY_SIGNING_KEY`` (base64 of a 32-byte Ed25519 seed) the signing key. Production's
  choice: the keys never lie beside the database.

``settings.COMITY_KEY_PROVIDER`` names, by import path, a callable returning the provider; a KMS
(which keeps the master key and wraps and unwraps on request) fits by implementing the same
protocol. The default (``default_provider``) takes the environment when ``COMITY_MASTER_KEY`` is
set and the file otherwise.

A master key's id is derived from the key (``mk-`` and 16 hex digits of a SHA-256 under a fixed
prefix), so the same key has the same id whichever provider holds it, and an id reveals nothing
usable about the key (a preimage of SHA-256 over a 256-bit secret).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
import secrets
import time
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.utils.module_loading import import_string

from comity.core.crypto.errors import KeyUnavailableError

#: AES-256: a master key and a data key are 32 random bytes.
KEY_BYTES = 32
#: The file format's version, so a later format can be read beside this one.
FILE_VERSION = 1


@dataclass(frozen=True, slots=True)
class MasterKey:
    id: str
    key: bytes


def master_key_id(key: bytes) -> str:
    """The id of a master key: stable, short, and no help in finding the key."""
    return "mk-" + hashlib.sha256(b"comity master key id\x00" + key).hexdigest()[:16]


class KeyProvider(Protocol):
    """What ``core.crypto`` asks of a key store."""

    def active_master_key(self) -> MasterKey:
        """The master key that wraps new data keys."""

    def master_key(self, key_id: str) -> bytes:
        """A master key by id; ``KeyUnavailableError`` when this store does not hold it."""

    def master_key_ids(self) -> list[str]:
        """Every master key held, the active one first."""

    def signing_key(self) -> Ed25519PrivateKey:
        """The instance's Ed25519 key for label bindings."""

    def introduce_master_key(self) -> str:
        """Make a new master key the active one (the others stay readable); its id."""

    def forget_master_key(self, key_id: str) -> None:
        """Drop a master key that is not active (callers check it wraps nothing first)."""


def _b64(raw: str, name: str) -> bytes:
    try:
        key = base64.b64decode(raw.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise KeyUnavailableError(f"{name} is not base64") from exc
    if len(key) != KEY_BYTES:
        raise KeyUnavailableError(f"{name} must be {KEY_BYTES} bytes of base64 (got {len(key)} bytes)")
    return key


@lru_cache(maxsize=8)
def _signing_key(seed: bytes) -> Ed25519PrivateKey:
    """The key object of a seed, made once (loading it costs as much as a signature)."""
    return Ed25519PrivateKey.from_private_bytes(seed)


@dataclass(frozen=True, slots=True)
class _KeyFile:
    """The parsed key file: master keys by id, the active id, the signing seed."""

    active: str
    master_keys: dict[str, bytes]
    signing_seed: bytes

    def dumps(self) -> str:
        return json.dumps(
            {
                "version": FILE_VERSION,
                "active": self.active,
                "master_keys": {kid: base64.b64encode(k).decode() for kid, k in self.master_keys.items()},
                "signing_key": base64.b64encode(self.signing_seed).decode(),
            },
            indent=2,
        )

    @classmethod
    def loads(cls, text: str, path: Path) -> _KeyFile:
        try:
            data = json.loads(text)
            keys = {kid: _b64(raw, f"{path}: master key {kid}") for kid, raw in data["master_keys"].items()}
            parsed = cls(data["active"], keys, _b64(data["signing_key"], f"{path}: signing key"))
        except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as exc:
            raise KeyUnavailableError(f"{path} is not a comity key file") from exc
        if parsed.active not in keys or any(master_key_id(k) != kid for kid, k in keys.items()):
            raise KeyUnavailableError(f"{path}: a master key's id does not match it, or the active key is missing")
        return parsed

    @classmethod
    def fresh(cls) -> _KeyFile:
        key = secrets.token_bytes(KEY_BYTES)
        return cls(master_key_id(key), {master_key_id(key): key}, secrets.token_bytes(KEY_BYTES))


@cache
def _parsed(path: str, stamp: tuple[int, int, int]) -> _KeyFile:
    """The key file as of one (inode, size, mtime): a rewrite by ``keys rotate`` in another
    process changes the stamp, so every process sees the new key on its next call."""
    del stamp  # part of the cache key only
    return _KeyFile.loads(Path(path).read_text(encoding="utf-8"), Path(path))


#: How long a process trusts its copy of the key file before it looks at the file again.
RECHECK_SECONDS = 1.0
#: Per key file: when it was last looked at, and its keys then.
_seen: dict[str, tuple[float, _KeyFile]] = {}


def _write_new(path: Path, content: str, *, replace: bool) -> None:
    """Write the file owner-only, atomically: a reader sees the old file or the new, never half.
    A first write links into place and so never overwrites a file another process made first."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(temporary, path)
        else:
            with contextlib.suppress(FileExistsError):  # another process made it first: theirs stands
                os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


class FileKeyProvider:
    """Keys in one owner-only JSON file, made on first use (see the module's docstring)."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path

    @property
    def path(self) -> Path:
        return self._path or Path(settings.COMITY_KEY_FILE)

    def _load(self, *, fresh: bool = False) -> _KeyFile:
        """The file's keys, looked at again at most every ``RECHECK_SECONDS`` (a ``stat`` per
        call was a tenth of ``seal``'s time) or when ``fresh``: a key the cached copy lacks is
        looked for in the file itself, so a process never fails a read for a key another
        process has just added. A ``seal`` in the second after a rotation may still wrap under
        the old key; that key stays in the file until ``prune`` finds it wraps nothing."""
        name = str(self._path or settings.COMITY_KEY_FILE)
        seen = _seen.get(name)
        if seen is not None and not fresh and time.monotonic() - seen[0] < RECHECK_SECONDS:
            return seen[1]
        path = Path(name)
        try:
            stat = path.stat()
        except FileNotFoundError:
            _write_new(path, _KeyFile.fresh().dumps(), replace=False)
            stat = path.stat()
        keys = _parsed(str(path), (stat.st_ino, stat.st_size, stat.st_mtime_ns))
        _seen[str(path)] = (time.monotonic(), keys)
        return keys

    def _store(self, keys: _KeyFile) -> None:
        _write_new(self.path, keys.dumps(), replace=True)
        _seen.pop(str(self.path), None)

    def active_master_key(self) -> MasterKey:
        keys = self._load()
        return MasterKey(keys.active, keys.master_keys[keys.active])

    def master_key(self, key_id: str) -> bytes:
        key = self._load().master_keys.get(key_id) or self._load(fresh=True).master_keys.get(key_id)
        if key is None:
            raise KeyUnavailableError(f"master key {key_id} is not in {self.path}")
        return key

    def master_key_ids(self) -> list[str]:
        keys = self._load()
        return [keys.active, *(kid for kid in keys.master_keys if kid != keys.active)]

    def signing_key(self) -> Ed25519PrivateKey:
        return _signing_key(self._load().signing_seed)

    def introduce_master_key(self) -> str:
        current = self._load(fresh=True)
        key = secrets.token_bytes(KEY_BYTES)
        new = _KeyFile(master_key_id(key), {master_key_id(key): key, **current.master_keys}, current.signing_seed)
        self._store(new)
        return new.active

    def forget_master_key(self, key_id: str) -> None:
        current = self._load(fresh=True)
        if key_id == current.active:
            raise KeyUnavailableError("the active master key cannot be forgotten")
        kept = {kid: k for kid, k in current.master_keys.items() if kid != key_id}
        self._store(_KeyFile(current.active, kept, current.signing_seed))


@cache
def _env_keys(active: str, previous: str) -> tuple[MasterKey, ...]:
    keys = [_b64(active, "COMITY_MASTER_KEY")]
    keys += [_b64(raw, "COMITY_PREVIOUS_MASTER_KEYS") for raw in previous.split(",") if raw.strip()]
    return tuple(MasterKey(master_key_id(k), k) for k in keys)


class EnvironmentKeyProvider:
    """Keys from the environment (see the module's docstring); it cannot make or drop keys, the
    operator does, by changing the variables."""

    def _keys(self) -> tuple[MasterKey, ...]:
        active = os.environ.get("COMITY_MASTER_KEY", "")
        if not active:
            raise KeyUnavailableError("COMITY_MASTER_KEY is not set (base64 of 32 random bytes)")
        return _env_keys(active, os.environ.get("COMITY_PREVIOUS_MASTER_KEYS", ""))

    def active_master_key(self) -> MasterKey:
        return self._keys()[0]

    def master_key(self, key_id: str) -> bytes:
        for held in self._keys():
            if held.id == key_id:
                return held.key
        raise KeyUnavailableError(
            f"master key {key_id} is neither COMITY_MASTER_KEY nor one of COMITY_PREVIOUS_MASTER_KEYS"
        )

    def master_key_ids(self) -> list[str]:
        return list(dict.fromkeys(held.id for held in self._keys()))

    def signing_key(self) -> Ed25519PrivateKey:
        raw = os.environ.get("COMITY_SIGNING_KEY", "")
        if not raw:
            raise KeyUnavailableError("COMITY_SIGNING_KEY is not set (base64 of a 32-byte Ed25519 seed)")
        return _signing_key(_b64(raw, "COMITY_SIGNING_KEY"))

    def introduce_master_key(self) -> str:
        raise KeyUnavailableError(
            "keys come from the environment: set COMITY_MASTER_KEY to a new key, move the old one to "
            "COMITY_PREVIOUS_MASTER_KEYS, restart, then run `comity keys rotate`"
        )

    def forget_master_key(self, key_id: str) -> None:
        raise KeyUnavailableError(f"keys come from the environment: remove {key_id} from COMITY_PREVIOUS_MASTER_KEYS")


def default_provider() -> KeyProvider:
    """The environment's keys when ``COMITY_MASTER_KEY`` is set, else the key file."""
    return EnvironmentKeyProvider() if os.environ.get("COMITY_MASTER_KEY") else FileKeyProvider()


def key_provider() -> KeyProvider:
    """The configured provider (looked up per call, so a test or a deployment may swap it)."""
    factory = import_string(settings.COMITY_KEY_PROVIDER)
    return factory()  # type: ignore[no-any-return]


__all__ = [
    "EnvironmentKeyProvider",
    "FileKeyProvider",
    "KeyProvider",
    "MasterKey",
    "default_provider",
    "key_provider",
    "master_key_id",
]
