"""The reference data of a test database, kept as rows after its first load and put back after a
transactional test has emptied every table.

Why: a transactional test (the browser tests, the concurrency tests) ends with a flush of every
table, and the files that follow on the same xdist worker need the policies, the registry and the
shipped engagements again. Loading them through the services costs about 5 s on PostgreSQL (each
record is written with its change-log entry); putting the same rows back costs a fraction of
that, and gives them the same ids as the first load. The rows are read and written as the
database holds them (every table Django manages, the content types and permissions that the
flush's post-migrate step recreates included), in one transaction: Django declares foreign keys
deferrable, so the order of the tables does not matter.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

#: table -> (columns, rows) as the database returned them.
Snapshot = dict[str, tuple[list[str], list[tuple[Any, ...]]]]


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def snapshot() -> Snapshot:
    """Every non-empty table's rows, as they are now."""
    taken: Snapshot = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - Django's own table names
            rows = cursor.fetchall()
            if rows:
                taken[table] = ([column[0] for column in cursor.description], rows)
    return taken


def _adapted(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """PostgreSQL returns JSON columns as Python values, which psycopg writes back only wrapped."""
    if connection.vendor != "postgresql" or not any(isinstance(value, dict | list) for value in row):
        return row
    from psycopg.types.json import Jsonb

    return tuple(Jsonb(value) if isinstance(value, dict | list) else value for value in row)


def restore(taken: Snapshot) -> None:
    """Make the tables of ``taken`` hold exactly its rows again, and the id sequences follow."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (columns, rows) in taken.items():
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 - Django's own table names
            names = ", ".join(quote(column) for column in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608
                [_adapted(row) for row in rows],
            )
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(statement)
