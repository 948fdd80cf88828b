"""Inserting many rows of one table at once: the fast path of imports (COPY on PostgreSQL).

``insert_rows`` takes rows of database-ready values (foreign keys as ids, JSON as text) for some of
a model's columns; every other column takes its field's default, as the ORM would write it. The
rows join the caller's transaction; no ``save()`` and no signal runs, so callers write their own
change-log rows (``core.audit.audit_create_many``).

Why not ``bulk_create``: on PostgreSQL Django sends each column as one array parameter
(``INSERT ... SELECT ... FROM UNNEST(...)``), and building model instances and having psycopg dump
those arrays in Python was most of the engagement import's time (bench/engagements_bench.py).
``COPY ... FROM STDIN`` through psycopg 3's ``Cursor.copy`` streams the rows instead, the standard
way to load PostgreSQL. SQLite has no COPY and its inserts are cheap, so there the rows go through
one ``executemany`` per batch. Rows that other tables point at need their ids before they are
written: ``reserve_ids`` draws them from the table's sequence on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection, models
from django.utils import timezone

BATCH = 2000


def uses_copy() -> bool:
    """Whether ``insert_rows`` streams with COPY (PostgreSQL) and ``reserve_ids`` is available."""
    return connection.vendor == "postgresql"


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Draw ``count`` primary keys from the table's sequence (PostgreSQL), in increasing order."""
    if not uses_copy():
        raise NotImplementedError("reserving ids needs a sequence (PostgreSQL)")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(model._meta.db_table), model._meta.pk.column, count],
        )
        return sorted(row[0] for row in cursor.fetchall())


def _default(field: models.Field, now: Any) -> Any:
    """What the ORM writes for a field it was given no value for."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return field.get_db_prep_save(now, connection)
    return field.get_db_prep_save(field.get_default(), connection)


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert ``rows`` (database values for ``columns``, field names) into ``model``'s table."""
    meta = model._meta
    given = [meta.get_field(name) for name in columns]
    named = {f.name for f in given}
    rest = [f for f in meta.local_concrete_fields if f.name not in named and not (f.primary_key and f.auto_created)]
    now = timezone.now()
    defaults = tuple(_default(f, now) for f in rest)
    quote = connection.ops.quote_name
    # Identifiers come from model metadata and are quoted; every value is a parameter or COPY data.
    table, names = quote(meta.db_table), ", ".join(quote(f.column) for f in (*given, *rest))
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * (len(given) + len(rest)))})"  # noqa: S608
    pending = iter(rows)
    with connection.cursor() as cursor:
        # A batch is built before it is sent: building a row may query the database, which it
        # cannot do while a COPY holds the connection.
        while batch := [(*row, *defaults) for row in islice(pending, BATCH)]:
            if not uses_copy():
                cursor.executemany(sql, batch)
                continue
            # ``copy`` is psycopg's own; the wrapper turns its errors into Django's (IntegrityError...).
            with connection.wrap_database_errors, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)
