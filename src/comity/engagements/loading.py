"""Loading the shipped, sourced engagement records (``comity setup``)."""

from __future__ import annotations

from django.utils import timezone

from comity.data import PACKAGE_DATA
from comity.engagements.importing import parse_file
from comity.engagements.posture import posture_load
from comity.engagements.services import ImportReport, exercises_import, objectives_seed

ENGAGEMENTS_DIR = PACKAGE_DATA / "engagements"


def engagements_load() -> ImportReport:
    """Seed the root objectives, import the shipped exercises and posture records (idempotent)."""
    objectives_seed(acting_user=None)
    report = exercises_import(
        acting_user=None, parsed=parse_file(ENGAGEMENTS_DIR / "exercises.csv", timezone.localdate())
    )
    posture = posture_load(ENGAGEMENTS_DIR)
    report.imported += posture.imported
    report.updated += posture.updated
    report.unchanged += posture.unchanged
    report.rejects += posture.rejects
    return report
