"""Reading engagement import files (CSV or JSON) into checked rows, without touching the database.

A row that fails a check becomes a ``Reject`` with its line and reason; the good rows go on. The
columns are documented in docs/engagements.md and are the same ones the CSV export writes, so
an export imports back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db.backends.base.operations import BaseDatabaseOperations

from comity.engagements.choices import Domain, Scenario, Status
from comity.engagements.import_records import BadRecord, ImportFileError, Record, csv_records, json_records

if TYPE_CHECKING:
    from django.db import models

__all__ = ["ExerciseRow", "ImportFileError", "ParsedFile", "Reject", "RowError", "parse_file", "parse_text"]

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
#: The whole-number columns of an exercise.
COUNT_COLUMNS = ("personnel", "battle_tanks", "armoured_combat_vehicles", "artillery_pieces")
_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,99}", re.ASCII)
_WHOLE = re.compile(r"[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?", re.ASCII)
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}", re.ASCII)
#: How much of a bad value a reason quotes (a 128 KiB cell must not become a 128 KiB message).
SHOWN = 60


@dataclass(frozen=True)
class Reject:
    """A row not imported: the line it starts on, why, and the column at fault when there is one."""

    line: int
    reason: str
    field: str = ""

    def __post_init__(self) -> None:
        """A reason from the registry look-ups ("host 'XXX' is not a state ...") names its column first."""
        if not self.field:
            leading = re.match(r"([a-z_]+)[: ]", self.reason)
            if leading and leading.group(1) in _all_columns():
                object.__setattr__(self, "field", leading.group(1))


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
    """A row's first problem; ``field`` names its column ("" for the row as a whole)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def shown(raw: str) -> str:
    """A value quoted in a reason, cut to ``SHOWN`` characters."""
    return repr(raw if len(raw) <= SHOWN else f"{raw[:SHOWN]}...")


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, list):
        return ";".join(str(v) for v in raw)
    return str(raw).strip()


def _storable(values: dict[str, str]) -> None:
    """Text every database stores: no NUL (PostgreSQL refuses it) and no lone surrogate (JSON allows one)."""
    for name, value in values.items():
        if "\x00" in value:
            raise RowError(f"{name} contains a NUL character", name)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise RowError(f"{name} contains a character that is not valid Unicode text", name) from None


def parse_date(raw: str, name: str) -> tuple[date | None, str]:
    """A date and its precision: ``YYYY-MM-DD`` (day) or ``YYYY-MM`` (month, held as the 1st)."""
    if not raw:
        return None, "day"
    try:
        if _MONTH.fullmatch(raw):
            return date.fromisoformat(f"{raw}-01"), "month"
        if _DAY.fullmatch(raw):
            return date.fromisoformat(raw), "day"
    except ValueError:
        pass
    raise RowError(f"{name} {shown(raw)} is not a date (YYYY-MM-DD or YYYY-MM)", name)


def _int(raw: str, name: str, model_field: models.Field[Any, Any]) -> int | None:
    """A whole number in ASCII digits that the model field can store on every database we run on."""
    if not raw:
        return None
    if not _WHOLE.fullmatch(raw):
        raise RowError(f"{name} {shown(raw)} is not a whole number", name)
    low, high = BaseDatabaseOperations.integer_field_ranges[model_field.get_internal_type()]
    digits = raw.lstrip("0") or "0"
    if len(digits) > len(str(high)) or not low <= int(digits) <= high:  # never convert a huge string
        raise RowError(f"{name} {shown(raw)} is outside {low}..{high}", name)
    return int(digits)


def _float(raw: str, name: str, low: float, high: float) -> float | None:
    if not raw:
        return None
    if not _DECIMAL.fullmatch(raw):
        raise RowError(f"{name} {shown(raw)} is not a number", name)
    value = float(raw)
    if not low <= value <= high:
        raise RowError(f"{name} {shown(raw)} is outside {low}..{high}", name)
    return value


def _bounded(raw: str, name: str, model_field: models.Field[Any, Any]) -> str:
    """Text no longer than its model field holds (the same limit the API's serializer applies)."""
    limit = model_field.max_length
    if limit is not None and len(raw) > limit:
        raise RowError(f"{name} is {len(raw)} characters long, at most {limit} allowed", name)
    return raw


def parse_codes(raw: str, name: str) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(c.strip().upper() for c in raw.split(";") if c.strip()))
    bad = [c for c in codes if not re.fullmatch(r"[A-Z]{3}", c, re.ASCII)]
    if bad:
        raise RowError(f"{name} has codes that are not ISO alpha-3: {shown(', '.join(bad))}", name)
    return codes


def _choice(raw: str, name: str, allowed: list[str]) -> str:
    value = raw.lower()
    if value and value not in allowed:
        raise RowError(f"{name} {shown(raw)} is not one of {', '.join(allowed)}", name)
    return value


@cache
def _exercise_field(name: str) -> models.Field[Any, Any]:
    from comity.engagements.models import Exercise

    return Exercise._meta.get_field(name)  # type: ignore[return-value]


def _listed(raw: str, name: str, limit: int) -> tuple[str, ...]:
    """``;``-separated codes (leads, objectives), each no longer than the registry's codes."""
    codes = tuple(code.strip() for code in raw.split(";") if code.strip())
    long = [code for code in codes if len(code) > limit]
    if long:
        raise RowError(f"{name} code {shown(long[0])} is longer than {limit} characters", name)
    return codes


#: The longest marking a label can have here (every classification and a long release list).
MARKING_LIMIT = 1000


