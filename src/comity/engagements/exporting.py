"""Exports of what a user may see: CSV (the import columns, so it imports back, then the states'
names as of each record's date), JSON, Parquet, iCalendar. The rows come from ``visible_to`` like
every other read.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from django.db import models

from comity.core.access import PUBLIC_POLICY
from comity.core.banner import bound_marking
from comity.core.models import ConfidentialityLabel
from comity.engagements.choices import ParticipantRole
from comity.engagements.importing import file_columns
from comity.engagements.kinds import kind_fields, state_fields
from comity.engagements.models import Engagement
from comity.engagements.selectors import with_names_as_of
from comity.engagements.spans import covered

FORMATS = ("csv", "json", "parquet", "ics")


def _in_role(engagement: Engagement, role: str) -> list[Any]:
    """The record's participants in ``role``, by code: the order of both the codes and the names."""
    return sorted((p for p in engagement.participants.all() if p.role == role), key=lambda p: p.state.iso3)


def _codes(engagement: Engagement, role: str) -> str:
    return ";".join(p.state.iso3 for p in _in_role(engagement, role))


def _names(engagement: Engagement, role: str) -> str:
    return ";".join(p.name_as_of for p in _in_role(engagement, role))


def _day(engagement: Engagement, value: date | None) -> str:
    if value is None:
        return ""
    return value.strftime("%Y-%m") if engagement.date_precision == "month" else value.isoformat()


def _blank(value: object) -> object:
    return "" if value is None else value


def _kind_value(engagement: Engagement, name: str) -> object:
    """A kind field as its import column writes it: codes for states, keys for exercises."""
    value = getattr(engagement, name)
    if isinstance(value, models.Model):
        return getattr(value, "iso3", None) or getattr(value, "key", "")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return _blank(value)


def record(engagement: Engagement) -> dict[str, Any]:
    """One engagement as its kind's import/export columns, then the names of its states as they
    were called on its date (``selectors.with_names_as_of`` must have named them)."""
    row: dict[str, Any] = {
        "key": engagement.key,
        "title": engagement.title,
        "start_date": _day(engagement, engagement.start_date),
        "end_date": _day(engagement, engagement.end_date),
        "location": engagement.location,
        "latitude": _blank(engagement.latitude),
        "longitude": _blank(engagement.longitude),
        "lead": engagement.lead,
        "host": _codes(engagement, ParticipantRole.HOST),
        "participants": _codes(engagement, ParticipantRole.PARTICIPANT),
        "personnel": _blank(engagement.personnel),
        "status": engagement.status,
        "objectives": ";".join(sorted(o.code for o in engagement.objectives.all())),
        "label": engagement.label.marking,
        "source": engagement.source,
        "notes": engagement.notes,
    }
    row.update({name: _kind_value(engagement, name) for name in kind_fields(type(engagement))})
    names = engagement.names_as_of
    row.update(
        {
            "lead_name_as_of": names["lead"] or "",
            "host_names_as_of": _names(engagement, ParticipantRole.HOST),
            "participant_names_as_of": _names(engagement, ParticipantRole.PARTICIPANT),
        }
    )
    row.update({f"{name}_name_as_of": names[name] or "" for name in state_fields(type(engagement))})
    return {column: row.get(column, "") for column in file_columns(engagement.kind)}


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def to_parquet(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> bytes:
    """Parquet needs pyarrow (the ``events`` extra)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - the test install has pyarrow
        raise RuntimeError("Parquet export needs pyarrow: pip install 'comity[events]'") from exc
    text_rows = [{k: ("" if v is None else str(v)) for k, v in row.items()} for row in rows]
    table = pa.Table.from_pylist(text_rows, schema=pa.schema([(name, pa.string()) for name in columns]))
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def export_marking(engagements: Iterable[Engagement]) -> str:
    """The marking of an export: the least upper bound of its rows' labels, never lower than any
    of them (``X-Comity-Marking`` on the download, the calendar's name in iCalendar)."""
    return bound_marking(engagement.label for engagement in engagements)[0]


def _ics_class(label: ConfidentialityLabel) -> str:
    """RFC 5545 ``CLASS``: PUBLIC for a PUBLIC record, CONFIDENTIAL for any marked one, so that a
    calendar client that shares calendars withholds it."""
    return "PUBLIC" if label.policy.name == PUBLIC_POLICY else "CONFIDENTIAL"


def _ics_description(engagement: Engagement) -> str:
    """The record's marking first (for clients that show neither ``CLASS`` nor the marking
    property), its source, then who led and took part, named as on the record's date."""
    lines = [f"[{engagement.label.marking}] {engagement.source}"]
    if engagement.names_as_of["lead"]:
        lines.append(f"Lead: {engagement.names_as_of['lead']}")
    for role, heading in ((ParticipantRole.HOST, "Host"), (ParticipantRole.PARTICIPANT, "Participants")):
        names = _names(engagement, role)
        if names:
            lines.append(f"{heading}: {names.replace(';', '; ')}")
    return "\n".join(lines)


def to_ics(engagements: Iterable[Engagement]) -> bytes:
    """An iCalendar feed marked with its bound: the calendar's name and ``X-COMITY-MARKING`` carry
    it; each event carries its record's marking in ``X-COMITY-MARKING``, its ``CLASS`` and, for
    clients that show neither, the start of its description."""
    from icalendar import Calendar, Event

    items = with_names_as_of(engagements)
    marking = export_marking(items)
    calendar = Calendar()
    calendar.add("prodid", "-//comity//engagements//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"comity engagements ({marking})")
    calendar.add("x-comity-marking", marking)
    for engagement in items:
        span = covered(engagement)
        if span is None:
            continue
        first, last = span
        event = Event()
        event.add("uid", f"{engagement.key}@comity")
        event.add("summary", engagement.title)
        event.add("dtstart", first)
        # The length, not DTEND: the exclusive end after 9999-12-31 is a date Python cannot hold.
        # A month-precision record covers its whole months (DEFENDER-Europe 21 "2021-03" to
        # "2021-06" runs to 30 June), never an invented first-of-month end.
        event.add("duration", timedelta(days=(last - first).days + 1))
        event.add("location", engagement.location)
        event.add("description", _ics_description(engagement))
        event.add("class", _ics_class(engagement.label))
        event.add("x-comity-marking", engagement.label.marking)
        calendar.add_component(event)
    return calendar.to_ical()


def export(engagements: Iterable[Engagement], fmt: str, kind: str = "exercise") -> bytes:
    """Render the engagements of one kind in one of ``FORMATS``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "ics":
        return to_ics(engagements)
    items = with_names_as_of(engagements)
    rows, columns = [record(e) for e in items], file_columns(kind)
    if fmt == "csv":
        return to_csv(rows, columns).encode()
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False).encode()
    return to_parquet(rows, columns)
