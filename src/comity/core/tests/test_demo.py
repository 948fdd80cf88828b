"""The demo: users of different nations and clearances see different records and event data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from comity.assessment.objective_selectors import measurements_visible
from comity.comms.selectors import messages_visible_to
from comity.core.models import User
from comity.core.steps import demo_steps_run
from comity.engagements.models import Engagement
from comity.events.selectors import store_summary
from comity.registry.models import CountryNote

pytestmark = pytest.mark.django_db


def test_demo_users_see_different_things_and_reruns_change_nothing(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    first, measured, comms = demo_steps_run()
    assert first.startswith("event samples ingested: ") and first != "event samples ingested: 0 new events"
    assert measured == "assessment: 13 demo measurements"  # 11 computed from NATO's tables, 2 illustrative
    assert comms.startswith("Comms: a demo conversation between analyst.nld and attache.fin")
    assert demo_steps_run() == ["event samples ingested: 0 new events", measured]
    analyst, attache, guest = (User.objects.get(username=n) for n in ("analyst.nld", "attache.fin", "guest"))

    def notes(user: User) -> set[str]:
        return set(CountryNote.objects.visible_to(user).values_list("title", flat=True))

    def demo_engagements(user: User) -> set[str]:
        return set(Engagement.objects.visible_to(user).filter(key__startswith="demo-").values_list("key", flat=True))

    assert notes(guest) < notes(analyst) and notes(attache) != notes(analyst)
    assert demo_engagements(guest) == set()
    assert demo_engagements(attache) == {"demo-restricted-staff-exercise", "demo-nordic-table-top"}
    assert "demo-secret-planning-conference" in demo_engagements(analyst)
    staff = User.objects.get(username="staff.nato")
    illustrative = [
        measurements_visible(u).filter(indicator__objective__code="demo-nld-procedures").count()
        for u in (analyst, staff, attache)
    ]
    assert illustrative == [2, 1, 0]  # their evidence: NATO SECRET REL TO NLD, NATO CONFIDENTIAL REL TO NATO
    assert sum(r["events"] for r in store_summary(analyst)) > sum(r["events"] for r in store_summary(guest)) > 0
    # Comms: the conversation is the analyst's and the attaché's; the Ukrainian officer sees none of it.
    officer = User.objects.get(username="officer.ukr")
    assert messages_visible_to(analyst).count() == messages_visible_to(attache).count() == 2
    assert not messages_visible_to(officer).exists() and not messages_visible_to(guest).exists()
