"""Loading the shipped, sourced engagement records (``comity setup``)."""

from __future__ import annotations

from django.utils import timezone

from comity.data import PACKAGE_DATA
from comity.engagements.importing import parse_file
from comity.engagements.services import ImportReport, exercises_import, objectives_seed

ENGAGEMENTS_DIR = PACKAGE_DATA / "engagements"


def engagements_load() -> ImportReport:
    """Seed the root objectives and import the shipped exercises as the system (idempotent)."""
    objectives_seed(acting_user=None)
    path = ENGAGEMENTS_DIR / "exercises.csv"
    if not path.exists():
        return ImportReport()
    return exercises_import(acting_user=None, parsed=parse_file(path, timezone.localdate()))
