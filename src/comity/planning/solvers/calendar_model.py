"""The exercise calendar: input as frozen dataclasses, validation, start-week rules and objective.

Weeks are numbered 1..``weeks``; week ``w`` starts on ``calendar_start + 7 (w - 1)`` days. An
exercise of ``d`` weeks starting in week ``s`` occupies weeks ``s .. s + d - 1`` (``end_week`` is
inclusive). The start-week rules live here so the solver, the greedy baseline and the reasons
given for unscheduled exercises all read them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from comity.engagements import vienna
from comity.planning.solvers.fields import MAX_INTEGER, Fields
from comity.planning.solvers.settings import SolverSettings, read_settings

# Objective (maximised): each priority point of a scheduled exercise is worth as much as 100
# weeks of deviation from preferred start weeks, so leaving out an exercise is never worth a
# better date for another one unless it frees more than 100 weeks of deviation per priority point.
WEIGHT_PRIORITY = 100
WEIGHT_DEVIATION = 1
# Deviation stays below 100 weeks, so every exercise that fits adds value and is scheduled in an
# optimal plan; an unscheduled exercise therefore always has a rule or a resource to blame.
MAX_WEEKS = 100


@dataclass(frozen=True)
class Nation:
    id: str
    personnel_cap: int
    blackout_weeks: frozenset[int]


@dataclass(frozen=True)
class Area:
    id: str
    capacity: int


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    duration_weeks: int
    earliest_start_week: int
    latest_end_week: int
    participants: tuple[tuple[str, int], ...]
    areas: tuple[str, ...]
    tanks: int
    acvs: int
    artillery: int
    priority: int
    preferred_start_week: int | None
    optional: bool

    @property
    def troops(self) -> int:
        return sum(people for _, people in self.participants)

    @property
    def notifiable(self) -> bool:
        return vienna.assess(
            start=None,
            troops=self.troops,
            battle_tanks=self.tanks,
            armoured_combat_vehicles=self.acvs,
            artillery_pieces=self.artillery,
        ).notifiable

    def deviation(self, start: int) -> int:
        return 0 if self.preferred_start_week is None else abs(start - self.preferred_start_week)

    def value(self, start: int) -> int:
        """This exercise's contribution to the objective when it starts in week ``start``."""
        return WEIGHT_PRIORITY * self.priority - WEIGHT_DEVIATION * self.deviation(start)


@dataclass(frozen=True)
class Precedence:
    before: str
    after: str


