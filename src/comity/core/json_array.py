"""Reading a JSON array element by element, so that one bad element costs only itself.

``json.loads`` gives up on the whole text when one element is nested deeper than Python's
recursion limit (``RecursionError``, not ``JSONDecodeError``). The array's elements are found by
a scan that knows strings and brackets but decodes nothing, and then decoded one at a time; each
comes with the line it starts on, for reject reports.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

#: A JSON string, or one of the characters that open, close or separate values.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},]', re.DOTALL)
_NOT_SPACE = re.compile(r"\S")


class JSONArrayError(ValueError):
    """The text is not JSON, or not an array (nothing of it can be read)."""


@dataclass(frozen=True)
class BadElement:
    """An element that could not be decoded, and why."""

    reason: str


def _spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the top-level array's elements, found without decoding them."""
    spans: list[tuple[int, int]] = []
    depth, begin = 0, 0
    for match in _TOKEN.finditer(text):
        piece = match.group()
        if piece in "[{":
            depth += 1
            if depth == 1:
                begin = match.end()
        elif piece in "]}":
            if depth == 1 and text[begin : match.start()].strip():
                spans.append((begin, match.start()))
            depth -= 1
        elif piece == "," and depth == 1:
            spans.append((begin, match.start()))
            begin = match.end()
    return spans


def _starting_lines(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """The line each element starts on (its first character that is not white space)."""
    lines, line, counted = [], 1, 0
    for begin, end in spans:
        found = _NOT_SPACE.search(text, begin, end)
        offset = found.start() if found else begin
        line += text.count("\n", counted, offset)
        counted = offset
        lines.append(line)
    return lines


def array_elements(text: str) -> Iterator[tuple[int, Any]]:
    """(line, element) of a JSON array; an element that cannot be decoded is a ``BadElement``.

    Raises ``JSONArrayError`` when the text is not valid JSON or not an array.
    """
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JSONArrayError(f"not valid JSON: {exc}") from exc
    except RecursionError:
        data = None  # some element is nested too deeply: decode them one by one below
    if (data is None and not text.lstrip().startswith("[")) or (data is not None and not isinstance(data, list)):
        raise JSONArrayError("not a JSON array")
    spans = _spans(text)
    for index, ((begin, end), line) in enumerate(zip(spans, _starting_lines(text, spans), strict=True)):
        if data is not None:
            yield line, data[index]
            continue
        try:
            yield line, json.loads(text[begin:end])
        except RecursionError:
            yield line, BadElement("nested too deeply")
        except json.JSONDecodeError as exc:
            yield line, BadElement(f"not valid JSON: {exc}")
