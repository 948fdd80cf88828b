"""Connections to the query engines analytics run on: DuckDB (default) and Spark.

Spark is optional (``comity[spark]``) and slow to start, so it is imported only when asked for;
one local session per process is reused.
"""

from __future__ import annotations

import os
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


def connect(engine: str = "duckdb") -> BaseBackend:
    """An ibis connection to ``engine``."""
    if engine == "duckdb":
        return ibis.duckdb.connect()
    if engine == "spark":
        return ibis.pyspark.connect(spark_session())
    raise ValueError(f"unknown engine {engine!r} (one of {', '.join(ENGINES)})")
