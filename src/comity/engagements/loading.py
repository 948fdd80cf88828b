"""Loading the shipped, sourced engagement records (``comity setup``)."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date
from pathlib import Path

from django.utils import timezone

from comity.data import PACKAGE_DATA
from comity.engagements.calendar_status import status_from_dates
from comity.engagements.importing import ParsedFile, parse_file
from comity.engagements.posture import posture_load
from comity.engagements.services import ImportReport, exercises_import, objectives_seed

ENGAGEMENTS_DIR = PACKAGE_DATA / "engagements"


def _stated_statuses(path: Path) -> set[str]:
    """Keys of the rows whose ``status`` a source states (the rest take theirs from the calendar)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["key"].strip() for row in csv.DictReader(handle) if (row.get("status") or "").strip()}


def shipped_exercises(path: Path, today: date) -> ParsedFile:
    """The shipped exercises, each with the status its dates give it unless its row states one."""
    parsed, stated = parse_file(path, today), _stated_statuses(path)
    parsed.rows = [
        row
        if row.key in stated
        else replace(
            row,
            status=status_from_dates(
                start=row.start_date, end=row.end_date, precision=row.date_precision, today=today, bounded=True
            )
            or row.status,
        )
        for row in parsed.rows
    ]
    return parsed


def engagements_load() -> ImportReport:
    """Seed the root objectives, import the shipped exercises and posture records (idempotent)."""
    objectives_seed(acting_user=None)
    report = exercises_import(
        acting_user=None, parsed=shipped_exercises(ENGAGEMENTS_DIR / "exercises.csv", timezone.localdate())
    )
    posture = posture_load(ENGAGEMENTS_DIR)
    report.imported += posture.imported
    report.updated += posture.updated
    report.unchanged += posture.unchanged
    report.rejects += posture.rejects
    return report
