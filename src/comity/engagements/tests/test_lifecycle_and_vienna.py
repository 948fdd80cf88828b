"""The lifecycle state machine and the Vienna Document deadline rule."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from comity.core.models import AuditEntry
from comity.engagements import vienna
from comity.engagements.lifecycle import TransitionError, check_transition
from comity.engagements.services import engagement_transition
from comity.engagements.tests.helpers import make_exercise


def test_every_allowed_path_and_a_refusal_in_words() -> None:
    path = ["proposed", "planned", "approved", "ongoing", "completed", "assessed"]
    for current, target in itertools.pairwise(path):
        check_transition(current, target)
    with pytest.raises(TransitionError, match="an engagement that is proposed cannot become ongoing"):
        check_transition("proposed", "ongoing")
    with pytest.raises(TransitionError, match="it is final"):
        check_transition("cancelled", "planned")
    with pytest.raises(TransitionError, match="unknown status"):
        check_transition("planned", "done")


@pytest.mark.django_db
def test_transition_is_a_logged_service_call() -> None:
    exercise = make_exercise(status="proposed")
    engagement_transition(acting_user=None, engagement=exercise, to="planned")
    exercise.refresh_from_db()
    assert exercise.status == "planned"
    entry = AuditEntry.objects.filter(object_id=str(exercise.pk), action="update").latest("id")
    assert (entry.before["status"], entry.after["status"]) == ("proposed", "planned")
    with pytest.raises(TransitionError):
        engagement_transition(acting_user=None, engagement=exercise, to="assessed")
    exercise.refresh_from_db()
    assert exercise.status == "planned"


@pytest.mark.parametrize(
    ("troops", "tanks", "crossed"),
    [
        (8999, None, ()),
        (9000, None, ("troops",)),
        (100, 250, ("battle_tanks",)),
        (50000, 300, ("troops", "battle_tanks")),
    ],
)
def test_vienna_thresholds(troops: int, tanks: int | None, crossed: tuple[str, ...]) -> None:
    verdict = vienna.assess(start=date(2018, 10, 25), troops=troops, battle_tanks=tanks)
    assert verdict.crossed == crossed
    assert verdict.notification_due == (date(2018, 9, 13) if crossed else None)


def test_annual_exchange_due_date() -> None:
    assert vienna.annual_exchange_due(2024) == date(2024, 12, 15)
