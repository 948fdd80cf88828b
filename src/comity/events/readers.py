"""Readers: one per source format, each turning a file into chunks of normalised events.

Tab-separated formats are read in byte blocks cut at line ends, so memory stays bounded by the
block size whatever the file size, and every row keeps its physical line number for the rejects
file. Parsing (pyarrow's CSV parser, only the columns used) and checking (pyarrow compute) are
vectorised: a Python loop per row would be an order of magnitude slower than the DuckDB baseline
the benchmark holds ingest to. Each block is parsed on its own, so ingest parses several at once.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from comity.core.json_array import BadElement, JSONArrayError, array_elements
from comity.events import lookups
from comity.events.schema import EVENT_SCHEMA, QUAD_BY_ROOT

#: The schema readers produce: the event schema without ``label_id`` (set at ingest).
READ_SCHEMA = pa.schema([f for f in EVENT_SCHEMA if f.name != "label_id"])

ICEWS_HEADER = (
    "Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\tIntensity\t"
    "Target Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher\tCity\tDistrict\t"
    "Province\tCountry\tLatitude\tLongitude"
)

LATITUDE, LONGITUDE = (-90.0, 90.0), (-180.0, 180.0)
_FLOAT = r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?"
_INT = r"[-+]?\d+"


class UnreadableFileError(ValueError):
    """A file that cannot be read as the stated format at all (nothing of it is stored)."""


@dataclass
class Chunk:
    """Normalised events of one block, their line numbers, and the rows quarantined."""

    events: pa.Table
    lines: pa.Array
    rejects: list[tuple[int, str]]
    read: int
    position: int


@dataclass
class _Checks:
    """Collects per-row failures; the first reason found for a row is the one reported."""

    lines: pa.Array
    bad: pa.Array = field(init=False)
    rejects: list[tuple[int, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.bad = pa.nulls(len(self.lines), pa.bool_()).fill_null(False)

    def fail(self, mask: pa.Array, reason: str, values: pa.Array | None = None) -> None:
        new = pc.and_(pc.fill_null(mask, False), pc.invert(self.bad))
        if not pc.any(new).as_py():
            return
        lines = self.lines.filter(new).to_pylist()
        shown = values.filter(new).to_pylist() if values is not None else [None] * len(lines)
        self.rejects += [
            (line, reason if v is None else f"{reason} {v!r}") for line, v in zip(lines, shown, strict=True)
        ]
        self.bad = pc.or_(self.bad, new)


def _blank_to_null(column: pa.Array, *blanks: str) -> pa.Array:
    """Empty strings (and a format's own null spellings such as ICEWS ``NA``) become nulls."""
    return pc.if_else(pc.is_in(column, pa.array(["", *blanks])), pa.scalar(None, pa.string()), column)


#: The largest magnitude a count may have: beyond 2**53 its text no longer round-trips through
#: the float check below, and no real count comes near it.
_MAX_COUNT = 2.0**53


def _number(
    checks: _Checks, column: pa.Array, kind: pa.DataType, name: str, bounds: tuple[float, float] | None = None
) -> pa.Array:
    """Parse a numeric column; a non-empty value that is not a number in range rejects its row.

    The strict cast is the fast path; only a column it refuses (an overflowing integer, text) or
    that holds nan/inf (which the cast accepts) is checked value by value: against the number
    pattern, and then for a magnitude the type holds (``1e400`` is no float, 30 digits no count).
    ``bounds`` is the column's documented range (a Goldstein score, a latitude).
    """
    is_int = pa.types.is_integer(kind)
    try:
        values = column.cast(kind)
        fast = is_int or pc.all(pc.or_(pc.is_finite(values), pc.is_null(values))).as_py()
    except pa.ArrowInvalid:
        fast = False
    if not fast:
        matched = pc.fill_null(pc.match_substring_regex(column, f"^{_INT if is_int else _FLOAT}$"), False)
        approx = pc.if_else(matched, column, pa.scalar(None, pa.string())).cast(pa.float64())
        ok = pc.and_(
            matched, pc.fill_null(pc.less_equal(pc.abs(approx), _MAX_COUNT if is_int else np.finfo(float).max), False)
        )
        checks.fail(pc.and_(pc.is_valid(column), pc.invert(ok)), f"bad number in {name}", column)
        values = pc.if_else(ok, column, pa.scalar(None, pa.string())).cast(kind)
    if bounds is not None:
        low, high = bounds
        checks.fail(pc.or_(pc.less(values, low), pc.greater(values, high)), f"number out of range in {name}", column)
    return values


def _date(checks: _Checks, column: pa.Array, fmt: str) -> pa.Array:
    parsed = pc.strptime(column, format=fmt, unit="s", error_is_null=True)
    checks.fail(pc.is_null(parsed), "bad date", column)
    return parsed.cast(pa.date32())


def _mapped(column: pa.Array, mapping: dict[str, str], *, keep_unknown: bool) -> pa.Array:
    """Map codes through a lookup; unknown codes stay as they are or become null."""
    keys = pa.array(list(mapping), pa.string())
    found = pc.take(pa.array(list(mapping.values()), pa.string()), pc.index_in(column, value_set=keys))
    return pc.coalesce(found, column) if keep_unknown else found


def _cameo(checks: _Checks, column: pa.Array) -> dict[str, pa.Array]:
    """CAMEO code checks and the columns derived from it (root, PLOVER type)."""
    codes = lookups.cameo_codes()
    checks.fail(pc.invert(pc.fill_null(pc.is_in(column, pa.array(list(codes))), False)), "unknown CAMEO code", column)
    return {
        "cameo_code": column,
        "cameo_root": pc.utf8_slice_codeunits(column, 0, 2),
        "plover_type": _mapped(column, {c: t for c in codes if (t := lookups.plover_type(c))}, keep_unknown=False),
    }


#: A block of whole lines: (first line number, bytes, number of lines, bytes consumed so far).
LineBlock = tuple[int, bytes, int, int]


def _line_blocks(path: Path, block_bytes: int, header: str | None) -> Iterator[LineBlock]:
    """Yield blocks of about ``block_bytes`` cut at line ends, with their first line number."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise UnreadableFileError(f"{path}: cannot open ({exc.strerror})") from exc
    with handle:
        line_no = 1
        if header is not None:
            found = handle.readline().decode("utf-8", errors="replace").rstrip("\r\n")
            if found != header:
                raise UnreadableFileError(f"{path}: the header line is not the expected one ({found[:80]!r}...)")
            line_no = 2
        rest = b""
        while data := handle.read(block_bytes):
            data = rest + data
            cut = data.rfind(b"\n") + 1
            block, rest = data[:cut], data[cut:]
            if block:
                count = block.count(b"\n")
                yield line_no, block, count, handle.tell() - len(rest)
                line_no += count
        if rest:
            yield line_no, rest + b"\n", 1, handle.tell()


def _read_tsv(data: bytes, width: int, wanted: Sequence[int], skipped: list[tuple[int, int, str]]) -> pa.Table:
    """Parse tab-separated ``data`` as ``width`` string columns, keeping the ``wanted`` ones.

    No quoting (GDELT and ICEWS fields never quote), so each physical line is one row; rows of
    another width go to ``skipped`` as (row number from 1, width, text). ``data`` must be UTF-8.
    """

    def handler(row: pacsv.InvalidRow) -> str:
        skipped.append((row.number, row.actual_columns, row.text))
        return "skip"

    names = [f"f{i}" for i in range(width)]
    if not data:
        return pa.table({names[i]: pa.array([], pa.string()) for i in wanted})
    return pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(column_names=names, use_threads=False, block_size=len(data) + 1),
        parse_options=pacsv.ParseOptions(
            delimiter="\t",
            quote_char=False,
            newlines_in_values=False,
            ignore_empty_lines=False,
            invalid_row_handler=handler,
        ),
        convert_options=pacsv.ConvertOptions(
            include_columns=[names[i] for i in wanted], column_types=dict.fromkeys(names, pa.string())
        ),
    )


def _parseable_lines(data: bytes, lines: np.ndarray) -> tuple[bytes, np.ndarray, list[tuple[int, str]]]:
    """Drop the lines the parser cannot take as one row each: not UTF-8, or with a carriage return
    before their end (the parser would end a row there, and the line numbers would drift).

    Rare: only for a block that does not decode as a whole or holds a lone ``\\r``.
    """
    kept, numbers, rejects = [], [], []
    for number, line in zip(lines.tolist(), data.split(b"\n"), strict=False):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            rejects.append((number, "not UTF-8 text"))
            continue
        if b"\r" in line.removesuffix(b"\r"):
            rejects.append((number, "carriage return inside the line"))
            continue
        kept.append(line)
        numbers.append(number)
    return b"".join(line + b"\n" for line in kept), np.array(numbers, dtype=np.int64), rejects


def _tsv_columns(block: LineBlock, widths: set[int], wanted: Sequence[int]) -> tuple[_Checks, dict[int, pa.Array]]:
    """Parse a block; reject undecodable lines and wrong column counts; return the wanted columns.

    The checks are aligned with the rows kept (in line order) and already hold those rejects.
    """
    first_line, data, count, _ = block
    lines = np.arange(first_line, first_line + count, dtype=np.int64)
    skipped: list[tuple[int, int, str]] = []
    width = max(widths)
    rejects: list[tuple[int, str]] = []
    try:
        data.decode("utf-8")  # the parser cannot even report a row that is not UTF-8
        clean = data.count(b"\r") == data.count(b"\r\n")
    except UnicodeDecodeError:
        clean = False
    if not clean:
        data, lines, rejects = _parseable_lines(data, lines)
    table = _read_tsv(data, width, wanted, skipped)
    kept = np.delete(np.arange(len(lines)), [number - 1 for number, _, _ in skipped])
    if data.startswith((b"\n", b"\r\n")) or b"\n\n" in data or b"\n\r\n" in data:
        # The parser reads a blank line as a row of empty fields; it is a line of one empty field.
        blank = [i for i, line in enumerate(data.split(b"\n")[:-1]) if line in (b"", b"\r")]
        rejects += [(int(lines[i]), "wrong column count 1") for i in blank]
        keep = ~np.isin(kept, blank)
        table, kept = table.filter(pa.array(keep)), kept[keep]
    tables, numbers = [table], [lines[kept]]
    for other in sorted(widths - {width}):  # e.g. GDELT 1.0 backfile rows, one field short
        rows = [(number, text) for number, found, text in skipped if found == other]
        if rows:
            tables.append(_read_tsv("".join(f"{text}\n" for _, text in rows).encode(), other, wanted, []))
            numbers.append(lines[[number - 1 for number, _ in rows]])
    rejects += [(int(lines[n - 1]), f"wrong column count {w}") for n, w, _ in skipped if w not in widths]
    table, line_numbers = pa.concat_tables(tables), pa.array(np.concatenate(numbers))
    if len(tables) > 1:  # rows parsed apart go back into line order
        order = pc.sort_indices(line_numbers)
        table, line_numbers = table.take(order), line_numbers.take(order)
    checks = _Checks(line_numbers)
    checks.rejects = rejects
    return checks, {i: table.column(f"f{i}").combine_chunks() for i in wanted}


def _finish(checks: _Checks, columns: dict[str, pa.Array], n: int, read: int, position: int) -> Chunk:
    """Drop rejected rows and assemble the chunk in ``READ_SCHEMA`` order."""
    arrays = [columns[f.name].cast(f.type) if f.name in columns else pa.nulls(n, f.type) for f in READ_SCHEMA]
    table = pa.Table.from_arrays(arrays, schema=READ_SCHEMA)
    good = pc.invert(checks.bad)
    return Chunk(table.filter(good), checks.lines.filter(good), checks.rejects, read, position)


# --- GDELT -----------------------------------------------------------------------------------

#: Zero-based positions of the action-geography columns (country, lat, long) per GDELT version.
_GDELT_ACTION = {"gdelt1": (51, 53, 54), "gdelt2": (53, 56, 57)}
_GDELT_WIDTHS = {"gdelt1": {57, 58}, "gdelt2": {61}}


#: The GDELT columns read (zero-based): ids, dates, actors, event, counts, action geography.
_GDELT_WANTED = {
    "gdelt1": (0, 1, 5, 7, 15, 17, 25, 26, 29, 30, 31, 32, 33, 34, 51, 53, 54),
    "gdelt2": (0, 1, 5, 7, 15, 17, 25, 26, 29, 30, 31, 32, 33, 34, 53, 56, 57),
}


def _gdelt_block(fmt: str, block: LineBlock) -> Chunk:
    checks, fields = _tsv_columns(block, _GDELT_WIDTHS[fmt], _GDELT_WANTED[fmt])
    n = len(checks.lines)

    def col(i: int) -> pa.Array:
        return _blank_to_null(fields[i])

    event_id = col(0)
    checks.fail(
        pc.invert(pc.fill_null(pc.match_substring_regex(event_id, r"^\d+$"), False)), "bad GLOBALEVENTID", event_id
    )
    columns = {"event_id": event_id, "date": _date(checks, col(1), "%Y%m%d"), **_cameo(checks, col(26))}
    quad = col(29)
    checks.fail(pc.invert(pc.fill_null(pc.is_in(quad, pa.array(["1", "2", "3", "4"])), False)), "bad QuadClass", quad)
    country, lat, lon = _GDELT_ACTION[fmt]
    to_iso = lookups.cameo_country_to_iso3()
    columns |= {
        "source_actor": col(5),
        "target_actor": col(15),
        "source_country": _mapped(col(7), to_iso, keep_unknown=True),
        "target_country": _mapped(col(17), to_iso, keep_unknown=True),
        "quad_class": pc.if_else(pc.is_in(quad, pa.array(["1", "2", "3", "4"])), quad, None).cast(pa.int8()),
        "goldstein": _number(checks, col(30), pa.float64(), "GoldsteinScale", (-10, 10)),
        "num_mentions": _number(checks, col(31), pa.int64(), "NumMentions"),
        "num_sources": _number(checks, col(32), pa.int64(), "NumSources"),
        "num_articles": _number(checks, col(33), pa.int64(), "NumArticles"),
        "avg_tone": _number(checks, col(34), pa.float64(), "AvgTone", (-100, 100)),
        "is_root": pc.equal(col(25), "1"),
        "action_country": _mapped(col(country), lookups.fips_to_iso3(), keep_unknown=False),
        "action_lat": _number(checks, col(lat), pa.float64(), "ActionGeo_Lat", LATITUDE),
        "action_lon": _number(checks, col(lon), pa.float64(), "ActionGeo_Long", LONGITUDE),
        "origin_format": pa.array([fmt] * n, pa.string()),
    }
    return _finish(checks, columns, n, block[2], block[3])


# --- ICEWS -----------------------------------------------------------------------------------


def _icews_block(block: LineBlock) -> Chunk:
    checks, fields = _tsv_columns(block, {20}, (0, 1, 2, 4, 6, 8, 10, 17, 18, 19))
    n = len(checks.lines)

    def col(i: int) -> pa.Array:
        return _blank_to_null(fields[i], "NA")

    event_id = col(0)
    checks.fail(pc.invert(pc.fill_null(pc.match_substring_regex(event_id, r"^\d+$"), False)), "bad Event ID", event_id)
    cameo = _cameo(checks, col(6))
    names = lookups.country_name_to_iso3()
    columns = {
        "event_id": event_id,
        "date": _date(checks, col(1), "%Y-%m-%d"),
        **cameo,
        "source_actor": col(2),
        "target_actor": col(8),
        "source_country": pc.coalesce(_mapped(pc.utf8_upper(col(4)), names, keep_unknown=False), col(4)),
        "target_country": pc.coalesce(_mapped(pc.utf8_upper(col(10)), names, keep_unknown=False), col(10)),
        "quad_class": _mapped(cameo["cameo_root"], {k: str(v) for k, v in QUAD_BY_ROOT.items()}, keep_unknown=False),
        "goldstein": _mapped(
            cameo["cameo_code"], {k: repr(v) for k, v in lookups.goldstein_scale().items()}, keep_unknown=False
        ),
        "action_country": _mapped(pc.utf8_upper(col(17)), names, keep_unknown=False),
        "action_lat": _number(checks, col(18), pa.float64(), "Latitude", LATITUDE),
        "action_lon": _number(checks, col(19), pa.float64(), "Longitude", LONGITUDE),
        "origin_format": pa.array(["icews"] * n, pa.string()),
    }
    return _finish(checks, columns, n, block[2], block[3])


# --- PLOVER ----------------------------------------------------------------------------------


def _actors(value: Any) -> list[dict[str, Any]]:
    """The actors of a PLOVER record side (a list of objects; missing or ``""`` means none)."""
    return [a for a in value if isinstance(a, dict)] if isinstance(value, list) else []


def _plover_row(record: Any) -> tuple[dict[str, Any] | None, str | None]:
    """The normalised row of one PLOVER record, or the reason it is rejected.

    A compound side ("Hungarian and Romanian officials") keeps every actor code in
    ``source_actor`` (joined by ``;``) and takes its country from the first actor, so that one
    record stays one event.
    """
    if isinstance(record, BadElement):
        return None, record.reason
    if not isinstance(record, dict):
        return None, "not a JSON object"
    if not isinstance(record.get("id"), str) or not record["id"]:
        return None, "record without an id"
    kind = record.get("event")
    if kind == "DOCUMENT":
        return None, "documentation record, not an event"
    if not isinstance(kind, str) or not re.fullmatch(r"[A-Z]+", kind):
        return None, "no PLOVER event type"
    try:
        day = date.fromisoformat(record.get("date") or "")
    except (TypeError, ValueError):
        return None, f"bad date {record.get('date')!r}"
    to_iso = lookups.cameo_country_to_iso3()
    row: dict[str, Any] = {"event_id": record["id"], "date": day, "plover_type": kind, "origin_format": "plover"}
    row["quad_class"] = lookups.plover_quad_class().get(kind)
    for side in ("source", "target"):
        codes = [str(a.get("code") or a.get("actorText") or "") for a in _actors(record.get(side))]
        first = codes[0][:3] if codes and codes[0] else None
        row[f"{side}_actor"] = ";".join(codes) or None
        row[f"{side}_country"] = to_iso.get(first, first) if first else None
    for name, value in row.items():
        if isinstance(value, str) and not _encodes(value):
            return None, f"{name} is not valid Unicode text (a lone surrogate escape)"
    return row, None


def _encodes(text: str) -> bool:
    """Whether Arrow can store the text: JSON's ``\\ud800`` escapes decode to unpaired surrogates."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _plover_records(path: Path) -> Iterator[tuple[int, Any, int]]:
    """(line or record number, record, bytes consumed) of a JSON array or a JSON Lines file.

    JSON Lines are streamed; a JSON array has to be parsed whole, and its records are numbered
    from 1 in place of line numbers.
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise UnreadableFileError(f"{path}: cannot open ({exc.strerror})") from exc
    with handle:
        start = handle.read(64).lstrip()
        handle.seek(0)
        if start.startswith(b"["):
            try:
                records = list(array_elements(handle.read().decode("utf-8")))
            except (UnicodeDecodeError, JSONArrayError) as exc:
                raise UnreadableFileError(f"{path}: not a JSON array ({exc})") from exc
            size = handle.tell()
            for number, (_, record) in enumerate(records, start=1):
                yield number, record, size
            return
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    record: Any = json.loads(line)
                except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
                    record = None  # rejected as "not a JSON object"
                yield number, record, handle.tell()


def _plover_batches(path: Path, block_bytes: int) -> Iterator[list[tuple[int, Any, int]]]:
    """Records in batches of about ``block_bytes / 1 KiB`` (a PLOVER record is about 1 KiB)."""
    batch: list[tuple[int, Any, int]] = []
    for item in _plover_records(path):
        batch.append(item)
        if len(batch) >= max(1, block_bytes // 1024):
            yield batch
            batch = []
    if batch:
        yield batch


def _plover_chunk(batch: list[tuple[int, Any, int]]) -> Chunk:
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
    rejects: list[tuple[int, str]] = []
    for number, record, _ in batch:
        row, reason = _plover_row(record)
        if row is None:
            rejects.append((number, reason or ""))
        else:
            rows.append(row)
            lines.append(number)
    table = pa.Table.from_pylist(rows, schema=READ_SCHEMA)
    return Chunk(table, pa.array(lines, pa.int64()), rejects, len(batch), batch[-1][2])


# --- registry of formats -----------------------------------------------------------------------


@dataclass(frozen=True)
class Reader:
    """A format: ``blocks`` cuts the file (sequential I/O), ``parse`` turns one block into a chunk.

    Parsing is pure and releases the GIL in pyarrow, so ingest runs it on several blocks at once.
    """

    blocks: Callable[[Path, int], Iterator[Any]]
    parse: Callable[[Any], Chunk]


READERS = {
    "gdelt1": Reader(partial(_line_blocks, header=None), partial(_gdelt_block, "gdelt1")),
    "gdelt2": Reader(partial(_line_blocks, header=None), partial(_gdelt_block, "gdelt2")),
    "icews": Reader(partial(_line_blocks, header=ICEWS_HEADER), _icews_block),
    "plover": Reader(_plover_batches, _plover_chunk),
}


def read_chunks(fmt: str, path: Path, block_bytes: int) -> Iterator[Chunk]:
    """Chunks of a file one after another (ingest parses blocks in parallel instead)."""
    reader = READERS[fmt]
    return map(reader.parse, reader.blocks(path, block_bytes))
