"""Writes of objectives and their indicators: the tree that engagements serve and AM&E measures.

The tree: the four strategic goals ship with comity (``services.ROOT_GOALS``, PUBLIC, owned by
no one, so they change only with a release); under them, lines of effort; under those,
objectives (and objectives under objectives), each perhaps about one nation or partner
(``state``) or a region. Every node is a shareable record like any other: owned by the scope of
its writer, labelled, changed only by an editor of its owner (``core.authority``), with its
change-log entry in the same transaction. An indicator shares its objective's label and owner.

The rules, whichever path asks:

* a parent is an objective the writer may see (a hidden one answers exactly as a missing one);
  a line of effort sits under a strategic goal, an objective under a line of effort or an
  objective, and a goal under nothing; no node sits under itself or its own descendants;
* a taken code answers the same words whether or not the writer may see the objective holding it;
* the label is one the writer may read;
* numbers are finite and within ``MAX_MAGNITUDE``, so every database stores them alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from comity.core.audit import audit_create, audit_update, snapshot
from comity.core.authority import WriteAction
from comity.core.permissions import default_owner, require_write
from comity.core.selectors import access_or_404, may_see_label
from comity.engagements.choices import ObjectiveLevel
from comity.engagements.models import Indicator, Objective

if TYPE_CHECKING:
    from comity.core.models import ConfidentialityLabel, User
    from comity.registry.models import State

#: The largest magnitude of a baseline, target or measured value: far beyond any indicator
#: (budgets in euros included), and exact in every database's double.
MAX_MAGNITUDE = 1e15

#: The answer to a code that is taken, whether by an objective the writer may see or not.
CODE_TAKEN = "code {code!r} is not available; choose another code"

#: Which level may sit under which (None: at the top).
PARENT_LEVELS: dict[str, tuple[str | None, ...]] = {
    ObjectiveLevel.GOAL: (None,),
    ObjectiveLevel.LINE_OF_EFFORT: (ObjectiveLevel.GOAL,),
    ObjectiveLevel.OBJECTIVE: (ObjectiveLevel.LINE_OF_EFFORT, ObjectiveLevel.OBJECTIVE),
}


class ObjectiveError(ValueError):
    """An objective or indicator that may not be written as asked; ``field`` names the value at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_number(field: str, value: float | None) -> float | None:
    """A finite number within ``MAX_MAGNITUDE`` (or None): what every path stores."""
    if value is None:
        return None
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        raise ObjectiveError(field, f"give a finite number no larger than {MAX_MAGNITUDE:g} in magnitude")
    return float(value)


def _check_label(acting_user: User | None, label: ConfidentialityLabel) -> None:
    if acting_user is not None and not may_see_label(acting_user, label):
        raise ObjectiveError("label", "you may not give an objective a label above what you may see")


def _check_text(field: str, text: str, limit: int) -> str:
    text = text.strip()
    if not text:
        raise ObjectiveError(field, f"write the {field}")
    if len(text) > limit:
        raise ObjectiveError(field, f"the {field} is longer than {limit} characters")
    return text


def _check_place(level: str, parent: Objective | None, record: Objective | None = None) -> None:
    if level not in PARENT_LEVELS:
        raise ObjectiveError("level", f"{level!r} is not a level of the objectives tree")
    allowed = PARENT_LEVELS[level]
    if (parent.level if parent else None) not in allowed:
        names = ", ".join(ObjectiveLevel(a).label.lower() if a else "nothing" for a in allowed)
        raise ObjectiveError("parent", f"a {ObjectiveLevel(level).label.lower()} sits under {names}")
    node = parent
    while record is not None and node is not None:
        if node.pk == record.pk:
            raise ObjectiveError("parent", "an objective cannot sit under itself or one of its own objectives")
        node = node.parent


@dataclass(frozen=True)
class ObjectiveInput:
    """What a writer gives for an objective (the parent as a record the caller fetched)."""

    title: str
    level: str = ObjectiveLevel.OBJECTIVE
    description: str = ""
    parent: Objective | None = None
    state: State | None = None
    region: str = ""


