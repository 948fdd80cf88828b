"""Small builders for engagement tests (test inputs, not shipped records)."""

from __future__ import annotations

from datetime import date
from typing import Any

from comity.engagements.importing import ParsedFile, check_row
from comity.engagements.models import Exercise
from comity.engagements.services import exercises_import


def make_exercise(key: str = "test-exercise", **fields: Any) -> Exercise:
    """Import one exercise row as the system and return it."""
    row = {"key": key, "title": fields.pop("title", key), **{k: str(v) for k, v in fields.items()}}
    report = exercises_import(acting_user=None, parsed=ParsedFile(rows=[check_row(1, row, date(2026, 1, 1))]))
    assert not report.rejects, report.rejects
    return Exercise.objects.get(key=key)
