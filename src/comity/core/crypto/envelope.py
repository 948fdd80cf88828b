"""Envelope encryption: ``seal`` and ``unseal``, the calls every encrypted byte goes through.

``seal(plaintext, aad=...)`` makes a fresh AES-256 data key for the one object, encrypts the
bytes with AES-256-GCM under it, and stores the data key in ``core.DataKey`` wrapped by the active
master key (AES-256-GCM again, its AAD the data key's id and the master key's id, so a wrapped key
copied onto another row does not open). The blob is a fixed header and the ciphertext::

    b"CMYS" | version (1 byte, 1) | data key id (16 bytes, a UUID) | nonce (12 bytes) | ciphertext+tag

The header is authenticated with the caller's ``aad`` (header + aad is GCM's associated data): a
changed header byte, a blob cut from another object (another ``aad``), a truncated or extended
blob, a data key the database does not hold, all fail alike with ``TamperedError``.

What ``aad`` must be: the identity of the object the blob belongs to, stable for its life, e.g.
``b"core.attachment:2026/12/3f2a..."`` (the storage name) or ``b"comms.message:42"``. It is not
stored; the caller says it again to ``unseal``.

``seal`` writes a row, so it runs inside the caller's transaction: a rolled-back write takes its
data key with it and the blob it wrote can never be opened. ``shred`` deletes a blob's data key,
which destroys the blob wherever copies of it lie (backups of the file store included).

The data key is fresh per object and the nonce random (96 bits), so a key never encrypts twice
and GCM's nonce-reuse failure cannot happen.
"""

from __future__ import annotations

import os
import struct
import uuid
from collections.abc import Sequence
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import connection

from comity.core.crypto.errors import TamperedError
from comity.core.crypto.providers import KEY_BYTES, MasterKey, key_provider
from comity.core.models import DataKey

MAGIC = b"CMYS"
VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16
_HEADER = struct.Struct(f"!4sB16s{NONCE_BYTES}s")
HEADER_BYTES = _HEADER.size
#: Bytes a sealed blob has beyond its plaintext.
OVERHEAD = HEADER_BYTES + TAG_BYTES
_WRAP_CONTEXT = b"comity data key v1\x00"


def _wrap_aad(key_id: uuid.UUID, master_id: str) -> bytes:
    return _WRAP_CONTEXT + key_id.bytes + master_id.encode()


