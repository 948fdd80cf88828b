"""Attachments at rest: the sealed storage of the shipped settings keeps ciphertext only, on disk
and in the database, while upload, download and delete work as before; a file moved onto
another attachment's name does not open."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import connection
from django.test import Client

from comity.core.attachments.files import TEXT
from comity.core.attachments.registry import record_type
from comity.core.attachments.selectors import reference_of
from comity.core.crypto.envelope import OVERHEAD
from comity.core.crypto.storage import EncryptedFileSystemStorage
from comity.core.models import Attachment, DataKey, User
from comity.core.testing.attachments import upload
from comity.core.testing.crypto import isolated_keys
from comity.core.testing.factories import make_user
from comity.engagements.models import Exercise
from comity.engagements.tests.helpers import make_exercise

pytestmark = pytest.mark.django_db

API = "/api/core/attachments/"
#: Text that must never be found at rest: neither the whole nor a distinctive part of it.
MINUTES = "Minutes of the Zq7 talks: the sealed-marker Ærø agenda, item 4.\n".encode()
MARKERS = (MINUTES, b"Zq7 talks", b"sealed-marker", "Ærø agenda".encode())


@pytest.fixture(autouse=True)
def sealed_store(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped attachments backend (the sealed one), in a throwaway directory."""
    isolated_keys(settings, tmp_path, monkeypatch)
    root = tmp_path / "attachments"
    shipped = settings.STORAGES["attachments"]
    assert shipped["BACKEND"] == "comity.core.crypto.storage.EncryptedFileSystemStorage"
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {**shipped, "OPTIONS": {**shipped["OPTIONS"], "location": str(root)}},
    }
    return root


@pytest.fixture
def exercise() -> Exercise:
    return make_exercise(
        "seal-x", owner="NLD", title="Sealed exercise", label="NATO RESTRICTED", start_date="2024-05-01"
    )


@pytest.fixture
def client() -> Client:
    editor: User = make_user("NLD", "SECRET", username="seal-editor", roles=("editor",))
    client = Client()
    client.force_login(editor)
    return client


def _attach(client: Client, record: Exercise, name: str = "minutes.txt") -> dict[str, Any]:
    response = client.post(API, {"record": reference_of(record), "file": upload(name, MINUTES)})
    assert response.status_code == 201, response.content
    return response.json()  # type: ignore[no-any-return]


def _files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def _raw_rows() -> list[bytes]:
    """Every value of every row of every table, as bytes (text as UTF-8)."""
    values: list[bytes] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (introspected names)
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, str):
                        values.append(value.encode())
                    elif isinstance(value, bytes | bytearray | memoryview):
                        values.append(bytes(value))
    return values


def test_the_file_on_disk_and_the_rows_hold_no_plaintext(
    sealed_store: Path, client: Client, exercise: Exercise
) -> None:
    made = _attach(client, exercise)
    [stored] = _files(sealed_store)
    raw = stored.read_bytes()
    assert len(raw) == len(MINUTES) + OVERHEAD and not any(marker in raw for marker in MARKERS)
    rows = _raw_rows()
    assert any(b"minutes.txt" in value for value in rows)  # the check does read the attachment's row
    assert not [value for value in rows if any(marker in value for marker in MARKERS)]
    assert DataKey.objects.count() == 1
    response = client.get(made["download"])
    assert response.status_code == 200 and b"".join(response.streaming_content) == MINUTES
    assert response["Content-Length"] == str(len(MINUTES))


def test_a_file_copied_onto_another_attachment_does_not_open(
    sealed_store: Path, client: Client, exercise: Exercise, caplog: pytest.LogCaptureFixture
) -> None:
    first, second = _attach(client, exercise, "a.txt"), _attach(client, exercise, "b.txt")
    names = dict(Attachment.objects.values_list("pk", "storage_name"))
    shutil.copyfile(sealed_store / names[first["id"]], sealed_store / names[second["id"]])
    with caplog.at_level(logging.ERROR, logger="comity.core.attachments.views"):
        response = client.get(second["download"])
    assert response.status_code == 404
    assert "does not open" in caplog.text
    assert client.get(first["download"]).status_code == 200


def test_deleting_an_attachment_shreds_its_data_key(
    sealed_store: Path, client: Client, exercise: Exercise, django_capture_on_commit_callbacks: Any
) -> None:
    made = _attach(client, exercise)
    assert DataKey.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/attachments/{made['id']}/delete/", {"next": "/"})
    assert response.status_code == 302
    assert _files(sealed_store) == [] and not DataKey.objects.exists()


def test_the_storage_refuses_to_open_for_writing_and_reports_the_plaintext_size(sealed_store: Path) -> None:
    storage = EncryptedFileSystemStorage(location=str(sealed_store))
    name = storage.save("note", ContentFile(MINUTES))
    assert storage.size(name) == len(MINUTES) and storage.open(name).read() == MINUTES
    with pytest.raises(ValueError, match="never opened for writing"):
        storage.open(name, "wb")


def test_files_stored_before_sealing_are_sealed_in_place_once(sealed_store: Path, exercise: Exercise) -> None:
    """An upgraded installation: plaintext files written by the plain storage, then sealed by
    ``comity keys seal-attachments``; a second run only checks them; a damaged file is counted."""
    plain = FileSystemStorage(location=str(sealed_store))
    label = exercise.label
    rows = [_plaintext_attachment(plain, exercise, label, f"old-{n}.txt", MINUTES + bytes([n])) for n in range(3)]
    out = StringIO()
    call_command("keys", "seal-attachments", stdout=out)
    assert json.loads(out.getvalue()) == {"sealed": 3, "already": 0, "missing": 0, "unreadable": 0}
    assert not any(MINUTES in path.read_bytes() for path in _files(sealed_store))
    storage = EncryptedFileSystemStorage(location=str(sealed_store))
    assert [storage.open(row.storage_name).read() for row in rows] == [MINUTES + bytes([n]) for n in range(3)]
    (sealed_store / rows[0].storage_name).write_bytes(b"damaged")
    (sealed_store / rows[1].storage_name).unlink()
    out = StringIO()
    call_command("keys", "seal-attachments", stdout=out)
    assert json.loads(out.getvalue()) == {"sealed": 0, "already": 1, "missing": 1, "unreadable": 1}


def _plaintext_attachment(
    storage: FileSystemStorage, record: Exercise, label: Any, filename: str, content: bytes
) -> Attachment:
    name = storage.save(f"old/{filename}", ContentFile(content))
    return Attachment.objects.create(
        content_type=record_type(record),
        object_id=record.pk,
        storage_name=name,
        filename=filename,
        media_type=TEXT,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        label=label,
        owner=record.owner,
    )
