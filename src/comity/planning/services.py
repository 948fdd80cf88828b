"""Services of the planner pages: solve (with the independent check), what-if edits and their
difference to the previous plan, and saving an accepted plan (rotations or an exercise calendar)
as dated engagements.

The solvers stay pure (``planning.solvers``); this module is where plans meet records.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from comity.core.authority import WriteAction
from comity.core.derivation import least_upper_bound, uncovered_by
from comity.core.labels import label_get_or_create
from comity.core.permissions import default_owner, require_write
from comity.core.selectors import may_see_label
from comity.engagements.calendar_status import status_from_dates
from comity.engagements.choices import EngagementKind, ParticipantRole, Status
from comity.engagements.models import Engagement, EngagementParticipant, Exercise, Objective
from comity.engagements.services import EngagementChangeError, engagement_create
from comity.planning.periods import FIRST_DAY, LAST_DAY, has_dates, period_dates
from comity.planning.solvers import PLANNERS, InputError
from comity.planning.solvers.checker import check_calendar, check_rotations
from comity.planning.solvers.rotation_model import parse_rotations
from comity.registry.models import State

if TYPE_CHECKING:
    from comity.core.models import ConfidentialityLabel, User

CHECKERS = {"rotations": check_rotations, "calendar": check_calendar}
#: Statuses whose output carries a plan.
PLANNED = ("OPTIMAL", "FEASIBLE")


class PlanSaveError(Exception):
    """A plan cannot be saved; the message says why."""


@dataclass(frozen=True)
class Solved:
    """A solver run: the input, the output and the independent checker's findings (empty = valid)."""

    kind: str
    input: dict[str, Any]
    output: dict[str, Any]
    violations: list[dict[str, Any]]

    @property
    def has_plan(self) -> bool:
        return self.output.get("status") in PLANNED

    def as_session(self) -> dict[str, Any]:
        return {"kind": self.kind, "input": self.input, "output": self.output}


def plan_violations(kind: str, data: Any, output: dict[str, Any]) -> list[dict[str, Any]]:
    """The independent checker's findings for a plan (none when the output holds no plan)."""
    return [dict(v) for v in CHECKERS[kind](data, output)] if output.get("status") in PLANNED else []


def plan_solve(*, kind: str, data: Any) -> Solved:
    """Solve ``data`` with the ``kind`` planner and check the plan; raises ``InputError``.

    A rotation input that gives its periods dates has them checked with the rest, so a bad date
    is named before the plan is solved rather than when it is saved.
    """
    if kind == "rotations" and has_dates(data):
        errors: dict[str, str] = {}
        for check in (parse_rotations, period_dates):
            try:
                check(data)
            except InputError as exc:
                errors.update(exc.errors)
        if errors:
            raise InputError(errors)
    output = PLANNERS[kind](data)
    return Solved(kind, data, output, plan_violations(kind, data, output))


def rotation_offer_edit(
    data: dict[str, Any],
    *,
    offer: int,
    periods: list[str] | None = None,
    bases: list[str] | None = None,
    aircraft: int | None = None,
) -> dict[str, Any]:
    """A copy of the rotation input with one offer changed (what-if); ``None`` keeps a field."""
    offers = data.get("offers") if isinstance(data, dict) else None
    if not isinstance(offers, list) or not 0 <= offer < len(offers):
        raise InputError({"offer": f"offer must be one of 0..{len(offers or []) - 1}"})
    changed = copy.deepcopy(data)
    target = changed["offers"][offer]
    if periods is not None:
        target["periods"] = periods
        if "max_rotations" in target and isinstance(target["max_rotations"], int):
            target["max_rotations"] = min(target["max_rotations"], len(periods)) or 1
    if bases is not None:
        target["bases"] = bases
        if isinstance(target.get("preference"), dict):
            target["preference"] = {b: v for b, v in target["preference"].items() if b in bases}
    if aircraft is not None:
        target["aircraft"] = aircraft
    return changed


def assignment_key(a: dict[str, Any]) -> tuple[str, str, str, bool]:
    """How two plans match an assignment: period, base, nation and whether it leads."""
    return (str(a["period"]), str(a["base"]), str(a["nation"]), bool(a.get("lead")))


@dataclass(frozen=True)
class PlanDiff:
    """Assignments only in the new plan (added), only in the previous one (removed), and kept."""

    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    kept: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def rotation_plan_diff(previous: dict[str, Any], current: dict[str, Any]) -> PlanDiff:
    """Compare two rotation outputs by (period, base, nation, lead); periods in the input's order."""
    before = {assignment_key(a): a for a in previous.get("assignments", [])}
    after = {assignment_key(a): a for a in current.get("assignments", [])}
    return PlanDiff(
        added=[after[k] for k in after if k not in before],
        removed=[before[k] for k in before if k not in after],
        kept=len(before.keys() & after.keys()),
    )


