"""Relations are data too: a record the viewer may see must not name a linked record they may not.

The world below links PUBLIC records (an exercise, a measure, two programme activities, a child
objective, a menu item) to NATO SECRET ones (an objective, an exercise, a menu item, a programme).
A guest without clearance may see the first and not the second: no serializer, export, page or
filter may hand the guest a key, code or title of a hidden record. Adding an endpoint to the check
is one line in ``API``, ``EXPORTS``, ``PAGES`` or ``FILTERS``. A SECRET-cleared reader is the
positive control: the same links are there for them.
"""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from comity.core.labels import label_from_marking
from comity.core.models import AuditEntry
from comity.core.selectors import audit_entries_visible
from comity.core.testing.factories import make_user
from comity.engagements.api.kinds import kind_serializer
from comity.engagements.exporting import FORMATS
from comity.engagements.models import ConfidenceBuildingMeasure, Exercise, Objective, ProgrammeActivity
from comity.engagements.services import engagement_update
from comity.engagements.tests.factories import make_menu_item, make_programme
from comity.engagements.tests.helpers import make_exercise

pytestmark = pytest.mark.django_db

#: Every key, code and title of the hidden records: none may reach the guest.
HIDDEN = (
    "rl-hidden-objective",
    "Hidden Objective Zeta",
    "rl-hidden-exercise",
    "Hidden Exercise Omega",
    "rl-hidden-menu",
    "Hidden Menu Kappa",
    "Hidden Programme Sigma",
    "hid-cycle-39",
)

#: The keys of the visible records that the hidden objective serves.
VISIBLE_KEYS = ("rl-visible-exercise", "rl-visible-cbm", "rl-visible-activity")

#: API reads (list and detail) and, for each, what proves the visible record was rendered.
API = [
    ("/api/engagements/engagements/?q=rl-", "rl-visible-exercise"),
    ("/api/engagements/engagements/rl-visible-exercise/", "rl-visible-exercise"),
    ("/api/engagements/engagements/rl-visible-cbm/", "rl-visible-cbm"),
    ("/api/engagements/exercises/?q=rl-", "rl-visible-exercise"),
    ("/api/engagements/exercises/rl-visible-exercise/", "rl-visible-exercise"),
    ("/api/engagements/measures/?q=rl-", "rl-visible-cbm"),
    ("/api/engagements/measures/rl-visible-cbm/", "rl-visible-cbm"),
    ("/api/engagements/activities/?q=rl-", "rl-visible-activity"),
    ("/api/engagements/activities/rl-visible-activity/", "rl-visible-activity"),
    ("/api/engagements/activities/rl-public-activity/", "rl-public-activity"),
    ("/api/engagements/objectives/", "rl-visible-child"),
    ("/api/engagements/objectives/rl-visible-child/", "rl-visible-child"),
    ("/api/engagements/menu/", "rl-visible-menu"),
    ("/api/engagements/menu/rl-visible-menu/", "rl-visible-menu"),
    ("/api/engagements/programmes/", "Visible Programme RL"),
]

#: Every export format of every kind endpoint that exports a relation.
EXPORTS = [
    (f"/api/engagements/{prefix}/export/?q=rl-&export_format={fmt}", marker)
    for prefix, marker in (("exercises", "rl-visible-exercise"), ("measures", "rl-visible-cbm"))
    for fmt in FORMATS
]

#: Pages that render a visible record with its links ({public_programme} is filled in).
PAGES = [
    ("/engagements/exercises/rl-visible-exercise/", "Visible Exercise RL"),
    ("/engagements/records/rl-visible-cbm/", "Visible Measure RL"),
    ("/engagements/activities/rl-visible-activity/", "Visible Activity RL"),
    ("/engagements/activities/rl-public-activity/", "Public Activity RL"),
    ("/engagements/programmes/{public_programme}/", "Public Activity RL"),
    ("/engagements/?q=rl-", "Visible Exercise RL"),
]

