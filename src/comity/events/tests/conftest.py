"""Fixtures for the events tests: real samples, a store ingested once, and both engines.

The membership table is built from the registry's shipped files (no database), so that the
analytic tests stay pure; ``test_selectors`` checks that the database selector gives the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pytest
from ibis.backends import BaseBackend

from comity.data import PACKAGE_DATA
from comity.events.analytics import MEMBERSHIP_SCHEMA
from comity.events.services import ingest_file
from comity.registry.loader import read_registry

DATA = PACKAGE_DATA / "events" / "samples"
GEORGIA = DATA / "gdelt1_georgia_2012H1_dyadic.tsv"
PUBLIC, SECRET = 1, 2

#: (file, format, label id) ingested into the shared store; ICEWS goes in under a second label
#: so that visibility tests have something to hide.
SAMPLES = [
    (GEORGIA, "gdelt1", PUBLIC),
    (DATA / "gdelt1_daily_export_sample_reed9999.tsv", "gdelt1", PUBLIC),
    (DATA / "gdelt2_export_20191024143000_first400.tsv", "gdelt2", PUBLIC),
    (DATA / "icews_events_2018_sample_first600.tab", "icews", SECRET),
    (DATA / "PLOVER_GSR_CAMEO.json", "plover", PUBLIC),
]


@pytest.fixture(scope="session")
def membership_rows() -> pa.Table:
    """Memberships and participations from the shipped registry files, as the selector builds them."""
    data = read_registry()
    established = {f.code: f.established for f in data.frameworks}
    rows = [{"group": m.organisation, "iso3": m.iso3, "start": m.joined, "end": m.left} for m in data.memberships]
    rows += [
        {"group": p.framework, "iso3": p.iso3, "start": p.start or established.get(p.framework), "end": p.end}
        for p in data.participations
    ]
    return pa.Table.from_pylist(rows, schema=MEMBERSHIP_SCHEMA)


@pytest.fixture(scope="session")
def store_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding every sample (read-only for tests: ingest tests make their own)."""
    root = tmp_path_factory.mktemp("events-store")
    for path, fmt, label in SAMPLES:
        ingest_file(path, fmt, label_id=label, root=root)
    return root


@pytest.fixture(scope="session")
def spark_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from pyspark import sql as pyspark_sql

    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    session = (
        pyspark_sql.SparkSession.builder.master("local[1]")
        .appName("comity-events-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.warehouse.dir", str(warehouse))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={warehouse}")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def con(request: pytest.FixtureRequest) -> BaseBackend:
    """An ibis connection to each engine in turn: every analytic test runs on both."""
    if request.param == "duckdb":
        return ibis.duckdb.connect()
    return ibis.pyspark.connect(request.getfixturevalue("spark_session"))


@pytest.fixture
def membership(membership_rows: pa.Table) -> object:
    return ibis.memtable(membership_rows)


@pytest.fixture(scope="session")
def labelled_stores(tmp_path_factory: pytest.TempPathFactory, store_root: Path) -> Callable[[int, int], Path]:
    """Stores of every sample with the public samples under one label id and ICEWS under another.

    The database's label ids are only known inside a test, so a store is ingested once per pair
    of ids (``store_root`` serves the pair it was made for).
    """
    stores = {(PUBLIC, SECRET): store_root}

    def get(public: int, secret: int) -> Path:
        if (public, secret) not in stores:
            root = tmp_path_factory.mktemp("events-labelled")
            for path, fmt, label in SAMPLES:
                ingest_file(path, fmt, label_id=public if label == PUBLIC else secret, root=root)
            stores[public, secret] = root
        return stores[public, secret]

    return get


@pytest.fixture
def web_store(db: None, settings: Any, tmp_path: Path, labelled_stores: Callable[[int, int], Path]) -> dict[str, Any]:
    """The installation's event store (``DATA_DIR/events``) holding every sample: the public
    samples under PUBLIC, ICEWS under NATO SECRET (labels of this test's database)."""
    from django.utils import timezone

    from comity.core.access import LabelSpec
    from comity.core.labels import label_get_or_create, public_label

    public = public_label()
    secret = label_get_or_create(LabelSpec("NATO", "SECRET", 4, (), timezone.now()))
    (tmp_path / "events").symlink_to(labelled_stores(public.pk, secret.pk), target_is_directory=True)
    settings.DATA_DIR = tmp_path
    return {"public": public, "secret": secret, "root": tmp_path / "events"}
