"""Planning API: POST an input document, get the plan back (400 with field errors on bad input).

Solving is synchronous and bounded by the input's ``solver.time_limit_s`` (at most 600 s); the
views hold no state and touch no database.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from comity.planning.solvers import PLANNERS, InputError

_ERRORS = OpenApiResponse(OpenApiTypes.OBJECT, description='Invalid input: {"errors": {field path: message}}.')

_ROTATIONS_EXAMPLE = {
    "periods": ["2026-1", "2026-2"],
    "bases": [{"id": "AMARI", "host": "EST", "min_aircraft": 4, "lead_required": True, "name": "Ämari"}],
    "offers": [
        {
            "nation": "DEU",
            "periods": ["2026-1"],
            "bases": ["AMARI"],
            "aircraft": 4,
            "max_rotations": 1,
            "can_lead": True,
            "preference": {"AMARI": 2},
        },
        {"nation": "ITA", "periods": ["2026-2"], "bases": ["AMARI"], "aircraft": 4, "can_lead": True},
    ],
    "rules": {"min_gap_periods_same_nation": 1},
}
_CALENDAR_EXAMPLE = {
    "calendar_start": "2027-01-04",
    "planning_date": "2026-12-01",
    "weeks": 52,
    "nations": [{"id": "DEU", "personnel_cap": 10000, "blackout_weeks": [52]}, {"id": "POL", "personnel_cap": 8000}],
    "areas": [{"id": "DRAWSKO", "capacity": 1}],
    "exercises": [
        {
            "id": "EX1",
            "duration_weeks": 2,
            "participants": {"DEU": 6000, "POL": 4000},
            "tanks": 80,
            "areas": ["DRAWSKO"],
            "priority": 5,
            "preferred_start_week": 10,
        }
    ],
}


class _PlanView(APIView):
    kind = ""

    def post(self, request: Request) -> Response:
        try:
            return Response(PLANNERS[self.kind](request.data))
        except InputError as exc:
            return Response({"errors": exc.errors}, status=400)


def _schema(summary: str, description: str, example: dict[str, Any]) -> Any:
    return extend_schema(
        summary=summary,
        description=description,
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 400: _ERRORS},
        examples=[OpenApiExample("Input", value=example, request_only=True)],
    )


class RotationPlanView(_PlanView):
    """Air-policing rotation plan (CP-SAT); see docs/planning.md for the input and output contract."""

    kind = "rotations"

    @_schema(
        "Plan air-policing rotations",
        "Assigns offers of nations to bases and periods so that every base has its aircraft minimum and, "
        "where required, one lead nation. Returns status OPTIMAL, FEASIBLE, INFEASIBLE (with a minimal "
        "conflict explanation) or UNKNOWN (time limit), assignments, objective and explanation.",
        _ROTATIONS_EXAMPLE,
    )
    def post(self, request: Request) -> Response:
        return super().post(request)


class CalendarPlanView(_PlanView):
    """Exercise calendar (CP-SAT); see docs/planning.md for the input and output contract."""

    kind = "calendar"

    @_schema(
        "Plan an exercise calendar",
        "Schedules exercises within personnel caps, training-area capacity, precedences, blackout weeks and "
        "the Vienna Document 2011 42-day notice. Returns status, scheduled and unscheduled exercises (with "
        "reasons), objective, best bound, gap and explanation.",
        _CALENDAR_EXAMPLE,
    )
    def post(self, request: Request) -> Response:
        return super().post(request)