#: Lists filtered on a relation: a hidden objective code must answer as an unknown one does.
FILTERS = [
    "/api/engagements/engagements/?q=rl-",
    "/api/engagements/exercises/?q=rl-",
    "/api/engagements/measures/?q=rl-",
    "/api/engagements/activities/?q=rl-",
    "/api/engagements/exercises/export/?q=rl-&export_format=csv",
    "/engagements/?q=rl-",
    "/engagements/timeline/?from=2025&to=2025",
    "/engagements/calendar/?year=2025&month=3",
]

#: (kind, format) of the ``comity engagements export`` command.
CLI = [(kind, fmt) for kind in ("exercise", "cbm") for fmt in FORMATS]


@pytest.fixture
def world() -> dict[str, Any]:
    """PUBLIC records linked to NATO SECRET ones, as the issue found them."""
    public = label_from_marking("PUBLIC")
    secret = label_from_marking("NATO SECRET")
    hidden_objective = Objective.objects.create(code="rl-hidden-objective", title="Hidden Objective Zeta", label=secret)
    Objective.objects.create(code="rl-visible-child", title="Visible Child RL", parent=hidden_objective, label=public)
    make_exercise(
        "rl-visible-exercise",
        title="Visible Exercise RL",
        start_date="2025-03-03",
        end_date="2025-03-20",
        label="PUBLIC",
        objectives="rl-hidden-objective;partnerships",
    )
    hidden_exercise = make_exercise("rl-hidden-exercise", title="Hidden Exercise Omega", label="NATO SECRET")
    measure = ConfidenceBuildingMeasure.objects.create(
        key="rl-visible-cbm",
        kind="cbm",
        title="Visible Measure RL",
        start_date=date(2025, 3, 4),
        measure="observation",
        related_exercise=hidden_exercise,
        label=public,
    )
    measure.objectives.set([hidden_objective])
    hidden_menu = make_menu_item("rl-hidden-menu", "Hidden Menu Kappa", "NATO SECRET")
    make_menu_item("rl-visible-menu", "Visible Menu RL", "PUBLIC").objectives.set([hidden_objective])
    hidden_programme = make_programme("UKR", "hid-cycle-39", "NATO SECRET", title="Hidden Programme Sigma")
    public_programme = make_programme("UKR", "rl-pub-39", "PUBLIC", title="Visible Programme RL")
    for key, title, programme in (
        ("rl-visible-activity", "Visible Activity RL", hidden_programme),
        ("rl-public-activity", "Public Activity RL", public_programme),
    ):
        activity = ProgrammeActivity.objects.create(
            key=key,
            kind="programme",
            title=title,
            start_date=date(2025, 3, 5),
            programme=programme,
            menu_item=hidden_menu,
            label=public,
        )
        activity.objectives.set([hidden_objective])
    return {"public_programme": public_programme.pk}


@pytest.fixture
def guest() -> Client:
    client = Client()
    client.force_login(make_user("NLD", None, username="rl-guest"))
    return client


@pytest.fixture
def cleared() -> Client:
    client = Client()
    client.force_login(make_user("NLD", "SECRET", username="rl-cleared"))
    return client


def _text(body: bytes, url: str) -> str:
    """A response as text; Parquet is read back with pyarrow (its strings may be compressed)."""
    if "export_format=parquet" in url:
        return json.dumps(pq.read_table(io.BytesIO(body)).to_pylist())
    return body.decode()


def _assert_no_trace(text: str, where: str) -> None:
    found = [word for word in HIDDEN if word.lower() in text.lower()]
    assert not found, f"{where} names hidden records: {found}"


@pytest.mark.parametrize(("url", "marker"), API + EXPORTS + PAGES)
def test_a_visible_record_names_no_hidden_record(guest: Client, world: dict[str, Any], url: str, marker: str) -> None:
    url = url.format(**world)
    response = guest.get(url)
    assert response.status_code == 200, url
    text = _text(response.content, url)
    assert marker in text, f"{url} did not render the visible record"
    _assert_no_trace(text, url)


