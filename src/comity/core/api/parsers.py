"""JSON with a depth limit: the API's body parser and ``loads`` for JSON typed into a page.

Why: Python's JSON decoder recurses once per nested array or object, so a body such as
``"[" * 100000 + "]" * 100000`` ends in ``RecursionError``, which DRF's own parser does not catch
(it catches ``ValueError``): a 500 from 200 kB. A body nested a few hundred levels parses, but
then any code that walks it recursively (``str()``, ``copy.deepcopy``, a serializer) may hit the
same limit later. No input of comity nests deeper than a handful of levels, so bodies nested
beyond ``MAX_DEPTH`` are refused up front with a 400 that says why.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

#: The deepest nesting of arrays and objects a JSON body may have (planning inputs need 4).
MAX_DEPTH = 32
TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether ``value`` nests lists and dicts more than ``limit`` levels deep (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, Mapping) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class DepthLimitedJSONParser(JSONParser):
    """DRF's JSON parser, answering 400 (``ParseError``) for bodies nested beyond ``MAX_DEPTH``."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(f"JSON parse error - {TOO_DEEP}") from exc
        if too_deep(data):
            raise ParseError(f"JSON parse error - {TOO_DEEP}")
        return data


def loads(text: str) -> Any:
    """``json.loads`` for untrusted text; ``ValueError`` (as for bad JSON) when nested too deep."""
    try:
        data = json.loads(text)
    except RecursionError as exc:
        raise ValueError(TOO_DEEP) from exc
    if too_deep(data):
        raise ValueError(TOO_DEEP)
    return data
