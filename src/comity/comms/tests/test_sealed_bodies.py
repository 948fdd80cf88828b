"""Message bodies are sealed at rest: the database alone reveals no text, a body copied onto
another message does not open, an edit leaves no openable copy of the old text, and search works."""

from __future__ import annotations

import pytest
from django.db import connection

from comity.comms import services
from comity.comms.content import TAMPERED_TEXT, read_body
from comity.comms.models import Message
from comity.comms.selectors import inbox
from comity.comms.tests.helpers import label, make_people, start
from comity.core.crypto.envelope import data_key_id
from comity.core.models import DataKey

pytestmark = pytest.mark.django_db

SECRET_TEXT = "Kestrelqz rendezvous at grid Q7X4471"


def _raw_database() -> bytes:
    """Every row of every table, as the database holds it."""
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - our own table names
            dump.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(dump).encode()


def test_the_database_holds_no_plaintext_of_a_message() -> None:
    people = make_people("sealed")
    opening = start(people.nld, [people.fin], body=SECRET_TEXT, subject="Sealed test")
    assert read_body(Message.objects.get(pk=opening.pk)) == SECRET_TEXT
    raw = _raw_database()
    assert b"Kestrelqz" not in raw
    assert b"Q7X4471" not in raw
    assert b"Sealed test" in raw  # the subject is metadata, not sealed: the test can see plaintext


def test_a_body_copied_onto_another_message_does_not_open() -> None:
    people = make_people("copied")
    first = start(people.nld, [people.fin], body=SECRET_TEXT)
    second = services.message_send(
        acting_user=people.nld, conversation=first.conversation, body="Other.", label=label(first.label.marking)
    )
    Message.objects.filter(pk=second.pk).update(body=Message.objects.get(pk=first.pk).body)
    assert read_body(Message.objects.get(pk=second.pk)) == TAMPERED_TEXT


def test_an_edit_shreds_the_old_bodys_key() -> None:
    people = make_people("edited")
    opening = start(people.nld, [people.fin], body=SECRET_TEXT)
    old_key = data_key_id(bytes(Message.objects.get(pk=opening.pk).body))
    services.message_edit(acting_user=people.nld, message=opening, body="Corrected.")
    assert not DataKey.objects.filter(pk=old_key).exists()
    assert read_body(Message.objects.get(pk=opening.pk)) == "Corrected."


def test_search_finds_a_sealed_body_only_for_its_readers() -> None:
    people = make_people("search")
    start(people.nld, [people.fin], body=SECRET_TEXT, subject="Plain subject")
    assert [c.subject for c in inbox(people.fin, "kestrel")] == ["Plain subject"]
    assert list(inbox(people.ukr, "kestrel")) == []


def test_a_label_changed_in_the_database_shows_as_tampered_and_a_relabel_binds_again() -> None:
    from django.test import Client

    people = make_people("bound")
    opening = start(people.nld, [people.fin], body=SECRET_TEXT)
    client = Client()
    client.force_login(people.nld)
    api = f"/api/comms/messages/{opening.pk}/"
    assert client.get(api).json()["binding"] == "ok"
    # Lowered behind the service's back: the binding was signed over the old label.
    Message.objects.filter(pk=opening.pk).update(label=label("NATO RESTRICTED REL TO NLD, FIN, UKR"))
    assert client.get(api).json()["binding"] == "tampered"
    page = client.get(f"/comms/conversations/{opening.conversation_id}/").content.decode()
    assert "Tampered: this message" in page
    # The service's relabel signs the new label.
    message = Message.objects.get(pk=opening.pk)
    services.message_relabel(acting_user=people.nld, message=message, label=label("NATO SECRET REL TO NLD, FIN"))
    assert client.get(api).json()["binding"] == "ok"
