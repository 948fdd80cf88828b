"""Example inputs for the planner pages, among them one derived from real rotations.

``baltic_air_policing_replanned()`` rebuilds the Baltic Air Policing rotations of May 2014 to
the end of 2019 from the shipped, sourced records (``data/engagements/baltic_air_policing.csv``)
as a rotation input, invented nothing:

* **periods**: the rotations from ``2014-05 POL`` to ``2019-09 BEL``, in file order (which is
  time order), keeping those in which both Šiauliai and Ämari have a recorded detachment (the
  file records no Ämari detachment for ``2018-05 PRT``, so that period is left out; Malbork was
  used only until 2015 and is not modelled);
* **bases**: Šiauliai (host LTU, needs the lead nation) and Ämari (host EST), hosts as in
  ``engagements.posture.BAP_BASE_HOSTS``;
* **offers**: each nation that served in a period offers that period, to either base, one
  detachment. Who served at a base is read from the row's ``aircraft`` column (the nation codes
  in brackets, e.g. ``F-16 x4 (DNK)``); only the period's recorded lead nation may lead; each
  offer prefers (1) the base the nation actually served at.

The file does not give an aircraft count for every detachment, so the example counts
detachments: every base needs one per period and every offer brings one (``aircraft`` 1). Nor
does it give both dates of every period (``2015-09 HUN`` has only a month, rotations 40 and 41
none), so the example states no period dates, and its plan is shown and compared, not saved.
"""

from __future__ import annotations

import copy
import csv
import re
from pathlib import Path
from typing import Any

from comity.engagements.posture import BAP_BASE_HOSTS

BAP_FILE = Path(__file__).resolve().parent.parent / "data" / "engagements" / "baltic_air_policing.csv"
BAP_FIRST, BAP_LAST = "2014-05 POL", "2019-09 BEL"
#: The modelled bases: file name → (id, display name, lead required).
BAP_BASES = {"Siauliai": ("SIAULIAI", "Šiauliai", True), "Amari": ("AMARI", "Ämari", False)}
_NATION_IN_BRACKETS = re.compile(r"\(([A-Z]{3})\b")

#: A small illustrative rotation input (made-up offers, not any nation's commitment); three
#: four-month periods from 1 January 2027, so a saved plan has dates.
ROTATION_SAMPLE: dict[str, Any] = {
    "periods": ["2027-1", "2027-2", "2027-3"],
    "calendar_start": "2027-01-01",
    "period_months": 4,
    "bases": [
        {"id": "SIAULIAI", "host": "LTU", "min_aircraft": 4, "lead_required": True, "name": "Šiauliai"},
        {"id": "AMARI", "host": "EST", "min_aircraft": 4, "lead_required": False, "name": "Ämari"},
    ],
    "offers": [
        {"nation": "DEU", "periods": ["2027-1", "2027-3"], "bases": ["AMARI", "SIAULIAI"], "aircraft": 4,
         "can_lead": True, "preference": {"AMARI": 2}},
        {"nation": "POL", "periods": ["2027-1", "2027-2"], "bases": ["SIAULIAI"], "aircraft": 4, "can_lead": True},
        {"nation": "ITA", "periods": ["2027-2", "2027-3"], "bases": ["AMARI", "SIAULIAI"], "aircraft": 4,
         "can_lead": True},
        {"nation": "ESP", "periods": ["2027-1", "2027-2", "2027-3"], "bases": ["AMARI"], "aircraft": 4},
    ],
    "rules": {"min_gap_periods_same_nation": 1},
    "solver": {"time_limit_s": 10},
}  # fmt: skip

#: A small illustrative calendar input (made-up exercises).
CALENDAR_SAMPLE: dict[str, Any] = {
    "calendar_start": "2027-01-04",
    "planning_date": "2026-12-01",
    "weeks": 26,
    "nations": [
        {"id": "DEU", "personnel_cap": 10000, "blackout_weeks": [1]},
        {"id": "POL", "personnel_cap": 8000},
        {"id": "LTU", "personnel_cap": 3000},
    ],
    "areas": [{"id": "DRAWSKO", "capacity": 1}, {"id": "PABRADE", "capacity": 1}],
    "exercises": [
        {"id": "IRON-WOLF", "duration_weeks": 2, "participants": {"LTU": 2000, "DEU": 1500},
         "areas": ["PABRADE"], "priority": 3, "preferred_start_week": 8},
        {"id": "ANAKONDA", "duration_weeks": 3, "participants": {"POL": 7000, "DEU": 3000}, "tanks": 120,
         "areas": ["DRAWSKO"], "priority": 5, "preferred_start_week": 10},
        {"id": "SABER-CPX", "duration_weeks": 1, "participants": {"DEU": 200, "POL": 200, "LTU": 100},
         "areas": [], "priority": 2, "preferred_start_week": 4},
        {"id": "GRIFFIN", "duration_weeks": 2, "participants": {"DEU": 4000}, "areas": ["DRAWSKO", "PABRADE"],
         "priority": 2, "preferred_start_week": 10, "optional": True},
    ],
    "precedences": [{"before": "SABER-CPX", "after": "ANAKONDA"}],
    "solver": {"time_limit_s": 10},
}  # fmt: skip


