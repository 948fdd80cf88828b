"""Attachments: what may be attached (size, type read from the bytes, label floor), who may attach
and read them (the record's write rule; the file's and the record's labels), how they are served
(a download marked with its label, never rendered in place) and what the change log keeps."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from comity.core.attachments import services
from comity.core.attachments.files import DOCX, ODT, PDF, TEXT, clean_filename
from comity.core.attachments.selectors import reference_of
from comity.core.labels import label_from_marking
from comity.core.models import Attachment, User
from comity.core.permissions import WriteDenied
from comity.core.selectors import audit_history
from comity.core.testing.attachments import (
    ELF_BYTES,
    EXE_BYTES,
    PDF_BYTES,
    stored_attachment,
    upload,
    zip_bytes,
)
from comity.core.testing.factories import make_user
from comity.engagements.models import Exercise
from comity.engagements.tests.helpers import make_exercise

pytestmark = pytest.mark.django_db

API = "/api/core/attachments/"


@pytest.fixture
def store(settings: Any, tmp_path: Path) -> Path:
    """A throwaway attachments storage (and MEDIA_ROOT) for the test."""
    root = tmp_path / "attachments"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
    }
    return root


def files_in(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def exercise() -> Exercise:
    return make_exercise(
        "att-x", owner="NLD", title="Attachment exercise", label="NATO RESTRICTED", start_date="2024-05-01"
    )


@pytest.fixture
def editor() -> User:
    return make_user("NLD", "SECRET", username="att-editor", roles=("editor",))


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, record: Any, name: str, content: bytes, **extra: str) -> Any:
    return client.post(API, {"record": reference_of(record), "file": upload(name, content), **extra})


def test_an_editor_attaches_a_pdf_and_the_record_history_lists_it(
    store: Path, exercise: Exercise, editor: User
) -> None:
    client = client_for(editor)
    response = post(client, exercise, "Final report.pdf", PDF_BYTES)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["record"] == f"engagements.engagement:{exercise.pk}"
    assert (body["filename"], body["media_type"], body["size"]) == ("Final report.pdf", PDF, len(PDF_BYTES))
    assert body["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    assert body["label"]["marking"] == "NATO RESTRICTED"  # the record's, by default
    assert body["owner"] == "NLD"
    [stored] = files_in(store)
    assert stored.read_bytes() == PDF_BYTES
    history = client.get(f"/api/engagements/exercises/{exercise.key}/history/").json()
    assert [e["object_repr"] for e in history["results"]] == ["Attachment exercise", "attachment Final report.pdf"]
    page = client.get(f"/engagements/exercises/{exercise.key}/").content.decode()
    assert "Final report.pdf" in page and "created attachment Final report.pdf" in page
    listed = client.get(API, {"record": f"engagements.exercise:{exercise.pk}"}).json()["results"]
    assert [a["id"] for a in listed] == [body["id"]]


def test_the_download_is_marked_streamed_and_never_rendered(store: Path, exercise: Exercise, editor: User) -> None:
    client = client_for(editor)
    made = post(client, exercise, "brief.pdf", PDF_BYTES, label="NATO SECRET REL TO NLD").json()
    for url in (f"/attachments/{made['id']}/download/", made["download"]):
        response = client.get(url)
        assert response.status_code == 200 and response.streaming
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == PDF
        assert response["Content-Disposition"] == 'attachment; filename="brief.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Comity-Marking"] == "NATO SECRET REL TO NLD"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", EXE_BYTES),  # a Windows executable renamed
        ("notes.txt", ELF_BYTES),  # a Linux executable renamed
        ("table.xlsx", zip_bytes({"payload.exe": EXE_BYTES})),  # a ZIP that is no office document
        (
            "macro.docx",
            zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>", "word/vbaProject.bin": b"x"}),
        ),
        ("page.txt", b"\x00\x01binary"),
    ],
)
def test_content_that_is_not_an_allowed_type_is_refused(
    store: Path, exercise: Exercise, editor: User, name: str, content: bytes
) -> None:
    response = post(client_for(editor), exercise, name, content)
    assert response.status_code == 400
    assert "not one of the allowed types" in response.json()["file"][0]
    assert files_in(store) == [] and not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "media_type", "saved_as"),
    [
        ("minutes.odt", zip_bytes({"mimetype": ODT.encode(), "content.xml": b"<office/>"}), ODT, "minutes.odt"),
        ("text.docx", zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}), DOCX, "text.docx"),
        ("rows.csv", b"nation,personnel\nNLD,30\n", "text/csv", "rows.csv"),
        ("Notiz über Ådaži", "Übung in Ādaži\r\n".encode(), TEXT, "Notiz über Ådaži.txt"),
        ("setup.exe", PDF_BYTES, PDF, "setup.exe.pdf"),  # the name is made to say what the content is
    ],
)
def test_allowed_content_is_typed_by_its_bytes(
    store: Path, exercise: Exercise, editor: User, name: str, content: bytes, media_type: str, saved_as: str
) -> None:
    response = post(client_for(editor), exercise, name, content)
    assert response.status_code == 201, response.content
    assert (response.json()["media_type"], response.json()["filename"]) == (media_type, saved_as)


def test_too_large_and_empty_files_are_refused_with_the_limit(
    settings: Any, store: Path, exercise: Exercise, editor: User
) -> None:
    settings.COMITY_ATTACHMENT_MAX_BYTES = 64
    client = client_for(editor)
    large = post(client, exercise, "big.txt", b"a" * 65)
    assert large.status_code == 400
    assert large.json()["file"] == ["the file is 65 bytes; attachments may be at most 64 bytes (6.10352e-05 MiB)"]
    assert post(client, exercise, "fits.txt", b"a" * 64).status_code == 201
    empty = post(client, exercise, "empty.txt", b"")
    assert (empty.status_code, empty.json()["file"]) == (400, ["the file is empty"])
    assert len(files_in(store)) == 1 and Attachment.objects.count() == 1


def test_the_label_is_never_below_the_record_nor_above_the_uploader(
    store: Path, exercise: Exercise, editor: User
) -> None:
    client = client_for(editor)
    low = post(client, exercise, "low.txt", b"text", label="PUBLIC")
    assert low.status_code == 400
    assert low.json()["label"] == [
        "a file on this record must be labelled at least as high as the record: at least NATO RESTRICTED"
    ]
    confidential = make_user("NLD", "CONFIDENTIAL", username="att-conf", roles=("editor",))
    high = post(client_for(confidential), exercise, "high.txt", b"text", label="NATO SECRET")
    assert high.status_code == 400 and "above what you may see" in high.json()["label"][0]
    assert files_in(store) == [] and not Attachment.objects.exists()
    made = post(client, exercise, "ok.txt", b"text").json()
    lowered = client.patch(f"{API}{made['id']}/", {"label": "PUBLIC"}, content_type="application/json")
    assert lowered.status_code == 400 and "at least NATO RESTRICTED" in lowered.json()["label"][0]
    raised = client.patch(f"{API}{made['id']}/", {"label": "NATO SECRET"}, content_type="application/json")
    assert raised.status_code == 200 and raised.json()["label"]["marking"] == "NATO SECRET"
    actions = [e.action for e in audit_history(editor, exercise).order_by("time", "pk") if e.attachment_name]
    assert actions == ["create", "update"]


def test_only_an_editor_of_the_records_owner_writes(store: Path, exercise: Exercise, editor: User) -> None:
    made = post(client_for(editor), exercise, "ok.txt", b"text").json()
    for user in (
        make_user("NLD", "SECRET", username="att-viewer", roles=("viewer",)),
        make_user("FIN", "SECRET", username="att-fin", roles=("editor",)),
    ):
        client = client_for(user)
        assert post(client, exercise, "no.txt", b"text").status_code == 403
        assert client.delete(f"{API}{made['id']}/").status_code == 403
        patched = client.patch(f"{API}{made['id']}/", {"label": "NATO SECRET"}, content_type="application/json")
        assert patched.status_code == 403
    assert Attachment.objects.count() == 1 and len(files_in(store)) == 1
    with pytest.raises(WriteDenied):
        services.attachment_upload(
            acting_user=make_user("FIN", "SECRET", username="att-fin2", roles=("editor",)),
            record=exercise,
            upload=upload("x.txt", b"x"),
        )


_CSRF = re.compile(rb'("X-CSRFToken": ?"|name="csrfmiddlewaretoken" value=")[^"]+')


def _same(body: bytes, pk: int) -> bytes:
    """A body as compared with another: the id asked for written as ID, the CSRF token (masked
    afresh on every page) taken out."""
    return _CSRF.sub(rb"\1", body.replace(f"/{pk}/".encode(), b"/ID/"))


def test_a_hidden_attachment_or_record_answers_like_a_missing_one(store: Path, editor: User) -> None:
    """Hidden by its own label, or by its record's: the same 404 and body as an id that never was,
    on every read path (page download, API detail, API download, a record's list)."""
    public = make_exercise("att-pub", owner="NLD", label="PUBLIC", start_date="2024-05-01")
    secret = make_exercise("att-sec", owner="NLD", label="NATO SECRET REL TO NLD", start_date="2024-05-01")
    hidden_by_label = stored_attachment(
        public, label_from_marking("NATO SECRET REL TO NLD"), filename="own.txt", content=b"x"
    )
    # A file left below its record after the record was relabelled above it: the record hides it.
    hidden_by_record = stored_attachment(secret, label_from_marking("PUBLIC"), filename="rec.txt", content=b"x")
    fin = client_for(make_user("FIN", "SECRET", username="att-fin"))
    nld = client_for(editor)
    for attachment in (hidden_by_label, hidden_by_record):
        for path in ("/attachments/{}/download/", API + "{}/", API + "{}/download/"):
            hidden, missing = fin.get(path.format(attachment.pk)), fin.get(path.format(999999))
            assert hidden.status_code == missing.status_code == 404
            assert _same(hidden.content, attachment.pk) == _same(missing.content, 999999)
            assert nld.get(path.format(attachment.pk)).status_code == 200
    hidden_list = fin.get(API, {"record": reference_of(secret)})
    missing_list = fin.get(API, {"record": "engagements.engagement:999999"})
    assert (hidden_list.status_code, hidden_list.content) == (missing_list.status_code, missing_list.content)
    assert fin.get(API).json()["count"] == 0
    assert fin.get(API, {"record": "core.user:1"}).status_code == 400
    # Writes on them are refused the same way: the write rule is never reached.
    assert fin.delete(f"{API}{hidden_by_record.pk}/").status_code == 404
    assert fin.post(f"/attachments/{hidden_by_record.pk}/delete/").status_code == 404
    assert Attachment.objects.count() == 2


BOUNDARY = "comity-test-boundary"


def _raw_multipart(record: str, filename: str, content: bytes) -> bytes:
    """An upload as a hostile client sends it: the name in RFC 2231 form (``filename*``), which
    carries any character, line breaks included, past the multipart parser."""
    name = quote(filename.encode("utf-8"), safe="")
    return (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="record"\r\n\r\n{record}\r\n'
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''{name}\r\n"
            "Content-Type: text/html\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def test_hostile_file_names_are_cleaned_and_shown_as_text(store: Path, exercise: Exercise, editor: User) -> None:
    client = client_for(editor)
    # A path, a quote, a header injection, markup and a right-to-left override that shows "txt.jpg".
    hostile = '..\\..\\etc/evil"\r\nSet-Cookie: a=b; <img src=x onerror=alert(1)>\u202egpj.txt'
    made = client.post(
        API,
        _raw_multipart(reference_of(exercise), hostile, b"text"),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    ).json()
    assert made["filename"] == 'evil"Set-Cookie: a=b; <img src=x onerror=alert(1)>gpj.txt'
    response = client.get(f"/attachments/{made['id']}/download/")
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition == 'attachment; filename="evil\\"Set-Cookie: a=b; <img src=x onerror=alert(1)>gpj.txt"'
    assert "Set-Cookie" not in response.headers
    page = client.get(f"/engagements/exercises/{exercise.key}/").content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;gpj.txt" in page
    assert clean_filename("\x00\x07 . ") == "attachment"
    assert clean_filename("a" * 300 + ".pdf") == "a" * 196 + ".pdf"
    non_ascii = post(client, exercise, "Übung.pdf", PDF_BYTES).json()
    assert client.get(non_ascii["download"])["Content-Disposition"] == "attachment; filename*=utf-8''%C3%9Cbung.pdf"


def test_deleting_removes_the_file_once_committed(
    store: Path, exercise: Exercise, editor: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(editor)
    made = post(client, exercise, "gone.txt", b"text").json()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"{API}{made['id']}/").status_code == 204
    assert files_in(store) == [] and not Attachment.objects.exists()
    entries = audit_history(editor, exercise).exclude(attachment_name="").order_by("time", "pk")
    assert [(e.action, e.object_repr) for e in entries] == [
        ("create", "attachment gone.txt"),
        ("delete", "attachment gone.txt"),
    ]


def test_a_rolled_back_delete_keeps_the_file(store: Path, exercise: Exercise, editor: User) -> None:
    attachment = services.attachment_upload(acting_user=editor, record=exercise, upload=upload("kept.txt", b"text"))
    with transaction.atomic():
        services.attachment_delete(acting_user=editor, attachment=attachment)
        transaction.set_rollback(True)
    assert Attachment.objects.filter(pk=attachment.pk).exists() and len(files_in(store)) == 1


#: A database that refuses the change-log entry of one upload (a real failure, not a stand-in).
_REFUSE_ENTRY = {
    "sqlite": [
        "CREATE TRIGGER att_refuse BEFORE INSERT ON core_auditentry WHEN NEW.object_repr LIKE 'attachment boom%' "
        "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION att_refuse() RETURNS trigger AS $$ BEGIN IF NEW.object_repr LIKE 'attachment boom%' "
        "THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER att_refuse BEFORE INSERT ON core_auditentry FOR EACH ROW EXECUTE FUNCTION att_refuse()",
    ],
}


def test_a_failed_upload_leaves_no_file(store: Path, exercise: Exercise, editor: User) -> None:
    with connection.cursor() as cursor:
        for statement in _REFUSE_ENTRY[connection.vendor]:
            cursor.execute(statement)
    with pytest.raises(DatabaseError):
        services.attachment_upload(acting_user=editor, record=exercise, upload=upload("boom.txt", b"text"))
    assert files_in(store) == [] and not Attachment.objects.exists()


def test_the_page_form_attaches_and_refuses_with_the_reason(store: Path, exercise: Exercise, editor: User) -> None:
    client = client_for(editor)
    page = f"/engagements/exercises/{exercise.key}/"
    form = {"record": reference_of(exercise), "next": page}
    done = client.post("/attachments/add/", {**form, "file": upload("a.txt", b"text")}, follow=True)
    assert done.redirect_chain[-1][0] == page and "Attached a.txt." in done.content.decode()
    refused = client.post("/attachments/add/", {**form, "file": upload("a.pdf", EXE_BYTES)}, follow=True)
    assert "Not attached: the file&#x27;s content is not one of the allowed types" in refused.content.decode()
    elsewhere = client.post(
        "/attachments/add/", {**form, "next": "https://evil.example/", "file": upload("b.txt", b"t")}
    )
    assert elsewhere["Location"] == "/"
    [attachment, _] = Attachment.objects.order_by("uploaded", "pk")
    assert client.post(f"/attachments/{attachment.pk}/delete/", {"next": page}).status_code == 302
    assert Attachment.objects.count() == 1
    assert json.loads(client.get(API).content)["count"] == 1


def test_raising_the_records_label_raises_its_files_entries(store: Path, exercise: Exercise, editor: User) -> None:
    """Whoever may no longer read the record no longer reads, in the change log, which files it had."""
    client = client_for(editor)
    made = post(client, exercise, "kept.txt", b"text").json()
    assert client.delete(f"{API}{made['id']}/").status_code == 204
    fin = client_for(make_user("FIN", "SECRET", username="att-fin"))
    assert fin.get("/api/core/audit/", {"object_type": "attachment"}).json()["count"] == 2
    raised = client.patch(
        f"/api/engagements/exercises/{exercise.key}/",
        {"label": "NATO SECRET REL TO NLD"},
        content_type="application/json",
    )
    assert raised.status_code == 200, raised.content
    assert fin.get("/api/core/audit/", {"object_type": "attachment"}).json()["count"] == 0
    assert client.get("/api/core/audit/", {"object_type": "attachment"}).json()["count"] == 2
