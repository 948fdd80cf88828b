"""The comms pages and API: a message the user may not read is absent from every list, count,
thread, search, notification and API answer; user text is text; refusals are shown to the author."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from comity.comms import services
from comity.comms.models import Message
from comity.comms.tests.helpers import NLD_FIN, NLD_FIN_UNCLASSIFIED, People, label, make_people, start
from comity.core.models import User

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def people() -> People:
    return make_people()


CSRF = re.compile(rb'("X-CSRFToken": ?"|name="csrfmiddlewaretoken" value=")[^"]+')


def _same(body: bytes, pk: int) -> bytes:
    """An answer as compared with another: the asked-for id and the (per-request) CSRF token out."""
    return CSRF.sub(rb"\1", body.replace(str(pk).encode(), b"PK"))


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _hidden_for_fin(people: People) -> tuple[Message, Message]:
    """A conversation of NLD and FIN with one message FIN reads and one relabelled out of FIN's reach."""
    shown = start(people.nld, [people.fin], marking=NLD_FIN_UNCLASSIFIED, body="Shown qzSHOWN")
    hidden = services.message_send(
        acting_user=people.nld, conversation=shown.conversation, body="Secret qzHIDDEN", label=label(NLD_FIN)
    )
    services.message_relabel(acting_user=people.nld, message=hidden, label=label("NATO SECRET REL TO FIN, NLD"))
    return shown, hidden


def test_a_hidden_message_is_absent_from_every_page_count_and_api_answer(people: People) -> None:
    shown, hidden = _hidden_for_fin(people)
    fin, nld = _client(people.fin), _client(people.nld)
    conversation = shown.conversation_id
    urls = [
        "/comms/",
        "/comms/?q=qz",
        f"/comms/conversations/{conversation}/",
        f"/comms/conversations/{conversation}/thread/",
        "/comms/badge/",
        "/api/comms/messages/",
        f"/api/comms/conversations/{conversation}/",
        "/api/comms/conversations/",
        "/api/comms/notifications/",
        "/",
    ]
    for url in urls:
        response = fin.get(url)
        assert response.status_code == 200, url
        assert "qzHIDDEN" not in response.content.decode(), url
    # The hidden one answers as a missing one does, on every detail route.
    for path in (
        "/api/comms/messages/{}/",
        "/comms/messages/{}/forward/",
        "/comms/messages/{}/edit/",
    ):
        missing = fin.get(path.format(999999))
        answer = fin.get(path.format(hidden.pk))
        assert answer.status_code == missing.status_code == 404
        assert _same(answer.content, hidden.pk) == _same(missing.content, 999999)
    assert fin.get("/comms/?q=qzHIDDEN").context["rows"] == []
    # The API's list and count name the shown message only; NLD (SECRET) reads both.
    listed = fin.get("/api/comms/messages/").json()
    assert [row["id"] for row in listed["results"]] == [shown.pk] and listed["count"] == 1
    assert {row["id"] for row in nld.get("/api/comms/messages/").json()["results"]} == {shown.pk, hidden.pk}
    assert "qzHIDDEN" in nld.get(f"/comms/conversations/{conversation}/").content.decode()


def test_the_unread_badge_and_notifications_count_only_readable_messages(people: People) -> None:
    _hidden_for_fin(people)
    fin = _client(people.fin)
    notes = fin.get("/api/comms/notifications/").json()
    assert notes["unread"] == 1 and [n["subject"] for n in notes["results"]] == ["Liaison"]
    assert '<span class="comms-badge" title="Unread messages">1</span>' in fin.get("/comms/badge/").content.decode()
    # Reading the thread marks it read.
    fin.get(f"/comms/conversations/{notes['results'][0]['conversation']}/")
    assert fin.get("/api/comms/notifications/").json() == {"unread": 0, "results": []}
    assert fin.get("/comms/badge/").content.decode().strip() == ""
    ukr = _client(people.ukr)
    assert ukr.get("/api/comms/notifications/").json() == {"unread": 0, "results": []}


def test_a_reply_to_a_hidden_message_does_not_name_it(people: People) -> None:
    opening = start(people.nld, [people.fin], marking=NLD_FIN_UNCLASSIFIED, body="Opening")
    answered = services.message_send(
        acting_user=people.nld, conversation=opening.conversation, body="Answered qzGONE", label=label(NLD_FIN)
    )
    reply = services.message_reply(acting_user=people.fin, message=answered, body="My reply", label=label(NLD_FIN))
    services.message_relabel(acting_user=people.nld, message=answered, label=label("NATO SECRET REL TO FIN, NLD"))
    fin = _client(people.fin)
    row = fin.get(f"/api/comms/messages/{reply.pk}/").json()
    assert row["in_reply_to"] is None
    page = fin.get(f"/comms/conversations/{opening.conversation_id}/").content.decode()
    assert "My reply" in page and "qzGONE" not in page and f"#message-{answered.pk}" not in page
    assert _client(people.nld).get(f"/api/comms/messages/{reply.pk}/").json()["in_reply_to"] == answered.pk


