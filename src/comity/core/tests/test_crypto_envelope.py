"""Envelope encryption: a sealed blob opens only unchanged, for the object it was sealed for, and
the key store is made owner-only; any other blob is a ``TamperedError``."""

from __future__ import annotations

import base64
import json
import os
import stat
import uuid
from pathlib import Path
from typing import Any

import pytest

from comity.core.crypto.envelope import HEADER_BYTES, OVERHEAD, data_key_id, seal, shred, unseal, unwrap, wrap
from comity.core.crypto.errors import KeyUnavailableError, TamperedError
from comity.core.crypto.providers import EnvironmentKeyProvider, MasterKey, key_provider, master_key_id
from comity.core.models import DataKey
from comity.core.testing.crypto import isolated_keys

pytestmark = pytest.mark.django_db

SECRET_TEXT = b"Exercise STEADFAST minutes: the rotation plan for 2027"
AAD = b"core.attachment:2026/12/abc"


@pytest.fixture(autouse=True)
def keys(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return isolated_keys(settings, tmp_path, monkeypatch)


def test_a_blob_opens_to_its_plaintext_and_holds_none_of_it() -> None:
    blob = seal(SECRET_TEXT, aad=AAD)
    assert unseal(blob, aad=AAD) == SECRET_TEXT
    assert len(blob) == len(SECRET_TEXT) + OVERHEAD
    assert SECRET_TEXT not in blob and b"STEADFAST" not in blob


def test_each_object_gets_its_own_data_key() -> None:
    first, second = seal(SECRET_TEXT, aad=AAD), seal(SECRET_TEXT, aad=AAD)
    assert data_key_id(first) != data_key_id(second) and first[HEADER_BYTES:] != second[HEADER_BYTES:]
    assert DataKey.objects.count() == 2
    row = DataKey.objects.get(pk=data_key_id(first))
    assert row.master_key_id == key_provider().active_master_key().id


def test_the_key_file_is_made_owner_only_on_first_use(keys: Path) -> None:
    assert not keys.exists()
    seal(b"x", aad=AAD)
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.parent.stat().st_mode) == 0o700


def test_a_blob_for_another_object_does_not_open() -> None:
    blob = seal(SECRET_TEXT, aad=AAD)
    with pytest.raises(TamperedError):
        unseal(blob, aad=b"core.attachment:2026/12/abd")
    with pytest.raises(TamperedError):
        unseal(blob, aad=b"")


@pytest.mark.parametrize("position", [0, 4, 5, 20, HEADER_BYTES - 1, HEADER_BYTES, -1])
def test_a_changed_byte_anywhere_is_tampering(position: int) -> None:
    blob = bytearray(seal(SECRET_TEXT, aad=AAD))
    blob[position] ^= 0x01
    with pytest.raises(TamperedError):
        unseal(bytes(blob), aad=AAD)


@pytest.mark.parametrize("cut", ["truncated", "extended", "empty", "header only"])
def test_a_blob_of_the_wrong_length_is_tampering(cut: str) -> None:
    blob = seal(SECRET_TEXT, aad=AAD)
    damaged = {"truncated": blob[:-1], "extended": blob + b"\0", "empty": b"", "header only": blob[:HEADER_BYTES]}[cut]
    with pytest.raises(TamperedError):
        unseal(damaged, aad=AAD)


def test_a_blob_naming_an_unknown_data_key_is_tampering() -> None:
    blob = seal(SECRET_TEXT, aad=AAD)
    forged = blob[:5] + uuid.uuid4().bytes + blob[21:]
    with pytest.raises(TamperedError, match="does not hold"):
        unseal(forged, aad=AAD)


def test_a_shredded_blob_never_opens_again() -> None:
    blob = seal(SECRET_TEXT, aad=AAD)
    shred(blob)
    assert not DataKey.objects.exists()
    with pytest.raises(TamperedError):
        unseal(blob, aad=AAD)


def test_a_changed_wrapped_key_or_a_swapped_row_is_tampering() -> None:
    first, second = seal(b"one", aad=AAD), seal(b"two", aad=AAD)
    row_a, row_b = DataKey.objects.get(pk=data_key_id(first)), DataKey.objects.get(pk=data_key_id(second))
    DataKey.objects.filter(pk=row_a.pk).update(wrapped=bytes(row_b.wrapped))  # another row's wrapped key
    with pytest.raises(TamperedError, match="row was changed"):
        unseal(first, aad=AAD)
    wrapped = bytearray(bytes(row_b.wrapped))
    wrapped[-1] ^= 0x80
    DataKey.objects.filter(pk=row_b.pk).update(wrapped=bytes(wrapped))
    with pytest.raises(TamperedError):
        unseal(second, aad=AAD)


def test_a_master_key_the_store_lacks_is_a_key_store_error_not_tampering() -> None:
    blob = seal(SECRET_TEXT, aad=AAD)
    DataKey.objects.update(master_key_id="mk-0000000000000000")
    with pytest.raises(KeyUnavailableError):
        unseal(blob, aad=AAD)


def test_the_environment_provider_reads_base64_keys(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = os.urandom(32), os.urandom(32)
    monkeypatch.setenv("COMITY_MASTER_KEY", base64.b64encode(old).decode())
    assert key_provider().active_master_key().id == master_key_id(old)  # the default prefers the environment
    blob = seal(SECRET_TEXT, aad=AAD)
    monkeypatch.setenv("COMITY_MASTER_KEY", base64.b64encode(new).decode())
    monkeypatch.setenv("COMITY_PREVIOUS_MASTER_KEYS", base64.b64encode(old).decode())
    assert unseal(blob, aad=AAD) == SECRET_TEXT
    assert EnvironmentKeyProvider().master_key_ids() == [master_key_id(new), master_key_id(old)]
    monkeypatch.delenv("COMITY_PREVIOUS_MASTER_KEYS")
    with pytest.raises(KeyUnavailableError):
        unseal(blob, aad=AAD)


@pytest.mark.parametrize("value", ["not base64!", base64.b64encode(b"short").decode()])
def test_a_malformed_environment_key_is_refused_by_name(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("COMITY_MASTER_KEY", value)
    with pytest.raises(KeyUnavailableError, match="COMITY_MASTER_KEY"):
        seal(b"x", aad=AAD)
    assert not DataKey.objects.exists()


def test_a_damaged_key_file_is_refused_by_name(keys: Path) -> None:
    keys.parent.mkdir(parents=True)
    keys.write_text("{}", encoding="utf-8")
    with pytest.raises(KeyUnavailableError, match="not a comity key file"):
        seal(b"x", aad=AAD)


def test_a_master_key_another_process_added_is_found_at_once(keys: Path) -> None:
    """The cached copy of the key file is trusted for a second, but never for a key it lacks."""
    blob = seal(SECRET_TEXT, aad=AAD)
    data = json.loads(keys.read_text(encoding="utf-8"))
    new = os.urandom(32)
    data["master_keys"][master_key_id(new)] = base64.b64encode(new).decode()
    data["active"] = master_key_id(new)
    keys.write_text(json.dumps(data), encoding="utf-8")  # as `comity keys rotate` elsewhere would
    row = DataKey.objects.get()
    master = MasterKey(master_key_id(new), new)
    plain = unwrap(MasterKey(row.master_key_id, key_provider().master_key(row.master_key_id)), row.pk, row.wrapped)
    DataKey.objects.filter(pk=row.pk).update(master_key_id=master.id, wrapped=wrap(master, row.pk, plain))
    assert unseal(blob, aad=AAD) == SECRET_TEXT
