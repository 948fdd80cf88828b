"""Benchmark of engagement lists and imports on SQLite and PostgreSQL (prints tables; not a test).

    python bench/engagements_bench.py                 # 100,000 engagements, ~1,000,000 participations
    python bench/engagements_bench.py --quick         # 10,000 engagements
    python bench/engagements_bench.py --database sqlite

What it measures, side by side in one run for each database:

1. the filtered exercise list API (DRF view, pagination, serialisation) for a user who may see
   half of the records, against the same view with the label filter taken out: p50 and p95 over
   the same requests, and their ratio (target: within 2x);
2. ``comity engagements import`` of N rows from a CSV file (parsing, checking, change log
   included) against a bare ``bulk_create`` of the same rows: rows per second and their ratio
   (target: at least 0.5x). The baseline is Django's bulk path with nothing of ours in it:
   ``bulk_create`` of the base rows and the participations, one plain ``executemany`` for the
   exercise table, no change log. The import writes with COPY on PostgreSQL (``core/bulk.py``);
   the baseline deliberately does not: it is the cost of the bare rows through the ORM's own
   bulk path, against which the whole import (parsing, checks and change log) is measured.

Last full run (100,000 rows, 2-core machine shared with other work): import 1.21x a bare
``bulk_create`` on SQLite and 1.15x on PostgreSQL (0.43x there before the import used COPY);
the whole table is in docs/engagements.md.

The data are SYNTHETIC: rows resampled from the shipped, real exercise records (their series,
locations, domains and participant lists), with new keys and shifted years, and participant lists
padded from the alliance's members to reach about ten per engagement. They say nothing about real
events. PostgreSQL is reached through ``COMITY_BENCH_POSTGRES`` (default
postgres://comity:comity@127.0.0.1:5432/postgres); a throwaway database is created and dropped.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

VISIBLE = ("PUBLIC", "NATO RESTRICTED REL TO NATO")
HIDDEN = ("NATO SECRET", "NATO RESTRICTED REL TO FIN, SWE")
PARTICIPANTS_PER_ENGAGEMENT = 10


def synthetic_rows(count: int, seed: int, members: list[str]) -> list[dict[str, str]]:
    """Rows resampled from the shipped exercises; half carry labels the bench user may see."""
    from comity.engagements.loading import ENGAGEMENTS_DIR

    with (ENGAGEMENTS_DIR / "exercises.csv").open(encoding="utf-8") as handle:
        real = [row for row in csv.DictReader(handle) if row["start_date"][:4].isdigit()]
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        base = rng.choice(real)
        year = 2000 + rng.randrange(25)
        nations = [c for c in (base["host"] + ";" + base["participants"]).split(";") if c]
        nations = list(dict.fromkeys(nations))
        while len(nations) < PARTICIPANTS_PER_ENGAGEMENT:
            pick = rng.choice(members)
            if pick not in nations:
                nations.append(pick)
        hosts, others = nations[:1], nations[1:PARTICIPANTS_PER_ENGAGEMENT]
        label = (VISIBLE if index % 2 == 0 else HIDDEN)[(index // 2) % 2]
        rows.append(
            {
                "key": f"bench-{index}",
                "title": f"{base['series'] or base['title']} (synthetic {index})",
                "series": base["series"],
                "start_date": f"{year}{base['start_date'][4:10]}" if len(base["start_date"]) >= 10 else f"{year}-06-01",
                "location": base["location"],
                "lead": base["lead"] if ";" not in base["lead"] else base["lead"].split(";")[0],
                "host": ";".join(hosts),
                "participants": ";".join(others),
                "domain": base["domain"],
                "label": label,
                "source": "synthetic benchmark row",
            }
        )
    return rows


def timed(run: Any) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def insert_exercise_rows(pairs: list[tuple[int, dict[str, str]]]) -> None:
    """The baseline's exercise table rows: one plain ``executemany`` per 2,000 rows.

    ``bulk_create`` refuses models with multi-table inheritance, so this is the bare way to fill
    the child table (what the product did before it used COPY on PostgreSQL).
    """
    from django.db import connection

    from comity.engagements.kinds import kind_fields
    from comity.engagements.models import Exercise

    fields = [Exercise._meta.get_field(name) for name in kind_fields(Exercise)]
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in ["engagement_ptr_id", *(f.column for f in fields)])
    sql = f"INSERT INTO {quote(Exercise._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * (len(fields) + 1))})"  # noqa: S608
    params = [
        [pk, *(f.get_db_prep_save(own.get(f.name, f.get_default()), connection) for f in fields)] for pk, own in pairs
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 2000):
            cursor.executemany(sql, params[start : start + 2000])


def bench_import(rows: list[dict[str, str]], workdir: Path) -> dict[str, float]:
    """Import through the product against a bare bulk_create of the same rows."""
    from django.db import transaction
    from django.utils import timezone

    from comity.core.labels import label_from_marking
    from comity.engagements.importing import EXERCISE_COLUMNS, parse_file
    from comity.engagements.models import Engagement, EngagementParticipant
    from comity.engagements.services import exercises_import
    from comity.registry.models import Organisation, State

    path = workdir / "rows.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(EXERCISE_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)

    states = {s.iso3: s.pk for s in State.objects.all()}
    organisations = {o.code: o.pk for o in Organisation.objects.all()}
    labels = {marking: label_from_marking(marking).pk for marking in (*VISIBLE, *HIDDEN)}

    def bare() -> None:
        with transaction.atomic():
            bases = Engagement.objects.bulk_create(
                [
                    Engagement(
                        key=r["key"],
                        kind="exercise",
                        title=r["title"],
                        start_date=r["start_date"],
                        location=r["location"],
                        label_id=labels[r["label"]],
                        status="completed",
                        lead_organisation_id=organisations.get(r["lead"]),
                        lead_state_id=states.get(r["lead"]),
                        source=r["source"],
                    )
                    for r in rows
                ],
                batch_size=2000,
            )
            insert_exercise_rows(
                [(b.pk, {"series": r["series"], "domain": r["domain"]}) for b, r in zip(bases, rows, strict=True)],
            )
            EngagementParticipant.objects.bulk_create(
                (
                    EngagementParticipant(engagement_id=b.pk, state_id=states[code], role=role)
                    for b, r in zip(bases, rows, strict=True)
                    for role, codes in (("host", r["host"]), ("participant", r["participants"]))
                    for code in codes.split(";")
                    if code
                ),
                batch_size=2000,
            )

    bare_s = timed(bare)
    Engagement.objects.filter(key__startswith="bench-").delete()

    def product_import() -> None:
        report = exercises_import(acting_user=None, parsed=parse_file(path, timezone.localdate()))
        assert report.imported == len(rows), report.rejects[:3]

    product_s = timed(product_import)  # the imported rows stay for the list benchmark

    return {
        "import_rows_per_s": len(rows) / product_s,
        "bulk_create_rows_per_s": len(rows) / bare_s,
        "import_s": product_s,
        "bulk_create_s": bare_s,
    }


def bench_list(requests: int, seed: int) -> dict[str, float]:
    """The exercise list API with and without the label filter, same requests, same order."""
    from django.urls import resolve
    from rest_framework.test import APIRequestFactory, force_authenticate

    from comity.core.models import User
    from comity.engagements import selectors
    from comity.engagements.models import Exercise

    # The view set that serves the exercise list, whatever module builds it.
    ExerciseViewSet = resolve("/api/engagements/exercises/").func.cls  # noqa: N806

    class Unfiltered(ExerciseViewSet):  # type: ignore[valid-type,misc]
        def get_queryset(self):  # type: ignore[no-untyped-def]
            return selectors.with_list_relations(Exercise.objects.all())

    user = User.objects.get(username="bench")
    factory = APIRequestFactory()
    rng = random.Random(seed)
    queries = [
        {
            "year": str(2000 + rng.randrange(25)),
            "nation": rng.choice(["DEU", "NOR", "POL", "USA", "GBR"]),
            "offset": str(rng.randrange(3) * 100),
            "limit": "100",
        }
        for _ in range(requests)
    ]

    def run(view_class: Any) -> list[float]:
        view = view_class.as_view({"get": "list"})
        times = []
        for params in queries:
            request = factory.get("/api/engagements/exercises/", params, HTTP_HOST="127.0.0.1")
            force_authenticate(request, user=user)
            start = time.perf_counter()
            response = view(request)
            response.render()
            times.append(time.perf_counter() - start)
            assert response.status_code == 200
        return times

    run(ExerciseViewSet)  # warm caches the same way for both
    labelled, unlabelled = run(ExerciseViewSet), run(Unfiltered)

    def p(values: list[float], q: float) -> float:
        return statistics.quantiles(values, n=100)[int(q) - 1] * 1000

    return {
        "label_p50_ms": statistics.median(labelled) * 1000,
        "label_p95_ms": p(labelled, 95),
        "nolabel_p50_ms": statistics.median(unlabelled) * 1000,
        "nolabel_p95_ms": p(unlabelled, 95),
    }


def one_database(database: str, count: int, requests: int) -> dict[str, Any]:
    """Runs in its own process: set up Django on a throwaway database and measure."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from comity.core import services as core_services
    from comity.core.services import policies_load
    from comity.engagements.services import objectives_seed
    from comity.registry.selectors import group_members
    from comity.registry.services import registry_load

    policies_load(acting_user=None)
    registry_load(acting_user=None)
    objectives_seed(acting_user=None)
    user = core_services.user_create(acting_user=None, username="bench", nationality="NLD")
    core_services.user_set_clearance(acting_user=None, user=user, policy="NATO", level="RESTRICTED")
    from datetime import date

    members = sorted(group_members("NATO", date(2024, 6, 1)))
    rows = synthetic_rows(count, seed=7, members=members)
    with tempfile.TemporaryDirectory() as workdir:
        result = bench_import(rows, Path(workdir))
    # The list benchmark runs on the data the product imported (labels, change log and all).
    from comity.engagements.models import Engagement, EngagementParticipant

    result["engagements"] = Engagement.objects.count()
    result["participations"] = EngagementParticipant.objects.count()
    result.update(bench_list(requests, seed=11))
    result["database"] = database
    return result