def test_hostile_text_is_rendered_as_text(people: People) -> None:
    opening = start(people.nld, [people.fin], body=HOSTILE, subject=HOSTILE)
    fin = _client(people.fin)
    for url in (
        f"/comms/conversations/{opening.conversation_id}/",
        "/comms/",
        f"/comms/messages/{opening.pk}/forward/",
    ):
        page = fin.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;alert" in page, url
    assert fin.get(f"/api/comms/messages/{opening.pk}/").json()["body"] == HOSTILE


def test_compose_and_reply_on_the_pages_with_the_label_defaulting_to_the_bound(people: People) -> None:
    nld = _client(people.nld)
    form = {
        "subject": "Page conversation",
        "people": "cm-fin",
        "desks": "",
        "body": "From the page",
        "marking_classification": "NATO UNCLASSIFIED",
        "marking_nations": "FIN, NLD",
    }
    sent = nld.post("/comms/new/", form)
    assert sent.status_code == 302, sent.content.decode()
    message = Message.objects.get()
    fin = _client(people.fin)
    page = fin.get(f"/comms/conversations/{message.conversation_id}/?reply={message.pk}")
    assert page.context["form"].initial["marking"] == "NATO UNCLASSIFIED REL TO FIN, NLD"
    replied = fin.post(
        f"/comms/conversations/{message.conversation_id}/",
        {"body": "Reply from the page", "in_reply_to": message.pk, "marking": NLD_FIN},
    )
    assert replied.status_code == 302
    assert Message.objects.latest("pk").in_reply_to_id == message.pk


def test_a_refused_send_is_shown_to_the_author_with_who_and_why(people: People) -> None:
    nld = _client(people.nld)
    form = {"subject": "Too high", "people": "cm-fin, cm-ukr", "body": "x", "marking": "NATO RESTRICTED REL TO NATO"}
    refused = nld.post("/comms/new/", form)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert (
        "Not sent" in text
        and "cm-ukr: holds no clearance for NATO RESTRICTED and UKR is not among the nations it is releasable to"
        in text
    )
    assert not Message.objects.exists()
    unknown = nld.post("/comms/new/", {**form, "people": "nobody-here"})
    assert unknown.status_code == 400 and "No user named nobody-here" in unknown.content.decode()
    # The API answers 400 with the same reasons, and a hidden conversation 404.
    opening = start(people.nld, [people.fin, people.ukr], marking="NATO UNCLASSIFIED REL TO NATO, UKR")
    api = nld.post(
        f"/api/comms/conversations/{opening.conversation_id}/messages/",
        json.dumps({"body": "x", "label": "NATO RESTRICTED REL TO NATO, UKR"}),
        content_type="application/json",
    )
    assert api.status_code == 400 and "cm-ukr: holds no clearance for NATO RESTRICTED" in api.content.decode()
    outsider = _client(User.objects.create_user("cm-outsider", nationality="NLD"))
    hidden = outsider.post(
        f"/api/comms/conversations/{opening.conversation_id}/messages/",
        json.dumps({"body": "x", "label": "PUBLIC"}),
        content_type="application/json",
    )
    assert hidden.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"body": "", "label": "PUBLIC"},
        {"body": "x" * 20_001, "label": "PUBLIC"},
        {"body": "x", "label": "NOT A MARKING"},
        {"body": "x", "label": "PUBLIC", "in_reply_to": 10**30},
        {"body": ["x"], "label": {"policy": 3}},
    ],
)
def test_bad_input_answers_400_never_500(people: People, body: dict[str, object]) -> None:
    opening = start(people.nld, [people.fin], marking="NATO UNCLASSIFIED REL TO FIN, NLD")
    answer = _client(people.nld).post(
        f"/api/comms/conversations/{opening.conversation_id}/messages/",
        json.dumps(body),
        content_type="application/json",
    )
    assert answer.status_code == 400, answer.content
    page = _client(people.nld).post(f"/comms/conversations/{opening.conversation_id}/", {**body, "in_reply_to": "x"})
    assert page.status_code == 400


def test_lists_cost_the_same_queries_for_one_row_or_many(people: People) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fin = _client(people.fin)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert fin.get(url).status_code == 200
        return len(captured)

    first = start(people.nld, [people.fin], subject="One")
    urls = ("/comms/", "/api/comms/conversations/", "/api/comms/messages/")
    one = {url: queries(url) for url in urls}
    for n in range(4):
        opening = start(people.nld, [people.fin, people.viewer], subject=f"More {n}")
        services.message_forward(
            acting_user=people.nld,
            messages=[first],
            conversation=opening.conversation,
            body="Fwd",
            label=label(NLD_FIN),
        )
    assert {url: queries(url) for url in urls} == one