def check_row(line: int, raw: dict[str, Any], today: date) -> ExerciseRow:
    """Check one row's fields; raise ``RowError`` with the first problem."""
    values = {name: _text(raw.get(name)) for name in EXERCISE_COLUMNS}
    _storable(values)
    for name in REQUIRED:
        if not values[name]:
            raise RowError(f"{name} is empty", name)
    if not _KEY.fullmatch(values["key"]):
        raise RowError(f"key {shown(values['key'])} must be lower-case letters, digits and hyphens", "key")
    for name in ("title", "series", "location", "source"):
        _bounded(values[name], name, _exercise_field(name))
    if len(values["label"]) > MARKING_LIMIT:
        raise RowError(f"label is longer than {MARKING_LIMIT} characters", "label")
    counts = {name: _int(values[name], name, _exercise_field(name)) for name in COUNT_COLUMNS}
    (start, start_precision), (end, end_precision) = (
        parse_date(values["start_date"], "start_date"),
        parse_date(values["end_date"], "end_date"),
    )
    precision = "month" if "month" in (start_precision, end_precision) else "day"
    if start and end and end < start:
        raise RowError(f"end_date {end} is before start_date {start}", "end_date")
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
        leads=tuple(code.upper() for code in _listed(values["lead"], "lead", 16)),
        hosts=parse_codes(values["host"], "host"),
        participants=parse_codes(values["participants"], "participants"),
        domain=_choice(values["domain"], "domain", Domain.values),
        scenario=_choice(values["scenario"], "scenario", Scenario.values),
        personnel=counts["personnel"],
        battle_tanks=counts["battle_tanks"],
        armoured_combat_vehicles=counts["armoured_combat_vehicles"],
        artillery_pieces=counts["artillery_pieces"],
        status=status,
        objectives=_listed(values["objectives"], "objectives", 64),
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


@cache
def _all_columns() -> frozenset[str]:
    from comity.engagements.kinds import KIND_MODELS

    return frozenset(name for kind in KIND_MODELS for name in columns_for(kind))


def columns_for(kind: str) -> tuple[str, ...]:
    """The import/export columns of a kind: exercises keep their documented contract."""
    from comity.engagements.kinds import KIND_MODELS, kind_fields

    if kind == "exercise":
        return EXERCISE_COLUMNS
    return (*COMMON_COLUMNS, *kind_fields(KIND_MODELS[kind]))


def name_columns_for(kind: str) -> tuple[str, ...]:
    """The columns an export writes after the import columns: the names, as of each record's
    date, of the states its code columns name (``lead``, ``host``, ``participants`` and the kind's
    state fields). An import accepts them so that an export reads back, and ignores them: a
    state's name comes from the registry, never from a file."""
    from comity.engagements.kinds import KIND_MODELS, state_fields

    own = state_fields(KIND_MODELS[kind])
    return ("lead_name_as_of", "host_names_as_of", "participant_names_as_of", *(f"{name}_name_as_of" for name in own))


def file_columns(kind: str) -> tuple[str, ...]:
    """The columns of a kind's file: the import columns, then the names as of each record's date
    (what an export writes, and what an import reads past)."""
    return (*columns_for(kind), *name_columns_for(kind))


def check_kind_fields(kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Check a kind's own columns by their model field: choices, dates, numbers, yes/no, codes."""
    from django.db import models

    from comity.engagements.kinds import KIND_MODELS, kind_fields

    model = KIND_MODELS[kind]
    extra: dict[str, Any] = {}
    for name in kind_fields(model):
        model_field = model._meta.get_field(name)
        text = _text(raw.get(name))
        _storable({name: text})
        if not text:
            if not (model_field.blank or model_field.null or model_field.has_default()):
                raise RowError(f"{name} is empty", name)
            continue
        if model_field.choices:
            extra[name] = _choice(text, name, [str(value) for value, _ in model_field.choices])
        elif isinstance(model_field, models.DateField):
            extra[name] = parse_date(text, name)[0]
        elif isinstance(model_field, models.BooleanField):
            if text.lower() not in {"true", "false", "yes", "no", "1", "0"}:
                raise RowError(f"{name} {shown(text)} is not yes or no", name)
            extra[name] = text.lower() in {"true", "yes", "1"}
        elif isinstance(model_field, models.PositiveIntegerField):
            extra[name] = _int(text, name, model_field)
        elif isinstance(model_field, models.ForeignKey) and model_field.related_model.__name__ == "State":
            extra[name] = parse_codes(text, name)[0]
        else:
            extra[name] = _bounded(text, name, model_field)
    return extra


def multiline_columns(kind: str) -> set[str]:
    """The columns whose values may run over several lines in CSV: the kind's free-text fields."""
    from django.db import models

    from comity.engagements.kinds import KIND_MODELS

    text_fields = {f.name for f in KIND_MODELS[kind]._meta.get_fields() if isinstance(f, models.TextField)}
    return text_fields & set(columns_for(kind))


def _records(text: str, suffix: str, kind: str) -> Iterator[Record]:
    if suffix == ".json":
        return json_records(text)
    return csv_records(text.removeprefix("\ufeff"), file_columns(kind), multiline_columns(kind))


def parse_text(text: str, suffix: str, today: date, kind: str = "exercise") -> ParsedFile:
    """Check every record of a CSV (``.csv``) or JSON (``.json``) text of one kind."""
    parsed = ParsedFile()
    seen: dict[str, int] = {}
    for line, record in _records(text, suffix, kind):
        if isinstance(record, BadRecord):
            parsed.rejects.append(Reject(line, record.reason, record.field))
            continue
        try:
            row = check_row(line, record, today)
            if kind != "exercise":
                row = replace(row, extra=check_kind_fields(kind, record))
            if row.key in seen:
                raise RowError(f"key {row.key!r} repeats line {seen[row.key]}", "key")
            seen[row.key] = line
            parsed.rows.append(row)
        except RowError as exc:
            parsed.rejects.append(Reject(line, str(exc), exc.field))
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