@dataclass
class SaveReport:
    created: list[Engagement] = field(default_factory=list)
    unchanged: list[Engagement] = field(default_factory=list)
    #: The label the records carry: the one asked for, raised to cover the plan's sources.
    label: ConfidentialityLabel | None = None


#: The characters between a plan's name and the rest of its keys; ``slugify`` never writes two
#: hyphens in a row, so every key of a plan, and no key of another plan, starts with its prefix.
KEY_SEPARATOR = "--"
#: How much of the plan's name its keys keep (a key holds at most 100 characters).
NAME_IN_KEY = 40
#: What every saved plan's keys start with; the source each planner's records name.
PLAN_KEY_START = "plan-"
PLAN_SOURCE = "comity rotation planner"
CALENDAR_PLAN_SOURCE = "comity exercise calendar planner"


def plan_prefix(name: str) -> str:
    """What every key of the plan called ``name`` starts with: ``plan-<slug of the name>--``."""
    return f"{PLAN_KEY_START}{slugify(name)[:NAME_IN_KEY].strip('-')}{KEY_SEPARATOR}"


def plan_key(name: str, *parts: str) -> str:
    """The natural key of one saved item: ``plan-<name>--<part>--<part>...``; a rotation's parts
    are its period, base and nation, an exercise's its id in the calendar input.

    A key that would pass 100 characters keeps its first 89 and ends in a digest of the parts, so
    two long periods or bases still get two keys.
    """
    key = f"{plan_prefix(name)}{KEY_SEPARATOR.join(slugify(part) or 'x' for part in parts)}"
    if len(key) <= 100:
        return key
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:10]
    return f"{key[:89]}-{digest}"


@dataclass(frozen=True)
class _Planned:
    """One item of a plan as the record it becomes, before it is written."""

    key: str
    model: type[Engagement]
    kind: str
    participants: list[tuple[State, str, int | None]]
    values: dict[str, Any]


def _plan_sources(acting_user: User, problem: dict[str, Any]) -> list[Engagement]:
    """The records the input says it derives from (``derived_from``: keys the user may see)."""
    keys = problem.get("derived_from", [])
    if not isinstance(keys, list) or not all(isinstance(k, str) and k.strip() for k in keys):
        raise PlanSaveError("derived_from must be a list of record keys.")
    keys = [k.strip() for k in keys]
    found = {e.key: e for e in Engagement.objects.visible_to(acting_user).filter(key__in=keys).select_related("label")}
    missing = [k for k in keys if k not in found]
    if missing:  # a hidden record is answered as a missing one
        raise PlanSaveError(f"derived_from names no record you may see: {', '.join(sorted(missing)[:5])}.")
    return list(found.values())


def _plan_label(
    acting_user: User, chosen: ConfidentialityLabel, sources: list[ConfidentialityLabel]
) -> ConfidentialityLabel:
    """The chosen label, raised to the least upper bound of it and the plan's sources."""
    if not may_see_label(acting_user, chosen):
        raise PlanSaveError("You may not give a record a label above what you may see.")
    if uncovered_by(chosen, sources) is None:
        return chosen
    bound = least_upper_bound([chosen.to_spec(), *(source.to_spec() for source in sources)])
    label = label_get_or_create(bound)  # type: ignore[arg-type]
    if not may_see_label(acting_user, label):
        raise PlanSaveError(f"The plan's sources need the label {label.marking}, which you may not give.")
    return label


def _plan_name(title_prefix: str) -> str:
    name = title_prefix.strip()
    if not slugify(name):
        raise PlanSaveError("Give the plan a title (letters or digits).")
    return name