@dataclass(frozen=True)
class CalendarProblem:
    calendar_start: date
    planning_date: date
    weeks: int
    nations: tuple[Nation, ...]
    areas: tuple[Area, ...]
    exercises: tuple[Exercise, ...]
    precedences: tuple[Precedence, ...]
    settings: SolverSettings

    def week_start(self, week: int) -> date:
        return self.calendar_start + timedelta(weeks=week - 1)

    @property
    def notice_week(self) -> int:
        """The first week a notifiable exercise may start: 42 days or more after the planning date."""
        earliest = self.planning_date + timedelta(days=vienna.NOTIFICATION_LEAD_DAYS)
        return max(1, -(-(earliest - self.calendar_start).days // 7) + 1)

    @cached_property
    def _nations(self) -> dict[str, Nation]:
        return {n.id: n for n in self.nations}

    @cached_property
    def _areas(self) -> dict[str, Area]:
        return {a.id: a for a in self.areas}

    @cached_property
    def _exercises(self) -> dict[str, Exercise]:
        return {x.id: x for x in self.exercises}

    def nation(self, nation_id: str) -> Nation:
        return self._nations[nation_id]

    def area(self, area_id: str) -> Area:
        return self._areas[area_id]

    def exercise(self, exercise_id: str) -> Exercise:
        return self._exercises[exercise_id]


@dataclass(frozen=True)
class StartRules:
    """Start weeks an exercise may take, by rule, so explanations can say which rule excludes what."""

    horizon: frozenset[int]
    window: frozenset[int]
    notice: frozenset[int]
    blackout: tuple[tuple[str, frozenset[int]], ...]

    @property
    def allowed(self) -> frozenset[int]:
        allowed = self.horizon & self.window & self.notice
        for _, starts in self.blackout:
            allowed &= starts
        return allowed


def start_rules(problem: CalendarProblem, ex: Exercise) -> StartRules:
    d = ex.duration_weeks
    horizon = frozenset(range(1, problem.weeks - d + 2))
    window = frozenset(s for s in horizon if s >= ex.earliest_start_week and s + d - 1 <= ex.latest_end_week)
    notice = frozenset(s for s in horizon if not ex.notifiable or s >= problem.notice_week)
    blackout = tuple(
        (nation, frozenset(s for s in horizon if not problem.nation(nation).blackout_weeks & set(range(s, s + d))))
        for nation, _ in ex.participants
        if problem.nation(nation).blackout_weeks
    )
    return StartRules(horizon, window, notice, blackout)


def parse_calendar(data: Any) -> CalendarProblem:
    """Validate raw JSON into a problem, or raise InputError listing every bad field."""
    fields = Fields()
    root = fields.obj(data, "input")
    calendar_start = fields.day(root, "calendar_start", "")
    planning_date = fields.day(root, "planning_date", "") if "planning_date" in root else calendar_start
    weeks = fields.integer(root, "weeks", "", default=52)
    if weeks > MAX_WEEKS:
        fields.error("weeks", f"must be at most {MAX_WEEKS}")
        weeks = MAX_WEEKS
    # The calendar's last day and the notice period must still be dates Python can hold.
    if calendar_start > date.max - timedelta(weeks=weeks):
        fields.error("calendar_start", f"must leave {weeks} weeks before {date.max}")
    if planning_date > date.max - timedelta(days=vienna.NOTIFICATION_LEAD_DAYS):
        fields.error("planning_date", f"must be at least {vienna.NOTIFICATION_LEAD_DAYS} days before {date.max}")
    nations = tuple(
        _nation(fields, raw, f"nations[{i}]", weeks) for i, raw in enumerate(fields.items(root, "nations", ""))
    )
    fields.unique([n.id for n in nations], "nations", "nation id")
    areas = tuple(
        _area(fields, raw, f"areas[{i}]") for i, raw in enumerate(fields.items(root, "areas", "", required=False))
    )
    fields.unique([a.id for a in areas], "areas", "area id")
    known = ({n.id for n in nations}, {a.id for a in areas})
    exercises = tuple(
        _exercise(fields, raw, f"exercises[{i}]", weeks, known)
        for i, raw in enumerate(fields.items(root, "exercises", ""))
    )
    ids = [x.id for x in exercises]
    fields.unique(ids, "exercises", "exercise id")
    precedences = []
    for i, raw in enumerate(fields.items(root, "precedences", "", required=False)):
        path = f"precedences[{i}]"
        rule = fields.obj(raw, path)
        before, after = fields.text(rule, "before", path), fields.text(rule, "after", path)
        for key, value in (("before", before), ("after", after)):
            if value and value not in ids:
                fields.error(f"{path}.{key}", "must be the id of a listed exercise")
        if before and before == after:
            fields.error(path, "must name two different exercises")
        precedences.append(Precedence(before, after))
    settings = read_settings(fields, root, default_time_limit_s=60.0)
    fields.raise_if_any()
    return CalendarProblem(
        calendar_start, planning_date, weeks, nations, areas, exercises, tuple(precedences), settings
    )


def _nation(fields: Fields, raw: Any, path: str, weeks: int) -> Nation:
    data = fields.obj(raw, path)
    blackout = set()
    for i, week in enumerate(fields.items(data, "blackout_weeks", path, required=False)):
        if isinstance(week, int) and not isinstance(week, bool) and 1 <= week <= weeks:
            blackout.add(week)
        else:
            fields.error(f"{path}.blackout_weeks[{i}]", f"must be a week number from 1 to {weeks}")
    return Nation(fields.text(data, "id", path), fields.integer(data, "personnel_cap", path), frozenset(blackout))


def _area(fields: Fields, raw: Any, path: str) -> Area:
    data = fields.obj(raw, path)
    return Area(fields.text(data, "id", path), fields.integer(data, "capacity", path))


def _exercise(fields: Fields, raw: Any, path: str, weeks: int, known: tuple[set[str], set[str]]) -> Exercise:
    nations, areas = known
    data = fields.obj(raw, path)
    participants = []
    raw_participants = fields.obj(data.get("participants"), f"{path}.participants")
    for nation, people in sorted(raw_participants.items()):
        if nation not in nations:
            fields.error(f"{path}.participants.{nation}", "is not a listed nation")
        elif not isinstance(people, int) or isinstance(people, bool) or people < 1:
            fields.error(f"{path}.participants.{nation}", "must be a positive integer")
        elif people > MAX_INTEGER:
            fields.error(f"{path}.participants.{nation}", f"must be at most {MAX_INTEGER}")
        else:
            participants.append((nation, people))
    if not raw_participants:
        fields.error(f"{path}.participants", "must name at least one nation")
    ex_areas = []
    for i, area in enumerate(fields.items(data, "areas", path, required=False)):
        if not isinstance(area, str) or area not in areas:  # a list or object is not hashable
            fields.error(f"{path}.areas[{i}]", "must be the id of a listed area")
        elif area not in ex_areas:
            ex_areas.append(area)
    duration = fields.integer(data, "duration_weeks", path)
    if duration > weeks:
        fields.error(f"{path}.duration_weeks", f"must be at most the {weeks} weeks planned")
    earliest = fields.integer(data, "earliest_start_week", path, default=1)
    latest = fields.integer(data, "latest_end_week", path, default=weeks)
    if latest > weeks:
        fields.error(f"{path}.latest_end_week", f"must be at most {weeks}")
    preferred = data.get("preferred_start_week")
    if preferred is not None:
        preferred = fields.integer(data, "preferred_start_week", path)
        if preferred > weeks:
            fields.error(f"{path}.preferred_start_week", f"must be a week number from 1 to {weeks}")
    return Exercise(
        id=fields.text(data, "id", path),
        name=data["name"] if isinstance(data.get("name"), str) else "",
        duration_weeks=duration,
        earliest_start_week=earliest,
        latest_end_week=latest,
        participants=tuple(participants),
        areas=tuple(ex_areas),
        tanks=fields.integer(data, "tanks", path, minimum=0, default=0),
        acvs=fields.integer(data, "acvs", path, minimum=0, default=0),
        artillery=fields.integer(data, "artillery", path, minimum=0, default=0),
        priority=fields.integer(data, "priority", path, default=1),
        preferred_start_week=preferred,
        optional=fields.boolean(data, "optional", path, default=False),
    )
