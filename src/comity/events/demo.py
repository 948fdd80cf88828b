"""The events' demo step: ingest the shipped real event samples (see ``core.steps``)."""

from __future__ import annotations

from comity.core.labels import label_from_marking
from comity.data import PACKAGE_DATA

#: Real event samples the demo ingests: (file, format, label). The ICEWS sample is public data
#: filed under a NATO label here only so that demo users of different clearances see different
#: series; the others stay PUBLIC.
DEMO_EVENT_SAMPLES = (
    ("gdelt1_georgia_2012H1_dyadic.tsv", "gdelt1", "PUBLIC"),
    ("gdelt1_daily_export_sample_reed9999.tsv", "gdelt1", "PUBLIC"),
    ("gdelt2_export_20191024143000_first400.tsv", "gdelt2", "PUBLIC"),
    ("PLOVER_GSR_CAMEO.json", "plover", "PUBLIC"),
    ("icews_events_2018_sample_first600.tab", "icews", "NATO RESTRICTED REL TO NATO"),
)


def demo_events() -> str:
    """Ingest the shipped real event samples (idempotent: stored events are skipped)."""
    try:
        from comity.events.services import ingest_file
    except ImportError:
        return "event data not ingested: install comity[events]"

    accepted = 0
    for name, fmt, marking in DEMO_EVENT_SAMPLES:
        report = ingest_file(PACKAGE_DATA / "events" / "samples" / name, fmt, label_id=label_from_marking(marking).pk)
        accepted += report.accepted
    return f"event samples ingested: {accepted} new events"