def child(database: str, count: int, requests: int) -> dict[str, Any]:
    """Start one database's run in a fresh process with its own settings."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "comity.settings.base", "PYTHONPATH": str(ROOT / "src")}
    cleanup = None
    with tempfile.TemporaryDirectory() as data_dir:
        env["COMITY_DATA_DIR"] = data_dir
        if database == "sqlite":
            env["COMITY_DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
        else:
            import psycopg

            admin = os.environ.get("COMITY_BENCH_POSTGRES", "postgres://comity:comity@127.0.0.1:5432/postgres")
            name = f"comity_bench_{os.getpid()}"
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'CREATE DATABASE "{name}"')
            env["COMITY_DATABASE_URL"] = admin.rsplit("/", 1)[0] + "/" + name

            def cleanup() -> None:
                with psycopg.connect(admin, autocommit=True) as connection:
                    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        try:
            result = subprocess.run(
                [sys.executable, __file__, "--one", database, "--count", str(count), "--requests", str(requests)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            if cleanup is not None:
                cleanup()
    if result.returncode != 0:
        raise SystemExit(f"{database} run failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def report(results: list[dict[str, Any]]) -> None:
    print(
        f"\n{'database':<10} {'engagements':>11} {'participations':>14} "
        f"{'label p50':>10} {'p95':>8} {'no-label p50':>13} {'p95':>8} {'ratio p50':>10} {'ratio p95':>10}"
    )
    for r in results:
        print(
            f"{r['database']:<10} {r['engagements']:>11,} {r['participations']:>14,} "
            f"{r['label_p50_ms']:>8.1f}ms {r['label_p95_ms']:>6.1f}ms {r['nolabel_p50_ms']:>11.1f}ms "
            f"{r['nolabel_p95_ms']:>6.1f}ms {r['label_p50_ms'] / r['nolabel_p50_ms']:>9.2f}x "
            f"{r['label_p95_ms'] / r['nolabel_p95_ms']:>9.2f}x"
        )
    print("target: the labelled list within 2x of the unlabelled one\n")
    print(
        f"{'database':<10} {'import rows/s':>14} {'bulk_create rows/s':>19} {'ratio':>7} {'import s':>9} {'bulk s':>7}"
    )
    for r in results:
        print(
            f"{r['database']:<10} {r['import_rows_per_s']:>14,.0f} {r['bulk_create_rows_per_s']:>19,.0f} "
            f"{r['import_rows_per_s'] / r['bulk_create_rows_per_s']:>6.2f}x "
            f"{r['import_s']:>9.1f} {r['bulk_create_s']:>7.1f}"
        )
    print("target: the import at least 0.5x the rows per second of a bare bulk_create")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--count", type=int)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    count = args.count or (10_000 if args.quick else 100_000)
    if args.one:
        print(json.dumps(one_database(args.one, count, args.requests)))
        return
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = []
    for database in databases:
        results.append(child(database, count, args.requests))
        print(f"{database}: done", flush=True)
    report(results)


if __name__ == "__main__":
    main()