def wrap(master: MasterKey, key_id: uuid.UUID, data_key: bytes) -> bytes:
    """The data key encrypted under the master key: nonce and ciphertext."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(master.key).encrypt(nonce, data_key, _wrap_aad(key_id, master.id))


def unwrap(master: MasterKey, key_id: uuid.UUID, wrapped: bytes) -> bytes:
    """The data key back; ``TamperedError`` when the wrapped bytes or their row were changed."""
    wrapped = bytes(wrapped)
    try:
        return AESGCM(master.key).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _wrap_aad(key_id, master.id))
    except InvalidTag:
        raise TamperedError(f"data key {key_id} does not open under {master.id}: its row was changed") from None


#: The columns ``seal`` writes (``created`` is the database's default).
_COLUMNS = ("id", "master_key_id", "wrapped")


@cache
def _insert_statement(vendor: str) -> str:
    """The INSERT of one data key, for one database vendor (quoting differs)."""
    del vendor  # the cache key: the statement is built with the connection's own quoting
    meta, quote = DataKey._meta, connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in _COLUMNS)
    # Identifiers come from the model's metadata and are quoted; every value is a parameter.
    return f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES (%s, %s, %s)"  # noqa: S608


def _insert_data_key(key_id: uuid.UUID, master_id: str, wrapped: bytes) -> None:
    """Write one ``DataKey`` row with one parameterised INSERT. ``Model.save`` cost six times the
    statement itself, half of ``seal`` (bench/crypto_bench.py); the values are prepared by the
    fields, as the ORM prepares them, so the row reads back through the ORM the same."""
    meta = DataKey._meta
    values = (
        meta.pk.get_db_prep_save(key_id, connection),
        master_id,
        meta.get_field("wrapped").get_db_prep_save(wrapped, connection),
    )
    with connection.cursor() as cursor:
        cursor.execute(_insert_statement(connection.vendor), values)


def seal(plaintext: bytes, *, aad: bytes) -> bytes:
    """Encrypt ``plaintext`` for the object ``aad`` names, under a new data key (see the module)."""
    master = key_provider().active_master_key()
    data_key = os.urandom(KEY_BYTES)
    key_id = uuid.uuid4()
    _insert_data_key(key_id, master.id, wrap(master, key_id, data_key))
    nonce = os.urandom(NONCE_BYTES)
    header = _HEADER.pack(MAGIC, VERSION, key_id.bytes, nonce)
    return header + AESGCM(data_key).encrypt(nonce, plaintext, header + aad)


def data_key_id(blob: bytes) -> uuid.UUID:
    """The id of the data key a blob names; ``TamperedError`` for bytes that are no sealed blob."""
    if len(blob) < OVERHEAD:
        raise TamperedError("not a sealed blob: too short")
    magic, version, key_id, _nonce = _HEADER.unpack_from(blob)
    if magic != MAGIC or version != VERSION:
        raise TamperedError("not a sealed blob of a version this comity reads")
    return uuid.UUID(bytes=key_id)


def unseal(blob: bytes, *, aad: bytes) -> bytes:
    """The plaintext ``seal`` was given, if ``blob`` is unchanged and ``aad`` is the same object's;
    otherwise ``TamperedError``. ``KeyUnavailableError`` when the master key that wraps the blob's
    data key is not configured here (a key store problem, not a forgery)."""
    [opened] = unseal_many([(blob, aad)])
    if isinstance(opened, TamperedError):
        raise opened
    return opened


def unseal_many(items: Sequence[tuple[bytes, bytes]]) -> list[bytes | TamperedError]:
    """``unseal`` of each (blob, aad), their data keys read in one query (a page of messages opens
    with one round trip, not one per message); a blob that does not open gives its
    ``TamperedError`` in its place rather than failing the others."""
    blobs = [bytes(blob) for blob, _ in items]
    ids: list[uuid.UUID | TamperedError] = []
    for blob in blobs:
        try:
            ids.append(data_key_id(blob))
        except TamperedError as error:
            ids.append(error)
    wanted = [key_id for key_id in ids if isinstance(key_id, uuid.UUID)]
    found = DataKey.objects.filter(pk__in=wanted).values_list("pk", "master_key_id", "wrapped")
    rows = {pk: (master, wrapped) for pk, master, wrapped in found}
    masters: dict[str, MasterKey] = {}
    result: list[bytes | TamperedError] = []
    for blob, (_, aad), key_id in zip(blobs, items, ids, strict=True):
        if isinstance(key_id, TamperedError):
            result.append(key_id)
            continue
        if key_id not in rows:
            result.append(
                TamperedError("the blob names a data key this installation does not hold (changed, or shredded)")
            )
            continue
        master_id, wrapped = rows[key_id]
        if master_id not in masters:
            masters[master_id] = MasterKey(master_id, key_provider().master_key(master_id))
        try:
            data_key = unwrap(masters[master_id], key_id, wrapped)
        except TamperedError as error:
            result.append(error)
            continue
        header, nonce = blob[:HEADER_BYTES], blob[HEADER_BYTES - NONCE_BYTES : HEADER_BYTES]
        try:
            result.append(AESGCM(data_key).decrypt(nonce, blob[HEADER_BYTES:], header + aad))
        except InvalidTag:
            result.append(TamperedError("the blob does not open: changed, or it belongs to another object"))
    return result


def shred(blob: bytes) -> None:
    """Delete the data key of a blob, so that it and every copy of it can never be opened."""
    DataKey.objects.filter(pk=data_key_id(bytes(blob))).delete()
