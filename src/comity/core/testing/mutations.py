"""Hypothesis strategies that damage real input the way files arrive damaged.

The fuzz tests of every file reader start from a real row of the shipped data and apply one of
these: a cell replaced by odd text (Unicode digits, a 30-digit number, ``nan``, a quote, NUL, a
byte-order mark, a line break), a cell dropped or repeated, the line cut short, or one character
inserted. A reader must then return rows or raise its documented error, and keep the good rows
around the damaged one.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

#: Cell values that have broken readers before: digits ``str.isdigit`` accepts and ``int`` does
#: not, numbers no column holds, spellings of not-a-number, quotes, control and format characters.
NASTY = (
    "",
    " ",
    "²",
    "\u0663\u0664",  # Arabic-Indic digits
    "\U0001d7d8",  # mathematical double-struck zero
    "1" * 30,
    "-" + "9" * 40,
    "1e400",
    "nan",
    "-inf",
    "0x1F",
    "1_000",
    "NA",
    '"',
    '"unclosed',
    '""',
    "'",
    "\\",
    "\x00",
    "\ufeff",
    "\r",
    "\n",
    "\t",
    "\u2028",
    "\ud800",
    "<",
    "&amp;",
    "]]>",
    "x" * 300,
)

#: Single characters worth inserting anywhere in a line.
INSERTS = ('"', "'", "\x00", "\ufeff", "\r", "\n", "\t", ",", ";", "\\", "{", "[", "<", "\ud800")


def cell_values(*, surrogates: bool = True) -> st.SearchStrategy[str]:
    """A replacement cell: a known troublemaker, any short text, or a number written oddly."""
    text = st.text(st.characters(codec=None if surrogates else "utf-8"), max_size=40)
    nasty = [v for v in NASTY if surrogates or v != "\ud800"]
    return st.one_of(
        st.sampled_from(nasty),
        text,
        st.integers().map(str),
        st.integers(min_value=2**53, max_value=10**40).map(str),  # past int64 and float precision
        st.floats(allow_nan=True).map(repr),
    )


@st.composite
def mutated_line(draw: Any, cells: list[str], delimiter: str, *, surrogates: bool = True) -> str:
    """One real row (its cells) with one kind of damage, joined again by ``delimiter``."""
    cells = list(cells)
    operation = draw(st.sampled_from(["replace", "replace", "drop", "repeat", "truncate", "insert"]))
    index = draw(st.integers(0, len(cells) - 1))
    if operation == "replace":
        cells[index] = draw(cell_values(surrogates=surrogates))
    elif operation == "drop":
        del cells[index]
    elif operation == "repeat":
        cells.insert(index, cells[index])
    line = delimiter.join(cells)
    if operation == "truncate":
        line = line[: draw(st.integers(0, len(line)))]
    elif operation == "insert":
        at = draw(st.integers(0, len(line)))
        inserts = [c for c in INSERTS if surrogates or c != "\ud800"]
        line = line[:at] + draw(st.sampled_from(inserts)) + line[at:]
    return line


def encoded(line: str) -> bytes:
    """UTF-8 of a line that may hold a lone surrogate (written as its raw, invalid bytes)."""
    return line.encode("utf-8", "surrogatepass")


@st.composite
def json_values(draw: Any) -> Any:
    """A replacement JSON value: any scalar or nasty text, a nested structure, or very deep nesting."""
    scalar = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.integers(min_value=10**20, max_value=10**40),
        st.floats(allow_nan=False),
        cell_values(),
    )
    nested = st.recursive(
        scalar,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
        max_leaves=8,
    )
    choice = draw(st.sampled_from(["scalar", "nested", "deep"]))
    if choice == "scalar":
        return draw(scalar)
    if choice == "nested":
        return draw(nested)
    return DEEP


class _Deep:
    """A marker for JSON nested far past the parser's recursion limit (written as raw text)."""

    TEXT = "[" * 50_000 + "]" * 50_000


DEEP = _Deep()


def json_text(value: Any) -> str:
    """JSON text of ``value``, where any ``DEEP`` marker becomes 50,000 nested arrays."""
    import json

    def default(obj: Any) -> Any:
        if obj is DEEP:
            return "\x00DEEP\x00"
        raise TypeError(type(obj).__name__)

    return json.dumps(value, default=default).replace('"\\u0000DEEP\\u0000"', _Deep.TEXT)
