"""Master key rotation: every data key re-wrapped under the new key in batches, old blobs still
open during and after it, an interrupted rotation resumes, and ``comity keys status`` counts."""

from __future__ import annotations

import base64
import json
import os
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from comity.core.crypto import rotation
from comity.core.crypto.envelope import seal, unseal
from comity.core.crypto.providers import key_provider
from comity.core.crypto.rotation import key_status, prune, rotate
from comity.core.models import DataKey
from comity.core.testing.crypto import isolated_keys

pytestmark = pytest.mark.django_db

COUNT = 7


@pytest.fixture(autouse=True)
def keys(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return isolated_keys(settings, tmp_path, monkeypatch)


@pytest.fixture
def blobs() -> list[tuple[bytes, bytes]]:
    """``COUNT`` sealed blobs and the AAD of each."""
    return [(seal(f"message {n}".encode(), aad=f"test:{n}".encode()), f"test:{n}".encode()) for n in range(COUNT)]


def _keys_json() -> dict[str, Any]:
    out = StringIO()
    call_command("keys", "status", "--format", "json", stdout=out)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def _all_open(blobs: list[tuple[bytes, bytes]]) -> bool:
    return all(unseal(blob, aad=aad) == f"message {n}".encode() for n, (blob, aad) in enumerate(blobs))


def test_rotation_rewraps_every_data_key_and_old_blobs_still_open(blobs: list[tuple[bytes, bytes]]) -> None:
    old = key_provider().active_master_key().id
    report = rotate(batch_size=3)
    assert report.started and report.complete and report.rewrapped == COUNT and report.batches == 3
    assert report.master_key_id != old == key_provider().master_key_ids()[1]
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {report.master_key_id}
    assert _all_open(blobs)
    assert prune() == [old] and key_provider().master_key_ids() == [report.master_key_id]
    assert _all_open(blobs)  # the old key is gone and nothing needed it


def test_an_interrupted_rotation_resumes_and_reads_work_throughout(blobs: list[tuple[bytes, bytes]]) -> None:
    old = key_provider().active_master_key().id
    first = rotate(batch_size=2, max_batches=1)
    assert first.started and first.rewrapped == 2 and first.remaining == COUNT - 2
    assert _all_open(blobs)  # half-rotated: each blob opens under whichever key wraps its data key
    fresh = seal(b"written mid-rotation", aad=b"test:mid")
    assert prune() == []  # the old key still wraps data keys: it stays
    status = key_status()
    assert status["keys"] == [
        {"id": first.master_key_id, "active": True, "held": True, "wraps": 3},
        {"id": old, "active": False, "held": True, "wraps": COUNT - 2},
    ]
    second = rotate(batch_size=2)
    assert not second.started and second.master_key_id == first.master_key_id
    assert second.rewrapped == COUNT - 2 and second.complete
    assert len(key_provider().master_key_ids()) == 2  # resumed: no third key
    assert _all_open(blobs) and unseal(fresh, aad=b"test:mid") == b"written mid-rotation"


def test_keys_status_json_counts_what_each_master_key_wraps(blobs: list[tuple[bytes, bytes]]) -> None:
    active = key_provider().active_master_key().id
    assert _keys_json() == {"keys": [{"id": active, "active": True, "held": True, "wraps": COUNT}], "total": COUNT}
    call_command("keys", "rotate", "--batch-size", "4", "--max-batches", "1", stdout=StringIO())
    status = _keys_json()
    assert [(k["active"], k["wraps"]) for k in status["keys"]] == [(True, 4), (False, COUNT - 4)]
    assert status["total"] == COUNT


def test_status_names_a_master_key_the_store_lacks(blobs: list[tuple[bytes, bytes]]) -> None:
    DataKey.objects.filter(pk__in=DataKey.objects.values("pk")[:2]).update(master_key_id="mk-ffffffffffffffff")
    missing = [k for k in _keys_json()["keys"] if not k["held"]]
    assert missing == [{"id": "mk-ffffffffffffffff", "active": False, "held": False, "wraps": 2}]


def test_the_command_refuses_bad_arguments_and_reports_key_store_errors(
    blobs: list[tuple[bytes, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(CommandError):
        call_command("keys", "rotate", "--batch-size", "0")
    monkeypatch.setenv("COMITY_MASTER_KEY", "AAAA")
    with pytest.raises(CommandError, match="COMITY_MASTER_KEY"):
        call_command("keys", "rotate")


def test_a_rotation_that_fails_mid_batch_keeps_whole_batches_only(
    blobs: list[tuple[bytes, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash inside the second batch: the first batch stays re-wrapped, the second is rolled
    back whole (no row half-changed), and running again finishes the rotation."""
    calls = {"n": 0}
    real_wrap = rotation.wrap

    def failing_wrap(*args: Any) -> bytes:
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("killed")
        return real_wrap(*args)

    monkeypatch.setattr(rotation, "wrap", failing_wrap)
    with pytest.raises(RuntimeError):
        rotate(batch_size=3)
    new = key_provider().active_master_key().id
    assert DataKey.objects.filter(master_key_id=new).count() == 3
    assert _all_open(blobs)
    monkeypatch.setattr(rotation, "wrap", real_wrap)
    report = rotate(batch_size=3)
    assert not report.started and report.rewrapped == COUNT - 3 and report.complete
    assert _all_open(blobs)


def test_the_text_commands_say_what_they_did(blobs: list[tuple[bytes, bytes]]) -> None:
    out = StringIO()
    call_command("keys", "rotate", "--batch-size", "5", "--max-batches", "1", stdout=out)
    assert "rotation started" in out.getvalue() and "2 left (run `comity keys rotate` again" in out.getvalue()
    out = StringIO()
    call_command("keys", "status", stdout=out)
    assert "(active)" in out.getvalue() and "(old)" in out.getvalue() and f"total {COUNT}" in out.getvalue()
    out = StringIO()
    call_command("keys", "rotate", stdout=out)
    assert "rotation resumed" in out.getvalue() and "0 left" in out.getvalue()
    out = StringIO()
    call_command("keys", "prune", stdout=out)
    assert out.getvalue().startswith("dropped mk-")


def test_with_environment_keys_the_operator_introduces_the_key(
    blobs: list[tuple[bytes, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The environment provider makes no key: rotate says how to, then re-wraps once told."""
    old, new = base64.b64encode(os.urandom(32)).decode(), base64.b64encode(os.urandom(32)).decode()
    monkeypatch.setenv("COMITY_MASTER_KEY", old)
    env_blob = seal(b"under the environment", aad=b"test:env")
    DataKey.objects.exclude(master_key_id=key_provider().active_master_key().id).delete()  # only env keys now
    with pytest.raises(CommandError, match="set COMITY_MASTER_KEY to a new key"):
        call_command("keys", "rotate")
    monkeypatch.setenv("COMITY_MASTER_KEY", new)
    monkeypatch.setenv("COMITY_PREVIOUS_MASTER_KEYS", old)
    report = rotate()
    assert not report.started and report.rewrapped == 1 and report.complete
    with pytest.raises(CommandError, match="COMITY_PREVIOUS_MASTER_KEYS"):
        call_command("keys", "prune")
    monkeypatch.delenv("COMITY_PREVIOUS_MASTER_KEYS")
    assert unseal(env_blob, aad=b"test:env") == b"under the environment"
