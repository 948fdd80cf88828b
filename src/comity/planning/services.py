"""Services of the planner pages: solve (with the independent check), what-if edits and their
difference to the previous plan, and saving an accepted rotation plan as planned engagements.

The solvers stay pure (``planning.solvers``); this module is where plans meet records.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.text import slugify

from comity.core.selectors import may_see_label
from comity.engagements.choices import EngagementKind, ParticipantRole, Status
from comity.engagements.models import Engagement, EngagementParticipant, Objective
from comity.engagements.services import engagement_create
from comity.planning.solvers import PLANNERS, InputError
from comity.planning.solvers.checker import check_calendar, check_rotations
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
    """Solve ``data`` with the ``kind`` planner and check the plan; raises ``InputError``."""
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


def rotation_plan_key(title_prefix: str, period: str, base: str) -> str:
    """The natural key of one saved assignment: ``plan-<slug>-<period>-<base>``."""
    return f"plan-{slugify(title_prefix)}-{slugify(period)}-{slugify(base)}"[:100]


def rotation_plan_save(
    *, acting_user: User, plan: dict[str, Any], label: ConfidentialityLabel, title_prefix: str
) -> SaveReport:
    """Save an accepted rotation plan as one planned ``posture`` engagement per assignment.

    ``plan`` is ``{"input": ..., "output": ...}`` as solved. The plan must have a status of
    OPTIMAL or FEASIBLE and pass the independent checker; ``label`` must be one the user may
    see. Each engagement has the nation as lead participant and the base's host as host, and
    is change-logged by ``engagement_create``. Saving the same plan again creates nothing
    (keys ``plan-<slug>-<period>-<base>``); a key already used by a different record is refused.
    """
    title_prefix = title_prefix.strip()
    if not slugify(title_prefix):
        raise PlanSaveError("Give the plan a title (letters or digits).")
    problem, output = plan.get("input"), plan.get("output")
    if not isinstance(problem, dict) or not isinstance(output, dict) or output.get("status") not in PLANNED:
        raise PlanSaveError("There is no solved plan to save.")
    if check_rotations(problem, output):
        raise PlanSaveError("The plan breaks the rotation rules, so it is not saved.")
    if not may_see_label(acting_user, label):
        raise PlanSaveError("You may not give a record a label above what you may see.")
    bases = {b["id"]: b for b in problem["bases"]}
    codes = {a["nation"] for a in output["assignments"]} | {b["host"] for b in bases.values()}
    states = {s.iso3: s for s in State.objects.filter(iso3__in=codes)}
    unknown = sorted(codes - states.keys())
    if unknown:
        raise PlanSaveError(f"Not states in the registry: {', '.join(unknown)}.")
    objectives = list(Objective.objects.visible_to(acting_user).filter(code="deterrence"))
    report = SaveReport()
    with transaction.atomic():
        for a in output["assignments"]:
            base = bases[a["base"]]
            nation, host = states[a["nation"]], states[base["host"]]
            key = rotation_plan_key(title_prefix, a["period"], a["base"])
            existing = Engagement.objects.filter(key=key).first()
            if existing is not None:
                if _same(existing, nation, acting_user):
                    report.unchanged.append(existing)
                    continue
                raise PlanSaveError(f"Key {key!r} is already used by another record; choose another title.")
            base_name = base.get("name") or base["id"]
            participants = [(nation, ParticipantRole.LEAD.value, None)]
            participants.append((host, ParticipantRole.HOST.value, None))
            try:
                record = engagement_create(
                    acting_user=acting_user,
                    model=Engagement,
                    kind=EngagementKind.POSTURE,
                    key=key,
                    values={
                        "title": f"{title_prefix}: {nation.iso3} at {base_name}, period {a['period']}"[:200],
                        "status": Status.PLANNED,
                        "label": label,
                        "location": base_name,
                        "lead_state": nation,
                        "source": "comity rotation planner",
                        "notes": (
                            f"Planned rotation, period {a['period']}: {a['aircraft']} aircraft"
                            f"{', lead nation of the base' if a.get('lead') else ''}. "
                            f"Plan status {output['status']}, objective {output.get('objective')}."
                        ),
                    },
                    participants=participants,
                    objectives=objectives,
                )
            except LookupError as exc:
                raise PlanSaveError(str(exc.args[0])) from exc
            report.created.append(record)
    return report


def _same(existing: Engagement, nation: State, user: User) -> bool:
    """The record under the key is this assignment, saved before, and the user may see it."""
    return (
        existing.kind == EngagementKind.POSTURE
        and Engagement.objects.visible_to(user).filter(pk=existing.pk).exists()
        and existing.lead_state_id == nation.pk
        and EngagementParticipant.objects.filter(engagement=existing, state=nation, role=ParticipantRole.LEAD).exists()
    )
