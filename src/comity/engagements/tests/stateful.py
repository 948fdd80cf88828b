"""What the engagement state machines share: a world rolled back after each run, a small label
lattice the machines model by hand, and the database state a refused write must leave alone.

The labels are chosen so that their least upper bounds stay inside the set (a NATO chain, and
the same levels released to Finland only), so a machine can say in two lines which label covers
which and who reads what, without asking the code it tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine

from comity.core.labels import label_from_marking
from comity.core.models import AuditEntry, ConfidentialityLabel, User
from comity.core.testing.factories import make_user
from comity.core.testing.scale import scaled
from comity.engagements.lifecycle import TransitionError


@dataclass(frozen=True)
class Level:
    """A label as the machines model it: a rank (PUBLIC 0 .. NATO SECRET 3) and whether it is
    released to Finland only."""

    marking: str
    rank: int
    fin_only: bool = False

    def covers(self, other: Level) -> bool:
        """Whether every reader of this label reads ``other`` (a report must cover its engagement)."""
        return self.rank >= other.rank and (self.fin_only or not other.fin_only)

    def join(self, other: Level) -> Level:
        """The least upper bound, which the set below holds for every pair."""
        rank, fin_only = max(self.rank, other.rank), self.fin_only or other.fin_only
        return next(level for level in LEVELS.values() if (level.rank, level.fin_only) == (rank, fin_only))


LEVELS = {
    level.marking: level
    for level in (
        Level("PUBLIC", 0),
        Level("NATO RESTRICTED", 1),
        Level("NATO CONFIDENTIAL", 2),
        Level("NATO SECRET", 3),
        Level("NATO RESTRICTED REL TO FIN", 1, fin_only=True),
        Level("NATO CONFIDENTIAL REL TO FIN", 2, fin_only=True),
        Level("NATO SECRET REL TO FIN", 3, fin_only=True),
    )
}

#: What a step should raise, or None when the model allows it.
Refusal = type[Exception] | None

CLEARANCE_RANK = {None: 0, "RESTRICTED": 1, "CONFIDENTIAL": 2, "SECRET": 3}


@dataclass(frozen=True)
class Person:
    """A user as the machines model them: nation, clearance and (role, scope) pairs."""

    nation: str
    clearance: str | None
    roles: tuple[str, ...]

    def reads(self, level: Level) -> bool:
        return CLEARANCE_RANK[self.clearance] >= level.rank and (not level.fin_only or self.nation == "FIN")

    def holds(self, role: str, scope: str) -> bool:
        """Roles are written as ``make_user`` takes them: ``editor`` (in the nation) or ``role:SCOPE``."""
        held = {(name, scope_ or self.nation) for name, _, scope_ in (r.partition(":") for r in self.roles)}
        return (role, scope) in held


#: Each machine draws examples within this; ``scaled`` multiplies them for ``make verify``.
def machine_settings(examples: int, steps: int) -> settings:
    return settings(
        max_examples=scaled(examples),
        stateful_step_count=steps,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


#: Three in four, drawn from a list rather than ``st.integers``, which hypothesis biases towards 0.
STEERED = (True, True, True, False)


def steered(data: Any) -> bool:
    """Three times in four: whether a rule takes the choice that gets a run further (an actor
    the model lets act, a record the step applies to) rather than any choice at all."""
    return bool(data.draw(st.sampled_from(STEERED)))


class RolledBackMachine(RuleBasedStateMachine):
    """A machine whose world (users, labels, records) lives in a savepoint rolled back at teardown,
    so every run starts from the reference data alone."""

    PEOPLE: dict[str, Person] = {}

    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.users: dict[str, User] = {
            name: make_user(p.nation, p.clearance, username=f"sm-{name}", roles=p.roles)
            for name, p in self.PEOPLE.items()
        }
        self.labels: dict[str, ConfidentialityLabel] = {marking: label_from_marking(marking) for marking in LEVELS}
        self._levels = {label.pk: LEVELS[marking] for marking, label in self.labels.items()}
        self.audit_seen = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.changed = False  # whether a write was allowed since ``changed`` was last cleared

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def actor(self, data: Any, refusal: Callable[[str], Refusal]) -> tuple[str, Refusal]:
        """Who acts, and what the model says they should hear. Mostly (``steered``) an outcome is
        chosen first, each as likely as the others, then someone who meets it, so that the rare
        ones (the one person allowed, the one refused by the rule under test) are tried as often
        as the common ones; otherwise anyone."""
        names = sorted(self.PEOPLE)
        outcomes: dict[str, list[str]] = {}
        for name in names:
            outcome = refusal(name)
            outcomes.setdefault("allowed" if outcome is None else outcome.__name__, []).append(name)
        if steered(data):
            names = outcomes[data.draw(st.sampled_from(sorted(outcomes)))]
        who = data.draw(st.sampled_from(names))
        return who, refusal(who)

    def state(self) -> list[list[Any]]:
        """The rows of this machine's records (``database_state`` of them)."""
        raise NotImplementedError

    def attempt(self, step: str, refusal: Refusal, write: Callable[[], object], *, table: Refusal = None) -> bool:
        """Run ``write``, True when the model allows it. A refusal must raise its error (``table``
        where a door words the lifecycle table's ``TransitionError`` as another) and leave the
        database and the change log as they were."""
        event(f"{step}: {'allowed' if refusal is None else refusal.__name__}")
        if refusal is None:
            write()
            self.changed = True
            return True
        before = self.state()
        with pytest.raises(table if table is not None and refusal is TransitionError else refusal):
            write()
        assert self.state() == before
        assert self.new_entries() == []
        return False

    def expect_entries(self, *expected: tuple[str, int, str]) -> None:
        """The change log gained exactly these entries, oldest first: (action, object pk, actor)."""
        got = [(entry.action, int(entry.object_id), entry.username) for entry in self.new_entries()]
        assert got == [(action, pk, f"sm-{who}") for action, pk, who in expected]

    def new_entries(self) -> list[AuditEntry]:
        """The change-log entries written since the last call, oldest first."""
        entries = list(AuditEntry.objects.filter(pk__gt=self.audit_seen).order_by("pk"))
        if entries:
            self.audit_seen = entries[-1].pk
        return entries

    def level_of(self, label_id: int) -> Level:
        """The modelled level of a stored label; a label outside ``LEVELS`` is a ``KeyError``, since
        every bound of two of them is one of them."""
        return self._levels[label_id]


def database_state(*querysets: Any) -> list[list[Any]]:
    """The rows a refused write must leave as they were (and the number of labels it may not add)."""
    return [[tuple(row) for row in queryset] for queryset in querysets] + [[ConfidentialityLabel.objects.count()]]