@pytest.mark.parametrize(("kind", "fmt"), CLI)
def test_the_export_command_names_no_hidden_record(
    world: dict[str, Any], capsysbinary: pytest.CaptureFixture[bytes], kind: str, fmt: str
) -> None:
    make_user("NLD", None, username="rl-cli-guest")
    call_command("engagements", "export", "--kind", kind, "--format", fmt, "--as", "rl-cli-guest")
    text = _text(capsysbinary.readouterr().out, f"export_format={fmt}")
    assert ("rl-visible-exercise" if kind == "exercise" else "rl-visible-cbm") in text
    _assert_no_trace(text, f"comity engagements export --kind {kind} --format {fmt}")


@pytest.mark.parametrize("url", FILTERS)
def test_filtering_on_a_hidden_objective_answers_as_for_an_unknown_one(
    guest: Client, world: dict[str, Any], url: str
) -> None:
    joiner = "&" if "?" in url else "?"
    hidden = guest.get(f"{url}{joiner}objective=rl-hidden-objective")
    unknown = guest.get(f"{url}{joiner}objective=rl-no-such-objective")
    assert hidden.status_code == unknown.status_code == 200
    for title in ("Visible Exercise RL", "Visible Measure RL", "Visible Activity RL", *VISIBLE_KEYS):
        assert title not in hidden.content.decode(), f"{url} filtered by a hidden objective"
    if hidden["Content-Type"] == "application/json":
        assert hidden.json() == unknown.json()
    _assert_no_trace(hidden.content.decode(), url)


def test_a_cleared_reader_sees_every_link(cleared: Client, world: dict[str, Any]) -> None:
    """The positive control: the links the guest may not see are all there for a SECRET reader."""
    api = "/api/engagements"
    assert "rl-hidden-objective" in cleared.get(f"{api}/exercises/rl-visible-exercise/").json()["objectives"]
    assert "rl-hidden-objective" in cleared.get(f"{api}/engagements/rl-visible-exercise/").json()["objectives"]
    assert cleared.get(f"{api}/measures/rl-visible-cbm/").json()["related_exercise"] == "rl-hidden-exercise"
    assert cleared.get(f"{api}/objectives/rl-visible-child/").json()["parent"] == "rl-hidden-objective"
    assert cleared.get(f"{api}/menu/rl-visible-menu/").json()["objectives"] == ["rl-hidden-objective"]
    activity = cleared.get(f"{api}/activities/rl-visible-activity/").json()
    assert activity["programme"] == {"partner": "UKR", "cycle": "hid-cycle-39"}
    assert activity["menu_item"] == "rl-hidden-menu"
    assert activity["objectives"] == ["rl-hidden-objective"]
    filtered = cleared.get(f"{api}/engagements/", {"objective": "rl-hidden-objective", "q": "rl-"}).json()
    assert set(VISIBLE_KEYS) <= {r["key"] for r in filtered["results"]}
    csv = cleared.get(f"{api}/measures/export/", {"q": "rl-", "export_format": "csv"}).content.decode()
    assert "rl-hidden-exercise" in csv and "rl-hidden-objective" in csv
    assert "Hidden Objective Zeta" in cleared.get("/engagements/exercises/rl-visible-exercise/").content.decode()
    assert "Hidden Exercise Omega" in cleared.get("/engagements/records/rl-visible-cbm/").content.decode()
    page = cleared.get("/engagements/activities/rl-visible-activity/").content.decode()
    assert "Hidden Programme Sigma" in page and "Hidden Menu Kappa" in page
    programme = cleared.get(f"/engagements/programmes/{world['public_programme']}/").content.decode()
    assert "Hidden Menu Kappa" in programme


@pytest.mark.parametrize(
    "url",
    [
        "/api/engagements/engagements/rl-visible-exercise/",
        "/api/engagements/exercises/rl-visible-exercise/",
        "/api/engagements/measures/rl-visible-cbm/",
        "/api/engagements/activities/rl-visible-activity/",
        "/api/engagements/objectives/rl-visible-child/",
        "/api/engagements/menu/rl-visible-menu/",
    ],
)
def test_no_sequential_ids_where_a_natural_key_exists(cleared: Client, world: dict[str, Any], url: str) -> None:
    record = cleared.get(url).json()
    assert "id" not in record
    assert not isinstance(record.get("programme"), int)


