"""Small builders for engagement tests (test inputs, not shipped records)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.test import Client

from comity.core.testing.factories import make_user
from comity.engagements.importing import ParsedFile, check_row
from comity.engagements.models import Exercise
from comity.engagements.services import exercises_import


def make_exercise(key: str = "test-exercise", owner: str | None = None, **fields: Any) -> Exercise:
    """Import one exercise row as the system and return it (owned by ``owner`` when given)."""
    row = {"key": key, "title": fields.pop("title", key), **{k: str(v) for k, v in fields.items()}}
    report = exercises_import(acting_user=None, parsed=ParsedFile(rows=[check_row(1, row, date(2026, 1, 1))]))
    assert not report.rejects, report.rejects
    if owner is not None:
        Exercise.objects.filter(key=key).update(owner=owner)
    return Exercise.objects.get(key=key)


#: Each kind's own fields for a new record through the API (kinds beyond exercises).
KIND_EXAMPLES = {
    "agreements": {"agreement_type": "sofa", "agreement_status": "in_force", "signed_on": "2031-01-10"},
    "training": {"provider": "Test provider", "course": "Test course", "seats": 12},
    "meetings": {"level": "defence_ministers", "decisions": "Test decisions."},
    "attaches": {
        "sending_state": "NLD",
        "host_state": "GEO",
        "service": "army",
        "resident": False,
        "embassy_state": "TUR",
    },
    "measures": {"measure": "observation", "due_date": "2031-03-01"},
}
#: The API prefix of each kind -> its code in the page URLs (``engagements:record-create``).
PAGE_KINDS = {
    "exercises": "exercise",
    "agreements": "agreement",
    "training": "training",
    "meetings": "meeting",
    "attaches": "attache",
    "measures": "cbm",
}
#: The same for every kind the API writes.
EXAMPLES = {**KIND_EXAMPLES, "exercises": {"series": "Test series", "domain": "land", "battle_tanks": 40}}


def logged_in(nation: str, username: str, clearance: str = "SECRET", roles: tuple[str, ...] = ("editor",)) -> Client:
    """A test client signed in as a new user of ``nation`` holding ``clearance`` and ``roles``
    (by default an editor for their nation)."""
    client = Client()
    client.force_login(make_user(nation, clearance, username=username, roles=roles))
    return client


def create(client: Client, prefix: str, key: str, label: str = "NATO RESTRICTED REL TO NATO", **extra: object):  # type: ignore[no-untyped-def]
    body = {
        "key": key,
        "title": f"Test {prefix}",
        "start_date": "2031-02-01",
        "end_date": "2031-12-31",
        "label": label,
        "lead": "NLD",
        "participant_input": [{"iso3": "GEO", "role": "host", "personnel": 3}],
        "objectives": ["partnerships"],
        **EXAMPLES[prefix],
        **extra,
    }
    return client.post(f"/api/engagements/{prefix}/", body, content_type="application/json")
