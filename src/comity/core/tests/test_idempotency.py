"""Idempotency-Key on API writes: a repeat is answered from the first response and writes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from rest_framework.authtoken.models import Token

from comity.core.idempotency import parse_key
from comity.core.models import AuditEntry, IdempotencyKey, User
from comity.core.testing.factories import make_user
from comity.engagements.models import Exercise

pytestmark = pytest.mark.django_db

URL = "/api/engagements/exercises/"


def _body(key: str, title: str = "Idempotent") -> dict[str, str]:
    return {"key": key, "title": title, "label": "PUBLIC", "start_date": "2099-01-01", "end_date": "2099-01-31"}


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, body: dict[str, Any], key: str | None = None, url: str = URL) -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(url, body, content_type="application/json", headers=headers)


def _counts(key: str) -> tuple[int, int]:
    records = Exercise.objects.filter(key=key)
    ids = [str(pk) for pk in records.values_list("pk", flat=True)]
    entries = AuditEntry.objects.filter(content_type=_record_type(), object_id__in=ids, action="create")
    return records.count(), entries.count()


def _record_type() -> ContentType:
    return ContentType.objects.get_for_model(Exercise, for_concrete_model=True)


@pytest.fixture
def editor() -> User:
    return make_user("NLD", "SECRET", username="idem-editor", roles=("editor",))


def test_a_repeat_returns_the_same_record_and_writes_nothing(editor: User) -> None:
    client = _client(editor)
    first = _post(client, _body("idem-1"), '"k-1"')
    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    assert _counts("idem-1") == (1, 1)
    again = _post(client, _body("idem-1"), '"k-1"')
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.content == first.content and again.json()["key"] == "idem-1"
    assert _counts("idem-1") == (1, 1)
    assert IdempotencyKey.objects.filter(user=editor, key="k-1").count() == 1


def test_a_bare_token_and_its_quoted_form_are_one_key(editor: User) -> None:
    client = _client(editor)
    assert _post(client, _body("idem-bare"), "k-bare").status_code == 201
    assert _post(client, _body("idem-bare"), '"k-bare"')["Idempotent-Replayed"] == "true"
    assert _counts("idem-bare") == (1, 1)


def test_the_same_key_with_another_body_or_path_is_refused_with_422(editor: User) -> None:
    client = _client(editor)
    assert _post(client, _body("idem-2"), "k-2").status_code == 201
    other_body = _post(client, _body("idem-2", title="Changed"), "k-2")
    assert other_body.status_code == 422 and "another request" in other_body.json()["detail"]
    other_path = _post(client, _body("idem-2"), "k-2", url="/api/engagements/agreements/")
    assert other_path.status_code == 422
    assert _counts("idem-2") == (1, 1)
    assert Exercise.objects.get(key="idem-2").title == "Idempotent"


def test_another_users_same_key_is_independent(editor: User) -> None:
    other = make_user("NLD", "SECRET", username="idem-other", roles=("editor",))
    assert _post(_client(editor), _body("idem-3a"), "shared-key").status_code == 201
    theirs = _post(_client(other), _body("idem-3b"), "shared-key")
    assert theirs.status_code == 201 and "Idempotent-Replayed" not in theirs
    assert _counts("idem-3a") == (1, 1) and _counts("idem-3b") == (1, 1)


def test_without_a_key_nothing_changes(editor: User) -> None:
    client = _client(editor)
    assert _post(client, _body("idem-4")).status_code == 201
    assert _post(client, _body("idem-4")).status_code == 400  # the key is taken: the usual refusal
    assert _counts("idem-4") == (1, 1)
    assert not IdempotencyKey.objects.exists()


def test_client_errors_are_stored_and_server_side_refusals_write_nothing(editor: User) -> None:
    client = _client(editor)
    bad = {**_body("idem-5"), "start_date": "not a date"}
    refused = _post(client, bad, "k-5")
    assert refused.status_code == 400
    replayed = _post(client, bad, "k-5")
    assert replayed.status_code == 400 and replayed["Idempotent-Replayed"] == "true"
    assert replayed.content == refused.content
    assert _counts("idem-5") == (0, 0)


def test_patch_with_a_key_changes_once(editor: User) -> None:
    client = _client(editor)
    assert _post(client, _body("idem-6"), "k-6-create").status_code == 201
    url = f"{URL}idem-6/"
    for _ in range(2):
        patched = client.patch(
            url, {"title": "Renamed"}, content_type="application/json", headers={"Idempotency-Key": "k-6"}
        )
        assert patched.status_code == 200
    record = Exercise.objects.get(key="idem-6")
    assert (
        AuditEntry.objects.filter(content_type=_record_type(), object_id=str(record.pk), action="update").count() == 1
    )


def test_a_token_client_is_keyed_by_its_user(editor: User) -> None:
    token = Token.objects.create(user=editor)
    client = Client(headers={"Authorization": f"Token {token.key}"})
    assert _post(client, _body("idem-7"), "k-7").status_code == 201
    assert _post(client, _body("idem-7"), "k-7")["Idempotent-Replayed"] == "true"
    assert IdempotencyKey.objects.get(key="k-7").user == editor
    assert _counts("idem-7") == (1, 1)


def test_an_anonymous_caller_is_refused_as_before_and_nothing_is_stored() -> None:
    answer = _post(Client(), _body("idem-8"), "k-8")
    assert answer.status_code in (401, 403)
    assert not IdempotencyKey.objects.exists()


@pytest.mark.parametrize(
    ("raw", "reason"),
    [('"', "unterminated"), ('""', "empty"), ('"a"b"', 'unescaped "'), ("x" * 256, "longer than 255"), ("é", "ASCII")],
)
def test_a_bad_key_is_a_clear_400_and_writes_nothing(editor: User, raw: str, reason: str) -> None:
    answer = _post(_client(editor), _body("idem-9"), raw)
    assert answer.status_code == 400 and reason in answer.json()["detail"]
    assert _counts("idem-9") == (0, 0)


def test_structured_field_escapes() -> None:
    assert parse_key(r'"a\"b\\c"') == 'a"b\\c'
    assert parse_key("  token-1 ") == "token-1"


def test_an_expired_key_runs_again(editor: User) -> None:
    client = _client(editor)
    assert _post(client, _body("idem-10"), "k-10").status_code == 201
    IdempotencyKey.objects.filter(key="k-10").update(
        created=IdempotencyKey.objects.get(key="k-10").created - timedelta(hours=25)
    )
    again = _post(client, _body("idem-10"), "k-10")
    assert again.status_code == 400 and "Idempotent-Replayed" not in again  # ran again: the record exists
    assert _post(client, _body("idem-10b"), "k-10b").status_code == 201
    assert not IdempotencyKey.objects.filter(key="k-10", status=201).exists()


def test_the_schema_names_the_header_on_write_operations(editor: User) -> None:
    schema = _client(editor).get("/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"}).json()
    assert schema["components"]["parameters"]["IdempotencyKey"]["in"] == "header"
    reference = {"$ref": "#/components/parameters/IdempotencyKey"}
    operations = [
        (m, op)
        for item in schema["paths"].values()
        for m, op in item.items()
        if m in {"post", "patch", "put", "delete", "get"}
    ]
    writes = [op for m, op in operations if m != "get"]
    assert writes and all(reference in op.get("parameters", []) for op in writes)
    assert not any(reference in op.get("parameters", []) for m, op in operations if m == "get")