def served_nations(aircraft: str) -> list[str]:
    """The nation codes a row's ``aircraft`` column names, e.g. ``F-16 x4 (PRT); CF-18 (CAN)``."""
    return _NATION_IN_BRACKETS.findall(aircraft)


def _bap_rows(path: Path) -> dict[str, dict[str, dict[str, str]]]:
    """Rotation label → base → row, in file order, from the first to the last modelled rotation."""
    periods: dict[str, dict[str, dict[str, str]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            periods.setdefault(row["rotation"].strip(), {})[row["base"].strip()] = row
    order = list(periods)
    wanted = order[order.index(BAP_FIRST) : order.index(BAP_LAST) + 1]
    return {rotation: periods[rotation] for rotation in wanted}


def baltic_air_policing_replanned(path: Path = BAP_FILE) -> dict[str, Any]:
    """The rotation input derived from the real 2014-2019 rotations (see the module docstring)."""
    periods: list[str] = []
    offers: list[dict[str, Any]] = []
    for rotation, by_base in _bap_rows(path).items():
        if not set(BAP_BASES) <= set(by_base):
            continue
        periods.append(rotation)
        lead = by_base["Siauliai"]["lead_nation"].strip()
        served: dict[str, str] = {}
        for base, (base_id, _, _) in BAP_BASES.items():
            for nation in served_nations(by_base[base]["aircraft"]):
                served.setdefault(nation, base_id)
        for nation, base_id in served.items():
            offers.append(
                {
                    "nation": nation,
                    "periods": [rotation],
                    "bases": [b[0] for b in BAP_BASES.values()],
                    "aircraft": 1,
                    "can_lead": nation == lead,
                    "preference": {base_id: 1},
                }
            )
    bases = [
        {"id": base_id, "host": BAP_BASE_HOSTS[file_name], "min_aircraft": 1, "lead_required": lead, "name": name}
        for file_name, (base_id, name, lead) in BAP_BASES.items()
    ]
    return {"periods": periods, "bases": bases, "offers": offers, "solver": {"time_limit_s": 20}}


def baltic_air_policing_history(data: dict[str, Any]) -> dict[str, Any]:
    """What actually flew, in the output form: every offer of the example at the base it served.

    Built from the example input itself (each offer prefers the base its nation served at), so a
    what-if page can show how the re-plan differs from history.
    """
    lead_bases = {b["id"] for b in data["bases"] if b.get("lead_required")}
    assignments = []
    for index, offer in enumerate(data["offers"]):
        (base,) = offer["preference"]
        assignments.append(
            {
                "period": offer["periods"][0],
                "base": base,
                "nation": offer["nation"],
                "aircraft": offer["aircraft"],
                "lead": bool(offer["can_lead"]) and base in lead_bases,
                "offer": index,
            }
        )
    return {"status": "HISTORY", "assignments": assignments}


#: Examples with a reference plan to compare the solved plan with: key → (what it is, builder).
EXAMPLE_BASELINES = {"bap-2014-2019": ("the historical rotations", baltic_air_policing_history)}


def examples() -> dict[str, dict[str, Any]]:
    """Every example by its key (fresh copies, safe to change)."""
    return {
        "rotation-sample": copy.deepcopy(ROTATION_SAMPLE),
        "bap-2014-2019": baltic_air_policing_replanned(),
        "calendar-sample": copy.deepcopy(CALENDAR_SAMPLE),
    }


#: Which page shows which example, with its title.
EXAMPLE_TITLES = {
    "rotation-sample": ("rotations", "Small sample (illustrative offers)"),
    "bap-2014-2019": ("rotations", "Baltic Air Policing 2014-2019: the historical offers re-planned"),
    "calendar-sample": ("calendar", "Small sample (illustrative exercises)"),
}
