"""Small hand-made inputs shared by the tests (illustrative, not real commitments of any nation)."""

from __future__ import annotations

import copy
from typing import Any

FAST = {"time_limit_s": 10, "num_workers": 2, "seed": 0}


def baltic() -> dict[str, Any]:
    """Two lead-required bases over four periods; feasible with a one-period gap rule."""
    every = ["2026-1", "2026-2", "2026-3", "2027-1"]
    return copy.deepcopy(
        {
            "periods": every,
            "bases": [
                {"id": "SIAULIAI", "host": "LTU", "min_aircraft": 4, "lead_required": True, "name": "Šiauliai"},
                {"id": "AMARI", "host": "EST", "min_aircraft": 4, "lead_required": True, "name": "Ämari"},
            ],
            "offers": [
                {
                    "nation": "DEU",
                    "periods": every,
                    "bases": ["AMARI", "SIAULIAI"],
                    "aircraft": 4,
                    "max_rotations": 2,
                    "can_lead": True,
                    "preference": {"AMARI": 2},
                },
                {
                    "nation": "POL",
                    "periods": every,
                    "bases": ["SIAULIAI"],
                    "aircraft": 4,
                    "max_rotations": 2,
                    "can_lead": True,
                },
                {
                    "nation": "ITA",
                    "periods": every,
                    "bases": ["AMARI", "SIAULIAI"],
                    "aircraft": 4,
                    "max_rotations": 2,
                    "can_lead": True,
                    "preference": {"SIAULIAI": 1},
                },
                {
                    "nation": "ESP",
                    "periods": every,
                    "bases": ["AMARI", "SIAULIAI"],
                    "aircraft": 4,
                    "max_rotations": 2,
                    "can_lead": True,
                },
                {
                    "nation": "NLD",
                    "periods": every[1:],
                    "bases": ["AMARI", "SIAULIAI"],
                    "aircraft": 2,
                    "can_lead": False,
                },
            ],
            "rules": {"min_gap_periods_same_nation": 1},
            "solver": FAST,
        }
    )


def exercises() -> dict[str, Any]:
    """Four exercises over 20 weeks with a notifiable LIVEX, blackouts, areas and a precedence."""
    return copy.deepcopy(
        {
            "calendar_start": "2027-01-04",
            "planning_date": "2026-12-01",
            "weeks": 20,
            "nations": [
                {"id": "DEU", "personnel_cap": 10000, "blackout_weeks": [1, 2]},
                {"id": "POL", "personnel_cap": 6000},
                {"id": "NLD", "personnel_cap": 3000, "blackout_weeks": [10]},
            ],
            "areas": [{"id": "DRAWSKO", "capacity": 1}, {"id": "BERGEN", "capacity": 2}],
            "exercises": [
                {
                    "id": "LIVEX",
                    "duration_weeks": 3,
                    "participants": {"DEU": 6000, "POL": 4000},
                    "tanks": 120,
                    "areas": ["DRAWSKO"],
                    "priority": 5,
                    "preferred_start_week": 3,
                },
                {
                    "id": "CPX",
                    "duration_weeks": 1,
                    "participants": {"DEU": 200, "NLD": 100},
                    "priority": 2,
                    "preferred_start_week": 2,
                    "optional": True,
                },
                {
                    "id": "FTX",
                    "duration_weeks": 2,
                    "participants": {"NLD": 2500, "POL": 1500},
                    "areas": ["BERGEN", "DRAWSKO"],
                    "priority": 3,
                    "earliest_start_week": 8,
                    "latest_end_week": 12,
                    "preferred_start_week": 9,
                },
                {"id": "OVERSIZE", "duration_weeks": 2, "participants": {"NLD": 3500}, "priority": 1, "optional": True},
            ],
            "precedences": [{"before": "CPX", "after": "LIVEX"}],
            "solver": FAST,
        }
    )
