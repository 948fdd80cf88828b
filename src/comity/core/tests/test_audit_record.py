"""Change-log entries are written through ``audit_record``, never saved straight from the builder.

``audit_entry`` builds an entry and writes nothing; ``audit_record`` writes it and, for a relabel,
first raises the record's earlier history. An ``audit_entry(...).save()`` (or a ``bulk_create``
of built entries) would skip that step and leave a relabelled record's past readable at its old
label, so the pattern is refused wherever it appears.
"""

from __future__ import annotations

import ast
from pathlib import Path

import comity

SOURCE = Path(comity.__file__).resolve().parent


def _saved_builders(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "save"
            and isinstance(node.func.value, ast.Call)
            and getattr(node.func.value.func, "id", None) == "audit_entry"
        ):
            lines.append(node.lineno)
    return lines


def test_no_entry_is_saved_straight_from_the_builder() -> None:
    offenders = []
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        offenders += [f"{path.relative_to(SOURCE)}:{line}" for line in _saved_builders(ast.parse(path.read_text()))]
    assert offenders == []


def test_the_check_sees_the_pattern() -> None:
    assert _saved_builders(ast.parse("audit_entry(instance=x).save()")) == [1]
