"""The desk (``core.desk``): panels discovered from the apps, the home page, the Needs attention
page and ``/api/desk/``, each item labelled, the banner at the highest label shown, and nothing of
a hidden record named."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from comity.core.desk import DESK_LIMIT, desk_panels
from comity.core.labels import label_from_marking
from comity.core.models import User
from comity.core.selectors import changes_to_owned_records, desk_changes
from comity.core.testing.factories import make_user
from comity.engagements.choices import EngagementKind, Status
from comity.engagements.models import Exercise
from comity.registry.models import State
from comity.registry.services import country_note_create

pytestmark = pytest.mark.django_db

RESTRICTED = "NATO RESTRICTED REL TO NATO"
SECRET_NLD = "NATO SECRET REL TO NLD"
BANNER = re.compile(r'<div class="label-banner[^"]*"[^>]*>([^<]*)</div>')


def overdue(key: str, marking: str = RESTRICTED, title: str = "", days: int = 30) -> Exercise:
    """An NLD exercise still planned a month after its start."""
    start = timezone.localdate() - timedelta(days=days)
    return Exercise.objects.create(
        key=key,
        kind=EngagementKind.EXERCISE,
        title=title or key,
        status=Status.PLANNED,
        start_date=start,
        label=label_from_marking(marking),
        owner="NLD",
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_apps_offer_their_panels_in_installed_apps_order() -> None:
    panels = desk_panels()
    assert [panel.key for panel in panels] == [
        "changes",
        "attention",
        "approvals",
        "reports",
        "vienna",
        "alerts",
        "messages",
    ]
    assert [panel.key for panel in panels if panel.needs_attention] == ["attention", "approvals", "reports", "vienna"]


def test_recent_changes_are_others_changes_to_records_of_the_users_scopes() -> None:
    reader = make_user("NLD", "RESTRICTED", username="reader", roles=("editor",))
    colleague = make_user("NLD", "SECRET", username="colleague", roles=("editor",))
    finn = make_user("FIN", "SECRET", username="finn", roles=("editor",))
    latvia = State.objects.get(iso3="LVA")
    for author, title, marking in (
        (colleague, "Colleague's note", RESTRICTED),
        (colleague, "Colleague's secret note", SECRET_NLD),
        (reader, "Reader's own note", RESTRICTED),
        (finn, "Finnish note", RESTRICTED),
    ):
        country_note_create(
            acting_user=author, state=latvia, title=title, body="Observed.", label=label_from_marking(marking)
        )
    assert [entry.object_repr for entry in changes_to_owned_records(reader)] == ["Colleague's note"]
    items = desk_changes(reader, None)
    assert [(item.text, item.marking) for item in items] == [
        ("Created countrynote “Colleague's note” by colleague", RESTRICTED)
    ]
    assert items[0].url == "/audit/?type=countrynote"
    viewer = make_user("NLD", "SECRET", roles=("viewer",))
    assert list(changes_to_owned_records(viewer)) == []  # a viewer keeps no records


def test_the_desk_page_labels_every_item_and_names_no_hidden_record() -> None:
    overdue("restricted-overdue", title="<b>Restricted</b> overdue")
    overdue("secret-overdue", SECRET_NLD, title="Secret overdue")
    secret = client_for(make_user("NLD", "SECRET", roles=("editor",)))
    page = secret.get("/").content.decode()
    assert "&lt;b&gt;Restricted&lt;/b&gt; overdue: planned, but it started on" in page  # user text as text
    assert "Secret overdue: planned" in page
    assert BANNER.findall(page) == [SECRET_NLD, SECRET_NLD]
    assert page.count('class="label-badge') >= 2

    restricted = client_for(make_user("NLD", "RESTRICTED", roles=("editor",)))
    page = restricted.get("/").content.decode()
    assert "Restricted</b> overdue" not in page and "Restricted&lt;/b&gt; overdue" in page
    assert "Secret overdue" not in page and "secret-overdue" not in page
    assert BANNER.findall(page) == [RESTRICTED, RESTRICTED]

    guest = client_for(make_user("AUT", None, roles=("viewer",)))
    page = guest.get("/").content.decode()
    assert "records is behind the calendar." in page
    assert "overdue" not in page
    assert BANNER.findall(page) == ["PUBLIC", "PUBLIC"]


def test_the_desk_shows_the_first_items_and_needs_attention_all_of_them() -> None:
    for index in range(DESK_LIMIT + 2):
        overdue(f"overdue-{index}", days=30 + index)
    client = client_for(make_user("NLD", "RESTRICTED", roles=("editor",)))
    home = client.get("/").content.decode()
    assert home.count("planned, but it started on") == DESK_LIMIT
    assert f"{DESK_LIMIT}+" in home and "All of them on Needs attention" in home
    full = client.get("/desk/attention/").content.decode()
    assert full.count("planned, but it started on") == DESK_LIMIT + 2
    assert 'id="panel-attention"' in full and 'id="panel-approvals"' in full and 'id="panel-vienna"' in full
    assert 'id="panel-changes"' not in full and 'id="panel-alerts"' not in full  # they only inform
    assert BANNER.findall(full) == [RESTRICTED, RESTRICTED]


def test_the_api_returns_the_panels_with_markings() -> None:
    overdue("restricted-overdue")
    overdue("secret-overdue", SECRET_NLD)
    client = client_for(make_user("NLD", "SECRET", roles=("editor",)))
    body = client.get("/api/desk/").json()
    assert body["marking"] == SECRET_NLD
    panels = {panel["key"]: panel for panel in body["panels"]}
    assert list(panels) == ["changes", "attention", "approvals", "reports", "vienna", "alerts", "messages"]
    attention = panels["attention"]
    assert (attention["title"], attention["needs_attention"], attention["more"]) == (
        "Your records that need attention",
        True,
        False,
    )
    assert [(item["text"].split(":")[0], item["marking"]) for item in attention["items"]] == [
        ("restricted-overdue", RESTRICTED),
        ("secret-overdue", SECRET_NLD),
    ]
    assert attention["items"][0]["url"] == "/engagements/exercises/restricted-overdue/"
    one = client.get("/api/desk/?limit=1&attention=true").json()
    assert [panel["key"] for panel in one["panels"]] == ["attention", "approvals", "reports", "vienna"]
    assert len(one["panels"][0]["items"]) == 1 and one["panels"][0]["more"] is True
    assert len(client.get("/api/desk/?all=true").json()["panels"][1]["items"]) == 2

    restricted = client_for(make_user("NLD", "RESTRICTED", roles=("editor",)))
    text = restricted.get("/api/desk/").content.decode()
    assert "secret-overdue" not in text and SECRET_NLD not in text


@pytest.mark.parametrize("query", ["limit=0", "limit=abc", "limit=100000", "all=maybe"])
def test_the_api_refuses_a_bad_query_with_400(query: str) -> None:
    client = client_for(make_user("NLD", "RESTRICTED", roles=("editor",)))
    response = client.get(f"/api/desk/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_the_api_needs_credentials_and_is_in_the_schema() -> None:
    assert Client().get("/api/desk/").status_code == 401
    client = client_for(make_user("NLD", "RESTRICTED"))
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/desk/"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} == {"limit", "all", "attention"}
