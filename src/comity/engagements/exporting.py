"""Exports of what a user may see: CSV (the import columns, so it imports back), JSON, Parquet,
iCalendar. The rows come from ``visible_to`` like every other read.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from comity.engagements.choices import ParticipantRole
from comity.engagements.importing import EXERCISE_COLUMNS
from comity.engagements.models import Exercise

FORMATS = ("csv", "json", "parquet", "ics")


def _codes(exercise: Exercise, role: str) -> str:
    return ";".join(sorted(p.state.iso3 for p in exercise.participants.all() if p.role == role))


def _day(exercise: Exercise, value: date | None) -> str:
    if value is None:
        return ""
    return value.strftime("%Y-%m") if exercise.date_precision == "month" else value.isoformat()


def exercise_record(exercise: Exercise) -> dict[str, Any]:
    """One exercise as export/import columns."""
    return {
        "key": exercise.key,
        "title": exercise.title,
        "series": exercise.series,
        "start_date": _day(exercise, exercise.start_date),
        "end_date": _day(exercise, exercise.end_date),
        "location": exercise.location,
        "latitude": "" if exercise.latitude is None else exercise.latitude,
        "longitude": "" if exercise.longitude is None else exercise.longitude,
        "lead": exercise.lead,
        "host": _codes(exercise, ParticipantRole.HOST),
        "participants": _codes(exercise, ParticipantRole.PARTICIPANT),
        "domain": exercise.domain,
        "scenario": exercise.scenario,
        "personnel": "" if exercise.personnel is None else exercise.personnel,
        "battle_tanks": "" if exercise.battle_tanks is None else exercise.battle_tanks,
        "armoured_combat_vehicles": ""
        if exercise.armoured_combat_vehicles is None
        else exercise.armoured_combat_vehicles,
        "artillery_pieces": "" if exercise.artillery_pieces is None else exercise.artillery_pieces,
        "status": exercise.status,
        "objectives": ";".join(sorted(o.code for o in exercise.objectives.all())),
        "label": exercise.label.marking,
        "source": exercise.source,
        "notes": exercise.notes,
    }


def to_csv(exercises: Iterable[Exercise]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(EXERCISE_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(exercise_record(e) for e in exercises)
    return buffer.getvalue()


def to_json(exercises: Iterable[Exercise]) -> str:
    return json.dumps([exercise_record(e) for e in exercises], indent=2, ensure_ascii=False)


def to_parquet(exercises: Iterable[Exercise]) -> bytes:
    """Parquet needs pyarrow (the ``events`` extra)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - the test install has pyarrow
        raise RuntimeError("Parquet export needs pyarrow: pip install 'comity[events]'") from exc
    records = [{k: ("" if v is None else str(v)) for k, v in exercise_record(e).items()} for e in exercises]
    table = pa.Table.from_pylist(records, schema=pa.schema([(name, pa.string()) for name in EXERCISE_COLUMNS]))
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def to_ics(exercises: Iterable[Exercise]) -> bytes:
    """An iCalendar feed; each event carries the record's label in its description."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//comity//engagements//EN")
    calendar.add("version", "2.0")
    for exercise in exercises:
        if exercise.start_date is None:
            continue
        event = Event()
        event.add("uid", f"{exercise.key}@comity")
        event.add("summary", exercise.title)
        event.add("dtstart", exercise.start_date)
        event.add("dtend", (exercise.end_date or exercise.start_date) + timedelta(days=1))
        event.add("location", exercise.location)
        event.add("description", f"[{exercise.label.marking}] {exercise.source}")
        calendar.add_component(event)
    return calendar.to_ical()


def export(exercises: Iterable[Exercise], fmt: str) -> bytes:
    """Render in one of ``FORMATS``."""
    if fmt == "csv":
        return to_csv(exercises).encode()
    if fmt == "json":
        return to_json(exercises).encode()
    if fmt == "parquet":
        return to_parquet(exercises)
    if fmt == "ics":
        return to_ics(exercises)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