def test_linking_to_a_hidden_record_reads_as_linking_to_an_unknown_one(world: dict[str, Any]) -> None:
    """Writes resolve links through the same access: a hidden code is refused as an unknown one is."""
    request = RequestFactory().get("/")
    request.user = make_user("NLD", None, username="rl-writer")
    serializer_class = kind_serializer(ConfidenceBuildingMeasure)
    instance = ConfidenceBuildingMeasure.objects.get(key="rl-visible-cbm")

    def errors(objective: str, exercise: str) -> dict[str, Any]:
        serializer = serializer_class(
            instance,
            data={"objectives": [objective], "related_exercise": exercise},
            partial=True,
            context={"request": request},
        )
        assert not serializer.is_valid()
        return json.loads(json.dumps(serializer.errors).replace(objective, "CODE").replace(exercise, "KEY"))

    assert errors("rl-hidden-objective", "rl-hidden-exercise") == errors("rl-unknown-objective", "rl-unknown-ex")


def test_activity_list_query_count_is_fixed(cleared: Client, world: dict[str, Any]) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert cleared.get("/api/engagements/activities/").status_code == 200
        return len(queries)

    few = count()
    programme = make_programme("GEO", "rl-count", "PUBLIC")
    menu = make_menu_item("rl-count-menu", "Count menu", "NATO UNCLASSIFIED")
    for i in range(5):
        ProgrammeActivity.objects.create(
            key=f"rl-count-{i}",
            kind="programme",
            title=f"Count {i}",
            programme=programme,
            menu_item=menu,
            label=label_from_marking("PUBLIC"),
        )
    assert count() == few


def test_an_edit_keeps_the_links_the_editor_cannot_see(world: dict[str, Any]) -> None:
    """An uncleared editor names the objectives they see; the hidden one stays linked, and the
    change-log entry that names it is kept under its label, out of the editor's sight."""
    editor = make_user("NLD", None, username="rl-editor", roles=("editor",))
    Exercise.objects.filter(key="rl-visible-exercise").update(owner="NLD")
    client = Client()
    client.force_login(editor)
    url = "/api/engagements/exercises/rl-visible-exercise/"
    response = client.patch(url, {"objectives": ["deterrence"]}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["objectives"] == ["deterrence"]
    record = Exercise.objects.get(key="rl-visible-exercise")
    assert set(record.objectives.values_list("code", flat=True)) == {"deterrence", "rl-hidden-objective"}
    entry = AuditEntry.objects.filter(object_id=str(record.pk), action="update").latest("pk")
    assert "rl-hidden-objective" in json.dumps(entry.after)
    assert not audit_entries_visible(editor).filter(pk=entry.pk).exists()
    assert audit_entries_visible(make_user("NLD", "SECRET", username="rl-reader")).filter(pk=entry.pk).exists()
    _assert_no_trace(
        client.get("/api/core/audit/", {"object_type": "exercise", "limit": 500}).content.decode(), "audit"
    )


def test_a_change_log_entry_naming_a_hidden_record_by_key_is_labelled_for_it(world: dict[str, Any]) -> None:
    """The measure's entry holds the id of its SECRET related exercise: it is SECRET too."""
    measure = ConfidenceBuildingMeasure.objects.get(key="rl-visible-cbm")
    engagement_update(acting_user=None, engagement=measure, values={"title": "Visible Measure RL, retitled"})
    entry = AuditEntry.objects.filter(object_id=str(measure.pk), action="update").latest("pk")
    assert entry.after["related_exercise_id"] is not None
    guest = make_user("NLD", None, username="rl-log-guest")
    assert not audit_entries_visible(guest).filter(pk=entry.pk).exists()
    assert entry.label.classification.name == "SECRET"
