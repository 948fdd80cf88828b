"""The independent checkers catch each kind of broken plan (so a passing check means something)."""

from __future__ import annotations

import copy

import pytest

from comity.planning.solvers.calendar_cpsat import solve_calendar
from comity.planning.solvers.calendar_model import parse_calendar
from comity.planning.solvers.checker import check_calendar, check_rotations
from comity.planning.solvers.rotation_cpsat import solve_rotations
from comity.planning.solvers.rotation_model import parse_rotations
from comity.planning.tests.instances import baltic, exercises

BALTIC = baltic()
CALENDAR = exercises()


@pytest.fixture(scope="module")
def rotation_plan() -> dict:
    plan = solve_rotations(parse_rotations(BALTIC))
    assert check_rotations(BALTIC, plan) == []
    return plan


@pytest.fixture(scope="module")
def calendar_plan() -> dict:
    plan = solve_calendar(parse_calendar(CALENDAR))
    assert check_calendar(CALENDAR, plan) == []
    return plan


def rows_of(plan: dict, key: str, **match: object) -> list[dict]:
    return [row for row in plan[key] if all(row[k] == v for k, v in match.items())]


def drop_first_lead(plan: dict) -> None:
    plan["assignments"].remove(rows_of(plan, "assignments", lead=True)[0])


def second_rotation_next_period(plan: dict) -> None:
    first = plan["assignments"][0]
    plan["assignments"].append({**first, "period": "2026-2", "lead": False})


def nld_leads(plan: dict) -> None:
    plan["assignments"].append(
        {"period": "2027-1", "base": "AMARI", "nation": "NLD", "aircraft": 2, "lead": True, "offer": 4}
    )


@pytest.mark.parametrize(
    ("tamper", "kinds"),
    [
        (drop_first_lead, {"coverage", "lead"}),
        (second_rotation_next_period, {"gap"}),
        (nld_leads, {"lead_not_allowed", "lead"}),
        (lambda plan: plan["assignments"][0].update(aircraft=6), {"aircraft"}),
        (lambda plan: plan["assignments"][0].update(base="RIGA"), {"offer_scope", "coverage", "lead"}),
    ],
)
def test_rotation_checker_catches(rotation_plan, tamper, kinds):
    plan = copy.deepcopy(rotation_plan)
    tamper(plan)
    assert kinds <= {v["constraint"] for v in check_rotations(BALTIC, plan)}


def move(ex_id: str, start: int, area: str | None = "keep") -> object:
    def tamper(plan: dict) -> None:
        row = rows_of(plan, "scheduled", id=ex_id)[0]
        length = row["end_week"] - row["start_week"]
        row.update(start_week=start, end_week=start + length)
        if area != "keep":
            row["area"] = area

    return tamper


def unschedule(ex_id: str) -> object:
    def tamper(plan: dict) -> None:
        plan["scheduled"].remove(rows_of(plan, "scheduled", id=ex_id)[0])
        plan["unscheduled"].append({"id": ex_id})

    return tamper


@pytest.mark.parametrize(
    ("tamper", "kinds"),
    [
        (move("LIVEX", 2), {"notice", "blackout", "precedence"}),
        (move("FTX", 4), {"window"}),
        (move("FTX", 9, "ELSEWHERE"), {"area"}),
        (move("CPX", 10), {"blackout", "precedence"}),
        (unschedule("LIVEX"), {"mandatory"}),
        (lambda plan: plan["unscheduled"].clear(), {"partition"}),
        (lambda plan: plan["scheduled"][0].update(end_week=plan["scheduled"][0]["end_week"] + 1), {"duration"}),
    ],
)
def test_calendar_checker_catches(calendar_plan, tamper, kinds):
    plan = copy.deepcopy(calendar_plan)
    tamper(plan)
    assert kinds <= {v["constraint"] for v in check_calendar(CALENDAR, plan)}


def test_calendar_checker_counts_personnel_and_area_capacity(calendar_plan):
    data = copy.deepcopy(CALENDAR)
    data["exercises"].append(
        {"id": "TWIN", "duration_weeks": 3, "participants": {"DEU": 6000}, "areas": ["DRAWSKO"], "optional": True}
    )
    plan = copy.deepcopy(calendar_plan)
    livex = rows_of(plan, "scheduled", id="LIVEX")[0]
    plan["scheduled"].append({**livex, "id": "TWIN"})
    kinds = {v["constraint"] for v in check_calendar(data, plan)}
    assert {"personnel_cap", "area_capacity"} <= kinds