def _solved_plan(plan: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The input and output of a solved plan, or ``PlanSaveError`` when there is none."""
    problem, output = plan.get("input"), plan.get("output")
    if not isinstance(problem, dict) or not isinstance(output, dict) or output.get("status") not in PLANNED:
        raise PlanSaveError("There is no solved plan to save.")
    return problem, output


def _states(codes: set[str]) -> dict[str, State]:
    """The registry states of ``codes``; a plan naming anything else is refused."""
    states = {s.iso3: s for s in State.objects.filter(iso3__in=codes)}
    unknown = sorted(codes - states.keys())
    if unknown:
        raise PlanSaveError(f"Not states in the registry: {', '.join(unknown)}.")
    return states


def rotation_plan_save(
    *, acting_user: User, plan: dict[str, Any], label: ConfidentialityLabel, title_prefix: str
) -> SaveReport:
    """Save an accepted rotation plan as one dated ``posture`` engagement per assignment.

    ``plan`` is ``{"input": ..., "output": ...}`` as solved; ``title_prefix`` is the plan's name.
    The plan must have a status of OPTIMAL or FEASIBLE, pass the independent checker and give
    its periods dates (``planning.periods``): each record runs over its period's days and takes
    its status from them (``calendar_status.status_from_dates``: planned, ongoing or completed).
    Its label is ``label`` raised to cover what the plan derives from (the objective it serves,
    the records named in ``derived_from``); the user must be an editor of their scope and may see
    the label. Each engagement has the nation as lead participant and the base's host as host,
    and is change-logged by ``engagement_create``, all in one transaction.

    Saving the same plan under the same name again creates nothing. A name whose records differ
    (another plan, other dates, or records the user may not see) is refused.
    """
    name = _plan_name(title_prefix)
    problem, output = _solved_plan(plan)
    if check_rotations(problem, output):
        raise PlanSaveError("The plan breaks the rotation rules, so it is not saved.")
    require_write(acting_user, WriteAction.CREATE, None, default_owner(acting_user))
    try:
        spans = period_dates(problem)
    except InputError as exc:
        raise PlanSaveError(f"The plan's periods need dates before it is saved: {exc}") from exc
    bases = {b["id"]: b for b in problem["bases"]}
    states = _states({a["nation"] for a in output["assignments"]} | {b["host"] for b in bases.values()})
    objectives = list(Objective.objects.visible_to(acting_user).filter(code="deterrence").select_related("label"))
    sources = [record.label for record in _plan_sources(acting_user, problem)] + [o.label for o in objectives]
    report = SaveReport(label=_plan_label(acting_user, label, sources))
    planned = _planned(name, problem, output, bases, states, spans, report.label)
    _save_planned(acting_user=acting_user, name=name, planned=planned, objectives=objectives, report=report)
    return report


def calendar_plan_save(
    *, acting_user: User, plan: dict[str, Any], label: ConfidentialityLabel, title_prefix: str
) -> SaveReport:
    """Save an accepted exercise calendar as one dated ``exercise`` engagement per scheduled one.

    The same write rule as ``rotation_plan_save``: a solved plan the independent checker accepts
    (``check_calendar``), an editor of their scope, ``label`` raised to cover the records named
    in ``derived_from``, one transaction, and the same plan under the same name saved once. Each
    record runs over the exercise's weeks (the output's ``start_date`` to ``end_date``), takes
    its status from those dates, names the input's nations as participants with the personnel
    each brings, the chosen training area as its location and the tanks, armoured combat
    vehicles and artillery the input gives; the notes say when a Vienna Document notification is
    due. Left-out exercises are not saved.
    """
    name = _plan_name(title_prefix)
    problem, output = _solved_plan(plan)
    if check_calendar(problem, output):
        raise PlanSaveError("The plan breaks the calendar rules, so it is not saved.")
    require_write(acting_user, WriteAction.CREATE, None, default_owner(acting_user))
    exercises = {x["id"]: x for x in problem["exercises"]}
    scheduled = output.get("scheduled", [])
    states = _states({nation for item in scheduled for nation in exercises[item["id"]]["participants"]})
    report = SaveReport(label=_plan_label(acting_user, label, [r.label for r in _plan_sources(acting_user, problem)]))
    today = timezone.localdate()
    planned: dict[str, _Planned] = {}
    for item in scheduled:
        exercise = exercises[item["id"]]
        key = plan_key(name, item["id"])
        if key in planned:
            raise PlanSaveError(f"Two exercises would both be saved as {key!r}; give exercises distinct ids.")
        start, end = date.fromisoformat(item["start_date"]), date.fromisoformat(item["end_date"])
        if not FIRST_DAY <= start <= end <= LAST_DAY:
            raise PlanSaveError(
                f"Exercise {item['id']} runs outside the days a calendar shows ({FIRST_DAY} to {LAST_DAY})."
            )
        notice = (
            f" Notifiable under the Vienna Document 2011: notify by {item['notify_by']}." if item["notifiable"] else ""
        )
        planned[key] = _Planned(
            key=key,
            model=Exercise,
            kind=EngagementKind.EXERCISE,
            participants=[
                (states[nation], ParticipantRole.PARTICIPANT.value, people)
                for nation, people in sorted(exercise["participants"].items())
            ],
            values={
                "title": f"{name}: {item.get('name') or item['id']}"[:200],
                "start_date": start,
                "end_date": end,
                "date_precision": "day",
                "status": status_from_dates(start=start, end=end, precision="day", today=today, bounded=True)
                or Status.PLANNED,
                "label": report.label,
                "location": item.get("area") or "",
                "personnel": item["troops"],
                "battle_tanks": exercise.get("tanks") or None,
                "armoured_combat_vehicles": exercise.get("acvs") or None,
                "artillery_pieces": exercise.get("artillery") or None,
                "source": CALENDAR_PLAN_SOURCE,
                "notes": (
                    f"Planned exercise {item['id']}, weeks {item['start_week']} to {item['end_week']} of the "
                    f"calendar from {problem['calendar_start']} ({start} to {end}).{notice} "
                    f"Plan status {output['status']}, objective {output.get('objective')}."
                ),
            },
        )
    _save_planned(acting_user=acting_user, name=name, planned=list(planned.values()), objectives=[], report=report)
    return report


def _save_planned(
    *, acting_user: User, name: str, planned: list[_Planned], objectives: list[Objective], report: SaveReport
) -> None:
    """Write a plan's records through ``engagement_create``, in one transaction, unless the same
    plan was saved under ``name`` before (then they count as unchanged); another plan under the
    name is refused."""
    with transaction.atomic():
        earlier = list(Engagement.objects.select_for_update().filter(key__startswith=plan_prefix(name)))
        if earlier:
            if not _same_plan(earlier, planned, acting_user):
                raise PlanSaveError(
                    f"A plan named {name!r} was saved before with other assignments or dates, or the name is "
                    "taken; choose another name."
                )
            report.unchanged.extend(sorted(earlier, key=lambda e: e.key))
            return
        for item in planned:
            try:
                record = engagement_create(
                    acting_user=acting_user,
                    model=item.model,
                    kind=item.kind,
                    key=item.key,
                    values=item.values,
                    participants=item.participants,
                    objectives=objectives,
                )
            except EngagementChangeError as exc:
                raise PlanSaveError(str(exc)) from exc
            report.created.append(record)


def _planned(
    name: str,
    problem: dict[str, Any],
    output: dict[str, Any],
    bases: dict[str, dict[str, Any]],
    states: dict[str, State],
    spans: dict[str, tuple[date, date]],
    label: ConfidentialityLabel,
) -> list[_Planned]:
    """The records the plan's assignments become, in the output's order; refused when two of them
    would share a key (periods or bases whose ids differ only in punctuation or case)."""
    today = timezone.localdate()
    planned: dict[str, _Planned] = {}
    for a in output["assignments"]:
        base = bases[a["base"]]
        nation, host = states[a["nation"]], states[base["host"]]
        start, end = spans[a["period"]]
        key = plan_key(name, a["period"], a["base"], a["nation"])
        if key in planned:
            raise PlanSaveError(f"Two assignments would both be saved as {key!r}; give periods and bases distinct ids.")
        base_name = base.get("name") or base["id"]
        status = status_from_dates(start=start, end=end, precision="day", today=today, bounded=True)
        planned[key] = _Planned(
            key=key,
            model=Engagement,
            kind=EngagementKind.POSTURE,
            participants=[(nation, ParticipantRole.LEAD.value, None), (host, ParticipantRole.HOST.value, None)],
            values={
                "title": f"{name}: {nation.iso3} at {base_name}, period {a['period']}"[:200],
                "start_date": start,
                "end_date": end,
                "date_precision": "day",
                "status": status or Status.PLANNED,
                "label": label,
                "location": base_name,
                "lead_state": nation,
                "source": PLAN_SOURCE,
                "notes": (
                    f"Planned rotation, period {a['period']} ({start} to {end}): {a['aircraft']} aircraft"
                    f"{', lead nation of the base' if a.get('lead') else ''}. "
                    f"Plan status {output['status']}, objective {output.get('objective')}."
                ),
            },
        )
    return list(planned.values())


def _same_plan(earlier: list[Engagement], planned: list[_Planned], user: User) -> bool:
    """The records under the plan's name are this plan, saved before, and the user may see them all:
    the same keys, kinds, dates, lead and participants (nation and role)."""
    wanted = {item.key: item for item in planned}
    if {record.key for record in earlier} != wanted.keys():
        return False
    visible = set(
        Engagement.objects.visible_to(user).filter(pk__in=[r.pk for r in earlier]).values_list("pk", flat=True)
    )
    links: dict[int, set[tuple[int, str]]] = {record.pk: set() for record in earlier}
    for engagement, state, role in EngagementParticipant.objects.filter(engagement__in=earlier).values_list(
        "engagement_id", "state_id", "role"
    ):
        links[engagement].add((state, role))

    def same(record: Engagement, item: _Planned) -> bool:
        lead = item.values.get("lead_state")
        return (
            record.pk in visible
            and record.kind == item.kind
            and record.lead_state_id == (lead.pk if lead else None)
            and links[record.pk] == {(state.pk, role) for state, role, _ in item.participants}
            and (record.start_date, record.end_date) == (item.values["start_date"], item.values["end_date"])
        )

    return all(same(record, wanted[record.key]) for record in earlier)
