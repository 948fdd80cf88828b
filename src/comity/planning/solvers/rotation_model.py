"""Air-policing rotations: the input as frozen dataclasses, its validation, and the objective.

The objective lives here, not in a solver, so that CP-SAT and the greedy baseline are scored by
the same rule and the benchmark compares like with like.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from comity.planning.solvers.fields import MAX_INTEGER, Fields
from comity.planning.solvers.settings import SolverSettings, read_settings

# Objective weights (a cost to minimise). Fairness first: one rotation more for the busiest nation
# costs as much as ten extra rotations in total. Each rotation costs 10 so that no nation is sent
# when it is not needed; each step of preference regret (the offer's best preference minus the
# preference of the base it serves) costs 1, so preferences break ties between equally fair plans.
WEIGHT_MAX_LOAD = 100
WEIGHT_ROTATION = 10
WEIGHT_REGRET = 1


@dataclass(frozen=True)
class Base:
    id: str
    host: str
    min_aircraft: int
    lead_required: bool
    name: str

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class Offer:
    """One nation's offer; ``index`` is its position in ``offers`` so messages can point at it."""

    index: int
    nation: str
    periods: tuple[str, ...]
    bases: tuple[str, ...]
    aircraft: int
    max_rotations: int
    can_lead: bool
    preference: tuple[tuple[str, int], ...]

    def preference_for(self, base: str) -> int:
        return dict(self.preference).get(base, 0)

    def regret(self, base: str) -> int:
        """How far ``base`` falls short of the offer's favourite base."""
        best = max((value for _, value in self.preference), default=0)
        return best - self.preference_for(base)

    @property
    def label(self) -> str:
        return f"{self.nation}'s offer (offers[{self.index}])"


@dataclass(frozen=True)
class RotationProblem:
    periods: tuple[str, ...]
    bases: tuple[Base, ...]
    offers: tuple[Offer, ...]
    min_gap_periods_same_nation: int
    settings: SolverSettings

    def base(self, base_id: str) -> Base:
        return next(b for b in self.bases if b.id == base_id)

    @property
    def nations(self) -> tuple[str, ...]:
        return tuple(sorted({offer.nation for offer in self.offers}))


@dataclass(frozen=True)
class Assignment:
    period: str
    base: str
    offer: int
    nation: str
    aircraft: int
    lead: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "base": self.base,
            "nation": self.nation,
            "aircraft": self.aircraft,
            "lead": self.lead,
            "offer": self.offer,
        }


@dataclass(frozen=True)
class RotationScore:
    max_load: int
    rotations: int
    regret: int

    @property
    def value(self) -> int:
        return WEIGHT_MAX_LOAD * self.max_load + WEIGHT_ROTATION * self.rotations + WEIGHT_REGRET * self.regret

    def as_json(self) -> dict[str, int]:
        return {
            "max_rotations_per_nation": self.max_load,
            "rotations": self.rotations,
            "preference_regret": self.regret,
        }


def score(problem: RotationProblem, assignments: list[Assignment]) -> RotationScore:
    loads: dict[str, int] = {}
    for a in assignments:
        loads[a.nation] = loads.get(a.nation, 0) + 1
    return RotationScore(
        max_load=max(loads.values(), default=0),
        rotations=len(assignments),
        regret=sum(problem.offers[a.offer].regret(a.base) for a in assignments),
    )


def parse_rotations(data: Any) -> RotationProblem:
    """Validate raw JSON into a problem, or raise InputError listing every bad field."""
    fields = Fields()
    root = fields.obj(data, "input")
    periods = tuple(_periods(fields, root))
    bases = tuple(_base(fields, raw, f"bases[{i}]") for i, raw in enumerate(fields.items(root, "bases", "")))
    fields.unique([b.id for b in bases], "bases", "base id")
    known_bases = {b.id for b in bases}
    offers = tuple(
        _offer(fields, raw, i, set(periods), known_bases) for i, raw in enumerate(fields.items(root, "offers", ""))
    )
    rules = fields.obj(root.get("rules", {}), "rules")
    gap = fields.integer(rules, "min_gap_periods_same_nation", "rules", minimum=0, default=0)
    settings = read_settings(fields, root, default_time_limit_s=30.0)
    if not bases and "bases" not in fields.errors:
        fields.error("bases", "must list at least one base")
    fields.raise_if_any()
    return RotationProblem(periods, bases, offers, gap, settings)


def _periods(fields: Fields, root: dict[str, Any]) -> list[str]:
    periods = []
    for i, value in enumerate(fields.items(root, "periods", "")):
        if isinstance(value, str) and value.strip():
            periods.append(value.strip())
        else:
            fields.error(f"periods[{i}]", "must be a non-empty string")
    fields.unique(periods, "periods", "period")
    if not periods and "periods" not in fields.errors:
        fields.error("periods", "must list at least one period")
    return periods


def _base(fields: Fields, raw: Any, path: str) -> Base:
    data = fields.obj(raw, path)
    return Base(
        id=fields.text(data, "id", path),
        host=fields.text(data, "host", path),
        min_aircraft=fields.integer(data, "min_aircraft", path),
        lead_required=fields.boolean(data, "lead_required", path, default=False),
        name=data["name"] if isinstance(data.get("name"), str) else "",
    )


def _offer(fields: Fields, raw: Any, index: int, periods: set[str], bases: set[str]) -> Offer:
    path = f"offers[{index}]"
    data = fields.obj(raw, path)
    offer_periods = _members(fields, data, "periods", path, periods, "period")
    offer_bases = _members(fields, data, "bases", path, bases, "base")
    raw_pref = fields.obj(data.get("preference", {}), f"{path}.preference")
    preference = []
    for base, value in sorted(raw_pref.items()):
        if base not in offer_bases:
            fields.error(f"{path}.preference.{base}", "is not one of the offer's bases")
        elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
            fields.error(f"{path}.preference.{base}", "must be a non-negative integer")
        elif value > MAX_INTEGER:
            fields.error(f"{path}.preference.{base}", f"must be at most {MAX_INTEGER}")
        else:
            preference.append((base, value))
    return Offer(
        index=index,
        nation=fields.text(data, "nation", path),
        periods=offer_periods,
        bases=offer_bases,
        aircraft=fields.integer(data, "aircraft", path),
        max_rotations=fields.integer(data, "max_rotations", path, default=max(1, len(offer_periods))),
        can_lead=fields.boolean(data, "can_lead", path, default=False),
        preference=tuple(preference),
    )


def _members(fields: Fields, data: dict[str, Any], key: str, path: str, known: set[str], what: str) -> tuple[str, ...]:
    values = []
    raw = fields.items(data, key, path)
    for i, value in enumerate(raw):
        if not isinstance(value, str) or value not in known:
            fields.error(f"{path}.{key}[{i}]", f"must be one of the listed {what}s")
        elif value not in values:
            values.append(value)
    if not raw and f"{path}.{key}" not in fields.errors:
        fields.error(f"{path}.{key}", f"must list at least one {what}")
    return tuple(values)
