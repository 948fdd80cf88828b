"""Reading engagement import files (CSV or JSON) into checked rows, without touching the database.

A row that fails a check becomes a ``Reject`` with its line and reason; the good rows go on. The
columns are documented in docs/engagements.md and are the same ones the CSV export writes, so
an export imports back unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from comity.engagements.choices import Domain, Scenario, Status

#: Import/export columns for exercises, in order. ``host`` and ``participants`` hold ISO alpha-3
#: codes separated by ``;``; ``objectives`` holds objective codes separated by ``;``.
EXERCISE_COLUMNS = (
    "key",
    "title",
    "series",
    "start_date",
    "end_date",
    "location",
    "latitude",
    "longitude",
    "lead",
    "host",
    "participants",
    "domain",
    "scenario",
    "personnel",
    "battle_tanks",
    "armoured_combat_vehicles",
    "artillery_pieces",
    "status",
    "objectives",
    "label",
    "source",
    "notes",
)
REQUIRED = ("key", "title")
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


class ImportFileError(ValueError):
    """A file that cannot be read at all (not CSV/JSON, no header, unknown columns)."""


@dataclass(frozen=True)
class Reject:
    line: int
    reason: str


@dataclass(frozen=True)
class ExerciseRow:
    """One checked import row; codes are still codes (the service resolves them)."""

    line: int
    key: str
    title: str
    series: str
    start_date: date | None
    end_date: date | None
    date_precision: str
    location: str
    latitude: float | None
    longitude: float | None
    leads: tuple[str, ...]
    hosts: tuple[str, ...]
    participants: tuple[str, ...]
    domain: str
    scenario: str
    personnel: int | None
    battle_tanks: int | None
    armoured_combat_vehicles: int | None
    artillery_pieces: int | None
    status: str
    objectives: tuple[str, ...]
    label: str
    source: str
    notes: str
    #: A kind's own fields (agreements, training, ...), checked but with codes still codes.
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ParsedFile:
    rows: list[ExerciseRow] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


class RowError(ValueError):
    pass


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, list):
        return ";".join(str(v) for v in raw)
    return str(raw).strip()


def parse_date(raw: str, name: str) -> tuple[date | None, str]:
    """A date and its precision: ``YYYY-MM-DD`` (day) or ``YYYY-MM`` (month, held as the 1st)."""
    if not raw:
        return None, "day"
    try:
        if re.fullmatch(r"\d{4}-\d{2}", raw):
            return date.fromisoformat(f"{raw}-01"), "month"
        return date.fromisoformat(raw), "day"
    except ValueError:
        raise RowError(f"{name} {raw!r} is not a date (YYYY-MM-DD or YYYY-MM)") from None


def _int(raw: str, name: str) -> int | None:
    if not raw:
        return None
    if not raw.isdigit():
        raise RowError(f"{name} {raw!r} is not a whole number")
    return int(raw)


def _float(raw: str, name: str, low: float, high: float) -> float | None:
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise RowError(f"{name} {raw!r} is not a number") from None
    if not low <= value <= high:
        raise RowError(f"{name} {value} is outside {low}..{high}")
    return value


def parse_codes(raw: str, name: str) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(c.strip().upper() for c in raw.split(";") if c.strip()))
    bad = [c for c in codes if not re.fullmatch(r"[A-Z]{3}", c)]
    if bad:
        raise RowError(f"{name} has codes that are not ISO alpha-3: {', '.join(bad)}")
    return codes


def _choice(raw: str, name: str, allowed: list[str]) -> str:
    value = raw.lower()
    if value and value not in allowed:
        raise RowError(f"{name} {raw!r} is not one of {', '.join(allowed)}")
    return value


def check_row(line: int, raw: dict[str, Any], today: date) -> ExerciseRow:
    """Check one row's fields; raise ``RowError`` with the first problem."""
    values = {name: _text(raw.get(name)) for name in EXERCISE_COLUMNS}
    for name in REQUIRED:
        if not values[name]:
            raise RowError(f"{name} is empty")
    if not _KEY.match(values["key"]):
        raise RowError(f"key {values['key']!r} must be lower-case letters, digits and hyphens")
    (start, start_precision), (end, end_precision) = (
        parse_date(values["start_date"], "start_date"),
        parse_date(values["end_date"], "end_date"),
    )
    precision = "month" if "month" in (start_precision, end_precision) else "day"
    if start and end and end < start:
        raise RowError(f"end_date {end} is before start_date {start}")
    status = _choice(values["status"], "status", Status.values) or (
        Status.COMPLETED if end and end < today else Status.PLANNED
    )
    return ExerciseRow(
        line=line,
        key=values["key"],
        title=values["title"],
        series=values["series"],
        start_date=start,
        end_date=end,
        date_precision=precision,
        location=values["location"],
        latitude=_float(values["latitude"], "latitude", -90, 90),
        longitude=_float(values["longitude"], "longitude", -180, 180),
        leads=tuple(code.strip().upper() for code in values["lead"].split(";") if code.strip()),
        hosts=parse_codes(values["host"], "host"),
        participants=parse_codes(values["participants"], "participants"),
        domain=_choice(values["domain"], "domain", Domain.values),
        scenario=_choice(values["scenario"], "scenario", Scenario.values),
        personnel=_int(values["personnel"], "personnel"),
        battle_tanks=_int(values["battle_tanks"], "battle_tanks"),
        armoured_combat_vehicles=_int(values["armoured_combat_vehicles"], "armoured_combat_vehicles"),
        artillery_pieces=_int(values["artillery_pieces"], "artillery_pieces"),
        status=status,
        objectives=tuple(c.strip() for c in values["objectives"].split(";") if c.strip()),
        label=values["label"] or "PUBLIC",
        source=values["source"],
        notes=values["notes"],
    )


