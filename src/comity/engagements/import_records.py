"""Cutting an import file (CSV or JSON) into records, each with the line it starts on.

A record that cannot be read is a ``BadRecord`` with its line and reason, and reading goes on with
the next one: one broken row never costs the rows after it. The rules (docs/engagements.md):

- CSV is read strictly (a closing quote must be followed by a comma or the line end). A value may
  run over several lines only in a column that holds free text (``multiline``), and no line it
  swallows may look like a row of its own (as many fields as the header). Otherwise the quote
  opened on the record's first line is taken to be unclosed: that line is rejected and reading
  starts again on the next one, so the rows an open quote would swallow are kept.
- A CSV field longer than ``csv.field_size_limit()`` (128 KiB) rejects its row.
- JSON is an array of objects; each value is text, a number, true/false, null or a list of those.
  An element nested too deeply for the parser rejects that element only; the others are kept.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from comity.core.json_array import BadElement, JSONArrayError, array_elements


class ImportFileError(ValueError):
    """A file that cannot be read at all (not CSV/JSON, no header, unknown columns)."""


@dataclass(frozen=True)
class BadRecord:
    """A record that could not be read; ``field`` names the column at fault when one is."""

    line: int
    reason: str
    field: str = ""


Record = tuple[int, dict[str, Any] | BadRecord]

_SCALARS = (str, int, float, bool, type(None))


def _physical_lines(text: str) -> list[str]:
    """The file's lines, each with its ``\\n`` (the csv module treats a lone ``\\r`` itself)."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    if not lines[-1]:
        lines.pop()
    return lines


def _parse_one(line: str) -> list[str]:
    """A line read as a CSV row on its own (leniently: it is only counted)."""
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return []


def _unclosed_quote(fields: Sequence[str], names: Sequence[str], multiline: set[str], swallowed: list[str]) -> str:
    """Why a record spanning several lines is taken to hold an unclosed quote ("" when it is not)."""
    for name, value in zip(names, fields, strict=False):
        if ("\n" in value or "\r" in value) and name not in multiline:
            return f"{name} holds a line break"
    width = len(names)
    for line in swallowed:
        if len(_parse_one(line)) == width:
            return "a line it runs over looks like a row of its own"
    return ""


def _clean_csv_error(exc: csv.Error, first: int) -> str:
    """The csv module's complaint about the record starting on line ``first``, for a person."""
    message = str(exc)
    if "field larger than field limit" in message:
        return f"a field is longer than {csv.field_size_limit()} characters (the CSV field limit)"
    if "unexpected end of data" in message:
        return f"a quote opened on line {first} is not closed before the end of the file"
    if "expected after" in message:
        return f"a quote opened on line {first} is not closed there (or text follows its closing quote)"
    return f"not readable as CSV ({message})"


def csv_records(text: str, columns: Sequence[str], multiline: set[str]) -> Iterator[Record]:
    """Records of a CSV text by its header; raises ``ImportFileError`` for a bad header."""
    lines = _physical_lines(text)
    try:
        names = next(csv.reader(lines[:1], strict=True), [])
    except csv.Error as exc:
        raise ImportFileError(f"the CSV header cannot be read: {_clean_csv_error(exc, 1)}") from None
    names = [name.strip() for name in names]
    if not names:
        raise ImportFileError("the CSV file has no header row")
    unknown = [name for name in names if name not in columns]
    if unknown:
        raise ImportFileError(f"unknown columns {', '.join(unknown)}; allowed: {', '.join(columns)}")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ImportFileError(f"columns {', '.join(repeated)} appear more than once in the header")
    start = 1  # index of the next line to read
    while start < len(lines):
        reader = csv.reader((lines[i] for i in range(start, len(lines))), strict=True)
        consumed = 0
        try:
            for fields in reader:
                first, consumed = start + consumed + 1, reader.line_num
                last = start + consumed
                if not fields:
                    continue
                if last > first:
                    reason = _unclosed_quote(fields, names, multiline, lines[first:last])
                    if reason:
                        yield first, BadRecord(first, f"a quote opened on line {first} is not closed there ({reason})")
                        start = first
                        break
                if len(fields) > len(names):
                    yield first, BadRecord(first, f"the row has {len(fields)} fields, the header {len(names)}")
                    continue
                yield first, dict(zip(names, fields, strict=False))
            else:
                return
        except csv.Error as exc:
            first = start + consumed + 1
            yield first, BadRecord(first, _clean_csv_error(exc, first))
            start = first


def _json_record(line: int, item: Any) -> dict[str, Any] | BadRecord:
    if isinstance(item, BadElement):
        return BadRecord(line, f"the record is {item.reason}")
    if not isinstance(item, dict):
        return BadRecord(line, "malformed record (not an object)")
    for name, value in item.items():
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, _SCALARS) and not isinstance(v, list) for v in values):
            return BadRecord(line, f"{name} must be text, a number, true/false or a list of those", name)
    return item


def json_records(text: str) -> Iterator[Record]:
    """Records of a JSON array; raises ``ImportFileError`` when the text is not one."""
    try:
        for line, item in array_elements(text.removeprefix("\ufeff")):
            yield line, _json_record(line, item)
    except JSONArrayError as exc:
        raise ImportFileError(f"{exc} (a JSON import is an array of objects)") from exc
