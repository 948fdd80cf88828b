"""Run analytic expressions with bound values: compile a query's shape once per connection.

Why: ibis turns an expression into SQL in Python (graph rewrites, then sqlglot), which costs
10-40 ms per call, as much as DuckDB needs to aggregate a million events. An analyst exploring
dyads asks queries of one shape (same frequency, same kinds of party, same visible labels) with
different parties and dates. The analytics therefore build their expressions with ``ibis.param``
for those values and run them here:

- on DuckDB, the first run of an expression goes through ibis as usual (which also registers its
  in-memory tables on the connection) and keeps the statement compiled with ``$p<n>``
  placeholders where the parameters are; later runs of an equal expression bind new values to
  that statement, as a prepared statement would;
- on any other engine (Spark) every run goes through ibis with the values bound (``params=``).

Both paths execute the same ibis expression, so they give the same rows.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pyarrow as pa
import sqlglot.expressions as sge
from ibis.backends import BaseBackend
from ibis.backends.sql.compilers.duckdb import DuckDBCompiler

#: Compiled statements kept per connection; beyond this many the oldest half is dropped.
MAX_STATEMENTS = 256


@dataclass(frozen=True)
class _Statement:
    sql: str
    schema: pa.Schema


#: Marks the string literals that stand for parameters while compiling (NUL: never in a code).
_MARK = "\x00comity-param:"

#: id(connection) -> {expression: compiled statement}. Keyed by identity: ibis deems every
#: in-memory DuckDB connection equal, though each is a database of its own.
_STATEMENTS: dict[int, dict[ops.Node, _Statement]] = {}


def placeholder(counter: int) -> str:
    return f"p{counter}"


def _with_placeholders(expr: ir.Table) -> str:
    """DuckDB SQL of ``expr`` with ``$p<counter>`` where its parameters are.

    ibis substitutes parameter values before it compiles, so each parameter is first replaced by
    a marked string literal cast to the parameter's type, and the marked literal then by a
    placeholder in the compiled syntax tree.
    """
    marked = {
        param: ops.Cast(ops.Literal(f"{_MARK}{param.counter}", dtype="string"), to=param.dtype)
        for param in expr.op().find(ops.ScalarParameter)
    }
    tree = DuckDBCompiler().to_sqlglot(expr.op().replace(marked).to_expr())

    def unmark(node: sge.Expression) -> sge.Expression:
        if isinstance(node, sge.Literal) and node.is_string and node.this.startswith(_MARK):
            return sge.Placeholder(this=placeholder(int(node.this.removeprefix(_MARK))))
        return node

    return tree.transform(unmark).sql(dialect="duckdb")


def _statements_of(backend: BaseBackend) -> dict[ops.Node, _Statement]:
    key = id(backend)
    if key not in _STATEMENTS:
        _STATEMENTS[key] = {}
        weakref.finalize(backend, _STATEMENTS.pop, key, None)
    return _STATEMENTS[key]


def to_pyarrow(
    expr: ir.Table, values: Mapping[ir.Scalar, object] | None = None, backend: BaseBackend | None = None
) -> pa.Table:
    """The rows of ``expr`` with ``values`` bound to its parameters (``backend``: the engine
    connection of ``expr`` when the caller knows it; finding it walks the expression)."""
    values = values or {}
    backend = backend or ibis.get_backend(expr)
    if backend.name != "duckdb":
        return expr.to_pyarrow(params=values)
    statements = _statements_of(backend)
    statement = statements.get(expr.op())
    if statement is None:
        result = expr.to_pyarrow(params=values)
        if len(statements) >= MAX_STATEMENTS:
            for old in list(statements)[: MAX_STATEMENTS // 2]:
                del statements[old]
        statements[expr.op()] = _Statement(_with_placeholders(expr), expr.schema().to_pyarrow())
        return result
    bound = {placeholder(param.op().counter): value for param, value in values.items()}
    table = backend.con.sql(statement.sql, params=bound).to_arrow_table()  # type: ignore[attr-defined]
    return table if table.schema == statement.schema else table.cast(statement.schema)