#: Columns every kind shares; a kind adds its own model fields (see ``columns_for``).
COMMON_COLUMNS = (
    "key",
    "title",
    "start_date",
    "end_date",
    "location",
    "latitude",
    "longitude",
    "lead",
    "host",
    "participants",
    "personnel",
    "status",
    "objectives",
    "label",
    "source",
    "notes",
)


def columns_for(kind: str) -> tuple[str, ...]:
    """The import/export columns of a kind: exercises keep their documented contract."""
    from comity.engagements.kinds import KIND_MODELS, kind_fields

    if kind == "exercise":
        return EXERCISE_COLUMNS
    return (*COMMON_COLUMNS, *kind_fields(KIND_MODELS[kind]))


def check_kind_fields(kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Check a kind's own columns by their model field: choices, dates, numbers, yes/no, codes."""
    from django.db import models

    from comity.engagements.kinds import KIND_MODELS, kind_fields

    model = KIND_MODELS[kind]
    extra: dict[str, Any] = {}
    for name in kind_fields(model):
        model_field = model._meta.get_field(name)
        text = _text(raw.get(name))
        if not text:
            if not (model_field.blank or model_field.null or model_field.has_default()):
                raise RowError(f"{name} is empty")
            continue
        if model_field.choices:
            extra[name] = _choice(text, name, [str(value) for value, _ in model_field.choices])
        elif isinstance(model_field, models.DateField):
            extra[name] = parse_date(text, name)[0]
        elif isinstance(model_field, models.BooleanField):
            if text.lower() not in {"true", "false", "yes", "no", "1", "0"}:
                raise RowError(f"{name} {text!r} is not yes or no")
            extra[name] = text.lower() in {"true", "yes", "1"}
        elif isinstance(model_field, models.PositiveIntegerField):
            extra[name] = _int(text, name)
        elif isinstance(model_field, models.ForeignKey) and model_field.related_model.__name__ == "State":
            extra[name] = parse_codes(text, name)[0]
        else:
            extra[name] = text
    return extra


def _records(
    text: str, suffix: str, columns: tuple[str, ...] = EXERCISE_COLUMNS
) -> Iterator[tuple[int, dict[str, Any]]]:
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(f"not valid JSON: {exc}") from exc
        if not isinstance(data, list):
            raise ImportFileError("JSON import must be an array of objects")
        for index, item in enumerate(data, start=1):
            yield index, item if isinstance(item, dict) else {"__invalid__": item}
        return
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise ImportFileError("the CSV file has no header row")
    unknown = [name for name in reader.fieldnames if name not in columns]
    if unknown:
        raise ImportFileError(f"unknown columns {', '.join(unknown)}; allowed: {', '.join(columns)}")
    for row in reader:
        yield reader.line_num, row


def parse_text(text: str, suffix: str, today: date, kind: str = "exercise") -> ParsedFile:
    """Check every record of a CSV (``.csv``) or JSON (``.json``) text of one kind."""
    parsed = ParsedFile()
    seen: dict[str, int] = {}
    for line, record in _records(text, suffix, columns_for(kind)):
        try:
            if "__invalid__" in record or None in record:
                raise RowError("malformed record (wrong number of fields or not an object)")
            row = check_row(line, record, today)
            if kind != "exercise":
                row = replace(row, extra=check_kind_fields(kind, record))
            if row.key in seen:
                raise RowError(f"key {row.key!r} repeats line {seen[row.key]}")
            seen[row.key] = line
            parsed.rows.append(row)
        except RowError as exc:
            parsed.rejects.append(Reject(line, str(exc)))
    return parsed


def parse_file(path: Path, today: date, kind: str = "exercise") -> ParsedFile:
    """Read and check an import file; ``ImportFileError`` when it cannot be read at all."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(f"{path}: cannot read: {exc}") from exc
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".json"}:
        raise ImportFileError(f"{path}: use a .csv or .json file")
    return parse_text(text, suffix, today, kind)