def _visible_parent(acting_user: User | None, parent: Objective | None) -> Objective | None:
    if parent is None or acting_user is None:
        return parent
    return access_or_404(Objective.objects.select_related("parent"), acting_user, pk=parent.pk)


@transaction.atomic
def objective_create(
    *,
    acting_user: User | None,
    code: str,
    values: ObjectiveInput,
    label: ConfidentialityLabel,
    owner: str = "",
) -> Objective:
    """Create a node of the objectives tree, owned by ``owner`` (default: the writer's scope).

    Raises ``WriteDenied`` (403) when the writer is no editor of the owner, ``Http404`` for a
    parent they may not see, ``ObjectiveError`` (400) for anything else. ``acting_user`` None is
    the system (the demo step): no write rule, the other checks hold.
    """
    if acting_user is not None:
        owner = owner or default_owner(acting_user)
        require_write(acting_user, WriteAction.CREATE, None, owner)
    _check_label(acting_user, label)
    parent = _visible_parent(acting_user, values.parent)
    _check_place(values.level, parent)
    if not code or Objective.objects.filter(code=code).exists():
        raise ObjectiveError("code", CODE_TAKEN.format(code=code))
    objective = Objective.objects.create(
        code=code,
        title=_check_text("title", values.title, 200),
        description=values.description.strip(),
        level=values.level,
        parent=parent,
        state=values.state,
        region=values.region.strip()[:64],
        label=label,
        owner=owner,
    )
    audit_create(objective, acting_user=acting_user)
    return objective


@transaction.atomic
def objective_update(
    *,
    acting_user: User,
    objective: Objective,
    values: ObjectiveInput,
    label: ConfidentialityLabel | None = None,
) -> Objective:
    """Change a node the writer may see; ``label`` None keeps its label. The level stays."""
    record = access_or_404(Objective.objects.select_for_update(of=("self",)), acting_user, pk=objective.pk)
    require_write(acting_user, WriteAction.CHANGE, record, record.owner)
    if label is not None:
        _check_label(acting_user, label)
    parent = _visible_parent(acting_user, values.parent)
    _check_place(record.level, parent, record)
    before = snapshot(record)
    record.title = _check_text("title", values.title, 200)
    record.description = values.description.strip()
    record.parent = parent
    record.state = values.state
    record.region = values.region.strip()[:64]
    if label is not None:
        record.label = label
    record.save()
    audit_update(record, before, acting_user=acting_user)
    return record


@dataclass(frozen=True)
class IndicatorInput:
    """What a writer gives for an indicator."""

    name: str
    unit: str = ""
    baseline: float | None = None
    target: float | None = None
    due: date | None = None


def _indicator_fields(values: IndicatorInput) -> dict[str, object]:
    return {
        "name": _check_text("name", values.name, 200),
        "unit": values.unit.strip()[:32],
        "baseline": check_number("baseline", values.baseline),
        "target": check_number("target", values.target),
        "due": values.due,
    }


@transaction.atomic
def indicator_create(*, acting_user: User | None, objective: Objective, values: IndicatorInput) -> Indicator:
    """Add an indicator to an objective the writer may see, as an editor of its owner."""
    if acting_user is None:
        record = Objective.objects.get(pk=objective.pk)
    else:
        record = access_or_404(Objective.objects.all(), acting_user, pk=objective.pk)
        require_write(acting_user, WriteAction.CREATE, None, record.owner)
    indicator = Indicator.objects.create(objective=record, **_indicator_fields(values))
    audit_create(indicator, acting_user=acting_user)
    return indicator


@transaction.atomic
def indicator_update(*, acting_user: User, indicator: Indicator, values: IndicatorInput) -> Indicator:
    """Change an indicator of an objective the writer may see, as an editor of its owner."""
    objective = access_or_404(Objective.objects.all(), acting_user, pk=indicator.objective_id)
    require_write(acting_user, WriteAction.CHANGE, objective, objective.owner)
    record = Indicator.objects.select_for_update().get(pk=indicator.pk)
    before = snapshot(record)
    for name, value in _indicator_fields(values).items():
        setattr(record, name, value)
    record.save()
    audit_update(record, before, acting_user=acting_user)
    return record
