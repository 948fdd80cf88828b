"""Planner pages, what-if, saving plans as engagements, and the real-data example."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from comity.core.audit import AuditEntry
from comity.core.labels import label_from_marking
from comity.core.testing.factories import make_user
from comity.engagements.choices import ParticipantRole, Status
from comity.engagements.models import Engagement
from comity.planning import services
from comity.planning.examples import (
    CALENDAR_SAMPLE,
    ROTATION_SAMPLE,
    baltic_air_policing_history,
    baltic_air_policing_replanned,
    served_nations,
)
from comity.planning.solvers.checker import check_calendar, check_rotations
from comity.planning.tests.instances import FAST, baltic

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner() -> Client:
    client = Client()
    client.force_login(make_user("NLD", "SECRET", username="rotation-planner", roles=("editor",)))
    return client


def _session_plan(client: Client) -> dict:
    return client.session["planning:rotations"]["current"]


def test_home_and_editors_render(planner: Client) -> None:
    home = planner.get("/planning/").content.decode()
    assert 'href="/planning/rotations/"' in home and 'href="/planning/calendar/"' in home
    page = planner.get("/planning/rotations/").content.decode()
    assert 'id="planning-examples"' in page and "planning_editor.js" in page and "<script>" not in page
    assert planner.get("/planning/calendar/").status_code == 200
    anonymous = Client().get("/planning/rotations/")
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_rotation_solve_shows_a_checked_gantt(planner: Client) -> None:
    data = {**baltic(), "solver": FAST}
    page = planner.post("/planning/rotations/", {"data": json.dumps(data)}).content.decode()
    assert 'id="plan-status">OPTIMAL' in page and 'id="checker-ok"' in page and 'id="gantt"' in page
    plan = _session_plan(planner)
    assert check_rotations(data, plan["output"]) == []
    for a in plan["output"]["assignments"]:
        assert f'data-nation="{a["nation"]}"' in page
    # A later visit shows the stored plan again.
    again = planner.get("/planning/rotations/").content.decode()
    assert 'id="gantt"' in again and 'id="checker-ok"' in again


def test_infeasible_input_shows_the_explanation(planner: Client) -> None:
    data = {**baltic(), "solver": FAST}
    data["offers"] = [o for o in data["offers"] if o["nation"] != "DEU"]
    data["offers"][0]["max_rotations"] = 1
    page = planner.post("/planning/rotations/", {"data": json.dumps(data)}).content.decode()
    assert 'id="plan-status">INFEASIBLE' in page and "No plan exists" in page
    output = _session_plan(planner)["output"]
    assert output["explanation"] and all(sentence in page for sentence in output["explanation"][:3])
    assert 'id="gantt"' not in page


def test_invalid_input_names_the_fields(planner: Client) -> None:
    data = baltic()
    data["offers"][3]["aircraft"] = 0
    page = planner.post("/planning/rotations/", {"data": json.dumps(data)}).content.decode()
    assert 'id="input-errors"' in page and "offers[3].aircraft must be a positive integer" in page
    assert "not valid JSON" in planner.post("/planning/rotations/", {"data": "{oops"}).content.decode()


def test_what_if_shows_the_difference(planner: Client) -> None:
    data = {**baltic(), "solver": FAST}
    planner.post("/planning/rotations/", {"data": json.dumps(data)})
    before = _session_plan(planner)["output"]
    assert data["offers"][0]["nation"] == "DEU"
    page = planner.post(
        "/planning/rotations/",
        {"action": "whatif", "offer": 0, "periods": "2026-1, 2026-3, 2027-1", "bases": "", "aircraft": ""},
    ).content.decode()
    after = _session_plan(planner)
    assert after["input"]["offers"][0]["periods"] == ["2026-1", "2026-3", "2027-1"]
    assert after["output"]["status"] == "OPTIMAL"
    assert check_rotations(after["input"], after["output"]) == []
    previous = planner.session["planning:rotations"]["previous"]["output"]
    assert previous == before
    key = services.assignment_key
    old, new = {key(a) for a in before["assignments"]}, {key(a) for a in after["output"]["assignments"]}
    diff = services.rotation_plan_diff(before, after["output"])
    assert {key(a) for a in diff.added} == new - old and {key(a) for a in diff.removed} == old - new
    assert diff.kept == len(old & new) and diff.changed
    assert 'id="plan-diff"' in page
    for a in diff.added:
        assert f"+ {a['period']} {a['base']}: {a['nation']}" in page
    for a in diff.removed:
        assert f"- {a['period']} {a['base']}: {a['nation']}" in page
    # DEU no longer offers 2026-2, so it does not serve then.
    assert not any(a["nation"] == "DEU" and a["period"] == "2026-2" for a in after["output"]["assignments"])


def test_what_if_with_no_change_says_so(planner: Client) -> None:
    planner.post("/planning/rotations/", {"example": "rotation-sample"})
    page = planner.post("/planning/rotations/", {"action": "whatif", "offer": 0}).content.decode()
    assert 'id="plan-unchanged"' in page


def test_rotation_offer_edit_rejects_an_unknown_offer() -> None:
    with pytest.raises(services.InputError, match=r"offer must be one of 0\.\.3"):
        services.rotation_offer_edit(ROTATION_SAMPLE, offer=9)
    edited = services.rotation_offer_edit(ROTATION_SAMPLE, offer=0, bases=["SIAULIAI"], aircraft=6)
    assert edited["offers"][0]["bases"] == ["SIAULIAI"] and edited["offers"][0]["preference"] == {}
    assert ROTATION_SAMPLE["offers"][0]["aircraft"] == 4


def test_saving_a_plan_creates_labelled_planned_engagements(planner: Client) -> None:
    planner.post("/planning/rotations/", {"example": "rotation-sample"})
    plan = _session_plan(planner)
    marking = "NATO RESTRICTED REL TO NATO"
    response = planner.post("/planning/rotations/save/", {"title_prefix": "Sample 2027", "marking": marking})
    assert response.status_code == 302 and response["Location"].startswith("/engagements/?")
    saved = Engagement.objects.filter(key__startswith="plan-sample-2027--").order_by("key")
    assert saved.count() == len(plan["output"]["assignments"])
    label = label_from_marking(marking)
    hosts = {b["id"]: b["host"] for b in plan["input"]["bases"]}
    for a in plan["output"]["assignments"]:
        record = saved.get(key=services.plan_key("Sample 2027", a["period"], a["base"], a["nation"]))
        assert record.kind == "posture" and record.status == Status.PLANNED and record.label_id == label.pk
        roles = set(record.participants.values_list("state__iso3", "role"))
        assert (a["nation"], ParticipantRole.LEAD) in roles and (hosts[a["base"]], ParticipantRole.HOST) in roles
        assert AuditEntry.objects.filter(object_id=str(record.pk), action="create").exists()
    listing = planner.get(response["Location"]).content.decode()
    assert all(record.title in listing for record in saved)
    # Saving again changes nothing.
    planner.post("/planning/rotations/save/", {"title_prefix": "Sample 2027", "marking": marking})
    assert Engagement.objects.filter(key__startswith="plan-sample-2027--").count() == saved.count()
    # A user without clearance does not see them.
    outsider = Client()
    outsider.force_login(make_user("NLD", username="no-clearance"))
    hidden = outsider.get("/engagements/", {"q": "Sample 2027"}).content.decode()
    assert not any(record.title in hidden for record in saved)


def test_saving_refuses_a_label_above_the_user(planner: Client) -> None:
    planner.post("/planning/rotations/", {"example": "rotation-sample"})
    response = planner.post(
        "/planning/rotations/save/", {"title_prefix": "Too high", "marking": "NATO SECRET REL TO DEU"}, follow=True
    )
    assert "above what you may see" in response.content.decode()
    assert not Engagement.objects.filter(key__startswith="plan-too-high--").exists()
    assert (
        "Give the plan a title"
        in planner.post(
            "/planning/rotations/save/", {"title_prefix": "--", "marking": "PUBLIC"}, follow=True
        ).content.decode()
    )


def test_saving_without_a_plan_is_refused() -> None:
    user = make_user("NLD", "SECRET", username="no-plan")
    with pytest.raises(services.PlanSaveError, match="no solved plan"):
        services.rotation_plan_save(acting_user=user, plan={}, label=label_from_marking("PUBLIC"), title_prefix="X")


def test_calendar_page_shows_a_checked_gantt(planner: Client) -> None:
    page = planner.post("/planning/calendar/", {"example": "calendar-sample"}).content.decode()
    assert 'id="plan-status">OPTIMAL' in page and 'id="checker-ok"' in page
    output = planner.session["planning:calendar"]["current"]["output"]
    assert check_calendar(CALENDAR_SAMPLE, output) == []
    for item in output["scheduled"]:
        assert f"{item['id']}: weeks {item['start_week']}-{item['end_week']}" in page
    assert "DRAWSKO" in page and "No training area" in page


def test_bap_example_is_derived_from_the_real_rotations_and_solves(planner: Client) -> None:
    data = baltic_air_policing_replanned()
    assert data["periods"][0] == "2014-05 POL" and data["periods"][-1] == "2019-09 BEL"
    assert "2018-05 PRT" not in data["periods"]  # no Ämari detachment recorded for that period
    by_period = {(o["nation"], o["periods"][0]) for o in data["offers"]}
    assert ("DNK", "2014-05 POL") in by_period and ("GBR", "2014-05 POL") in by_period
    assert ("FRA", "2014-05 POL") not in by_period  # served at Malbork, which is not modelled
    assert {o["nation"] for o in data["offers"] if o["can_lead"] and o["periods"] == ["36"]} == {"PRT"}
    assert served_nations("JAS-39C Gripen (HUN); F-18 (ESP)") == ["HUN", "ESP"]
    page = planner.post("/planning/rotations/", {"example": "bap-2014-2019"}).content.decode()
    assert 'id="plan-status">OPTIMAL' in page and 'id="checker-ok"' in page
    plan = _session_plan(planner)
    assert plan["input"] == data and check_rotations(data, plan["output"]) == []
    assert len(plan["output"]["assignments"]) == 2 * len(data["periods"])
    # The page compares the re-plan with what actually flew (itself a valid plan of this input).
    history = baltic_air_policing_history(data)
    assert check_rotations(data, history) == [] and len(history["assignments"]) == len(data["offers"])
    diff = services.rotation_plan_diff(history, plan["output"])
    assert "What changed against the historical rotations" in page
    assert f"{diff.kept} assignment(s) kept, {len(diff.added)} added, {len(diff.removed)} removed" in page
    assert diff.kept + len(diff.added) == len(plan["output"]["assignments"])
    assert (
        "Baltic Air Policing 2014-2019"
        in planner.get("/planning/rotations/", {"example": "bap-2014-2019"}).content.decode()
    )
