"""Connections to the query engines analytics run on: DuckDB (default) and Spark.

Spark is optional (``comity[spark]``) and slow to start, so it is imported only when asked for;
one local session per process is reused.
DuckDB runs in process, in memory: one connection per thread.
"""

from __future__ import annotations

import os
import threading
from functools import cache
from typing import Any

import ibis
from ibis.backends import BaseBackend

ENGINES = ("duckdb", "spark")


@cache
def spark_session() -> Any:
    """A local Spark session; ``COMITY_SPARK_MASTER`` overrides ``local[*]``."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.appName("comity-events")
        .master(os.environ.get("COMITY_SPARK_MASTER", "local[*]"))
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


_local = threading.local()


def connect(engine: str = "duckdb") -> BaseBackend:
    """An ibis connection to ``engine``: for DuckDB one in-memory connection per thread, kept
    (DuckDB connections are not shared between threads; keeping one keeps its compiled statements)."""
    if engine == "duckdb":
        if getattr(_local, "duckdb", None) is None:
            _local.duckdb = ibis.duckdb.connect()
        return _local.duckdb
    if engine == "spark":
        return ibis.pyspark.connect(spark_session())
    raise ValueError(f"unknown engine {engine!r} (one of {', '.join(ENGINES)})")
