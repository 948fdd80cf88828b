"""Bulk import (valid rows kept, rejects reported, re-runs change nothing) and exports."""

from __future__ import annotations

import io
import json
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max
from icalendar import Calendar

from comity.core.models import AuditEntry
from comity.core.testing.factories import make_user
from comity.engagements import exporting, selectors, services
from comity.engagements.bulk import NewRecord
from comity.engagements.importing import ImportFileError, parse_file, parse_text
from comity.engagements.loading import ENGAGEMENTS_DIR
from comity.engagements.models import Engagement, EngagementParticipant, Exercise

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)

HEADER = "key,title,start_date,end_date,lead,host,participants,domain,personnel,label,source\n"
GOOD = [
    "imp-a,Import test A,2018-10-25,2018-11-23,NATO,NOR,USA;DEU,joint,50000,PUBLIC,test input\n",
    'imp-b,Import test B,2022-03-14,2022-04-01,NOR,NOR,"FIN;SWE",land,,NATO RESTRICTED REL TO NATO,test input\n',
]
BAD = [
    "imp-c,Bad date,2018-13-01,,NATO,,,joint,,PUBLIC,test input\n",
    "imp-d,Unknown state,2018-01-01,,NATO,XXX,,joint,,PUBLIC,test input\n",
    "Imp E,Bad key,2018-01-01,,NATO,,,joint,,PUBLIC,test input\n",
    "imp-f,Ends first,2018-02-01,2018-01-01,NATO,,,joint,,PUBLIC,test input\n",
    "imp-a,Repeated key,2018-01-01,,NATO,,,joint,,PUBLIC,test input\n",
    "imp-g,Bad label,2018-01-01,,NATO,,,joint,,NATO ULTRA,test input\n",
    "imp-h,Bad domain,2018-01-01,,NATO,,,underwater,,PUBLIC,test input\n",
]


def write(tmp_path: Path, lines: list[str], name: str = "exercises.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def run_import(path: Path, *extra: str, kind: str = "exercise") -> dict[str, Any]:
    """The command's JSON; an import with rejects must also fail with status 2 and a summary."""
    out = StringIO()
    failure: CommandError | None = None
    try:
        call_command("engagements", "import", str(path), "--kind", kind, *extra, stdout=out)
    except CommandError as exc:
        if exc.returncode != 2 or not out.getvalue():
            raise
        failure = exc
    result = json.loads(out.getvalue())
    if result["rejected"]:
        assert failure is not None and str(failure).startswith(f"{result['rejected']} rows rejected")
    else:
        assert failure is None
    return result


def test_valid_rows_are_kept_and_every_reject_has_line_and_reason(tmp_path: Path) -> None:
    result = run_import(write(tmp_path, GOOD + BAD))
    assert (result["imported"], result["updated"], result["rejected"]) == (2, 0, 7)
    reasons = {r["line"]: r["reason"] for r in result["rejects"]}
    assert "not a date" in reasons[4]
    assert "XXX" in reasons[5]
    assert "lower-case" in reasons[6]
    assert "before start_date" in reasons[7]
    assert "repeats line 2" in reasons[8]
    assert "unknown classification marking" in reasons[9]
    assert "underwater" in reasons[10]
    exercise = Exercise.objects.get(key="imp-a")
    assert exercise.lead == "NATO" and exercise.status == "completed"
    assert {(p.state.iso3, p.role) for p in exercise.participants.all()} == {
        ("NOR", "host"),
        ("USA", "participant"),
        ("DEU", "participant"),
    }


def test_re_running_the_same_file_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + BAD)
    run_import(path)
    entries = AuditEntry.objects.count()
    again = run_import(path)
    assert (again["imported"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert AuditEntry.objects.count() == entries


def test_a_changed_row_updates_by_natural_key(tmp_path: Path) -> None:
    run_import(write(tmp_path, GOOD))
    changed = [GOOD[0].replace("USA;DEU", "USA;DEU;POL")]
    result = run_import(write(tmp_path, changed))
    assert result["updated"] == 1
    assert Exercise.objects.get(key="imp-a").participants.count() == 4


def _written(keys: list[str], after_entry: int) -> dict[str, Any]:
    """What an import wrote for ``keys``, with the ids and times that differ between runs checked
    against the records and then set aside."""
    records = {e.pk: e for e in Exercise.objects.filter(key__in=keys)}
    stamp = DjangoJSONEncoder().default

    def own(values: dict[str, Any], record: Exercise) -> dict[str, Any]:
        assert values.pop("id") == values.pop("engagement_ptr_id") == record.pk
        assert values.pop("created") in (record.created, stamp(record.created))
        assert values.pop("updated") in (record.updated, stamp(record.updated))
        return values

    entries = []
    for entry in AuditEntry.objects.filter(pk__gt=after_entry).select_related("content_type").order_by("pk"):
        record = records[int(entry.object_id)]
        entries.append(
            (
                record.key,
                entry.action,
                entry.content_type.model,
                entry.object_repr,
                entry.label_id,
                entry.user_id,
                entry.username,
                entry.before,
                own(dict(entry.after), record),
            )
        )
    by_key = {e.key: e for e in records.values()}
    rows = Exercise.objects.filter(key__in=keys).order_by("key").values()
    return {
        "records": [own(values, by_key[values["key"]]) for values in rows],
        "participants": sorted(
            EngagementParticipant.objects.filter(engagement__key__in=keys).values_list(
                "engagement__key", "state__iso3", "role", "personnel", "platforms"
            )
        ),
        "objectives": sorted(
            Engagement.objectives.through.objects.filter(engagement__key__in=keys).values_list(
                "engagement__key", "objective__code"
            )
        ),
        "entries": entries,
    }


def test_the_bulk_path_writes_what_creating_one_record_at_a_time_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """New keys go in bulk (COPY on PostgreSQL, executemany on SQLite); the result, change log
    included, is the same as the ORM's own create and ``audit_create`` per record, on each database."""
    importer = make_user("NLD", "RESTRICTED", username="importer", roles=("editor",))
    parsed = parse_file(ENGAGEMENTS_DIR / "exercises.csv", TODAY)
    keys = [row.key for row in parsed.rows]

    def import_anew() -> dict[str, Any]:
        Engagement.objects.filter(key__in=keys).delete()  # the shipped copy loaded at set-up, or the last run
        last = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
        report = services.exercises_import(acting_user=importer, parsed=parsed)
        assert (report.imported, report.rejects) == (len(keys), [])
        return _written(keys, last)

    in_bulk = import_anew()

    def one_at_a_time(*, model: type[Engagement], records: list[NewRecord], acting_user: Any) -> None:
        for r in records:
            services.engagement_upsert(
                model=model,
                key=r.key,
                values=r.values,
                participants=r.participants,
                objectives=r.objectives,
                acting_user=acting_user,
                report=services.ImportReport(),
            )

    monkeypatch.setattr(services, "bulk_create_engagements", one_at_a_time)
    one_by_one = import_anew()
    assert len(in_bulk["records"]) == len(in_bulk["entries"]) == len(keys) > 50
    public = in_bulk["records"][0]["label_id"]
    described = {entry[1:7] for entry in in_bulk["entries"]}
    assert ("create", "exercise", "Trident Juncture 2018 (TRJE18)", public, importer.pk, "importer") in described
    assert len(in_bulk["participants"]) > 500 and in_bulk["objectives"]
    assert in_bulk == one_by_one


def test_json_import(tmp_path: Path) -> None:
    path = tmp_path / "rows.json"
    path.write_text(json.dumps([{"key": "imp-json", "title": "JSON row", "participants": ["FIN", "SWE"]}, "oops"]))
    result = run_import(path)
    assert (result["imported"], result["rejected"]) == (1, 1)


def test_a_user_cannot_assign_a_label_above_their_own(tmp_path: Path) -> None:
    make_user("FIN", "RESTRICTED", username="importer")
    secret = ["imp-s,Too high,2018-01-01,,NATO,,,joint,,NATO SECRET,test input\n"]
    result = run_import(write(tmp_path, secret), "--as", "importer")
    assert result["rejected"] == 1 and "above what you may see" in result["rejects"][0]["reason"]


def test_unreadable_files_fail_clearly(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="unknown columns"):
        parse_text("key,title,colour\n", ".csv", TODAY)
    with pytest.raises(ImportFileError, match="not valid JSON"):
        parse_text("{", ".json", TODAY)
    spreadsheet = tmp_path / "x.xlsx"
    spreadsheet.write_text("x")
    with pytest.raises(ImportFileError, match=r"use a \.csv or \.json"):
        parse_file(spreadsheet, TODAY)
    with pytest.raises(CommandError, match="cannot read"):
        run_import(tmp_path / "missing.csv")


def test_export_shows_only_what_the_user_may_see_and_round_trips(tmp_path: Path) -> None:
    run_import(write(tmp_path, GOOD))
    make_user("AUT", None, username="outsider")
    make_user("NLD", "RESTRICTED", username="ally")

    def export(user: str, fmt: str = "csv") -> str:
        out = StringIO()
        call_command("engagements", "export", "--kind", "exercise", "--format", fmt, "--as", user, stdout=out)
        return out.getvalue()

    assert "imp-b" not in export("outsider") and "imp-a" in export("outsider")
    ally_csv = export("ally")
    assert "imp-b" in ally_csv
    Exercise.objects.filter(key__in=["imp-a", "imp-b"]).delete()
    again = tmp_path / "again.csv"
    again.write_text(ally_csv, encoding="utf-8")
    assert run_import(again)["imported"] == 2
    assert export("ally") == ally_csv
    assert "imp-a" in {row["key"] for row in json.loads(export("ally", "json"))}


def test_parquet_and_icalendar_exports(tmp_path: Path) -> None:
    run_import(write(tmp_path, GOOD))
    user = make_user("NLD", "RESTRICTED")
    rows = selectors.exercises_visible(user).filter(key__startswith="imp-").order_by("key")
    table = pq.read_table(io.BytesIO(exporting.export(rows, "parquet")))
    assert table.column("key").to_pylist() == ["imp-a", "imp-b"]
    calendar = Calendar.from_ical(exporting.export(rows, "ics"))
    summaries = [str(e.get("summary")) for e in calendar.walk("VEVENT")]
    assert summaries == ["Import test A", "Import test B"]


ATTACHE_CSV = (
    "key,title,start_date,end_date,participants,label,source,sending_state,host_state,service,resident,embassy_state\n"
    "att-a,Test attaché A,2031-01-01,,GEO,NATO RESTRICTED REL TO NATO,test input,NLD,GEO,army,no,TUR\n"
    "att-b,Test attaché B,2031-01-01,,,PUBLIC,test input,NLD,XXX,army,yes,\n"
    "att-c,Test attaché C,2031-01-01,,,PUBLIC,test input,NLD,GEO,cavalry,yes,\n"
    "att-d,Test attaché D,2031-01-01,,,PUBLIC,test input,NLD,GEO,navy,maybe,\n"
    "att-e,Test attaché E,2031-01-01,,,PUBLIC,test input,,GEO,navy,yes,\n"
)


def test_other_kinds_import_idempotently_and_export_back(tmp_path: Path) -> None:
    path = tmp_path / "attaches.csv"
    path.write_text(ATTACHE_CSV, encoding="utf-8")

    def run(*args: str) -> str:
        out = StringIO()
        call_command("engagements", *args, stdout=out)
        return out.getvalue()

    result = run_import(path, kind="attache")
    assert (result["imported"], result["rejected"]) == (1, 4)
    reasons = {r["line"]: r["reason"] for r in result["rejects"]}
    assert "XXX" in reasons[3] and "cavalry" in reasons[4] and "yes or no" in reasons[5]
    assert "sending_state is empty" in reasons[6]
    assert run_import(path, kind="attache")["unchanged"] == 1
    make_user("NLD", "RESTRICTED", username="attache-reader")
    make_user("AUT", None, username="attache-outsider")
    exported = run("export", "--kind", "attache", "--format", "csv", "--as", "attache-reader")
    # The import columns keep their order; the names as of the record's date follow them.
    header = exported.splitlines()[0]
    assert ",notes,sending_state,host_state,service,resident,embassy_state,lead_name_as_of," in header
    assert header.endswith("sending_state_name_as_of,host_state_name_as_of,embassy_state_name_as_of")
    assert "att-a" in exported and ",NLD,GEO,army,no,TUR" in exported
    assert "att-a" not in run("export", "--kind", "attache", "--format", "csv", "--as", "attache-outsider")
    from comity.engagements.models import AttacheAccreditation

    AttacheAccreditation.objects.filter(key="att-a").delete()
    again = tmp_path / "again.csv"
    again.write_text(exported, encoding="utf-8")
    assert json.loads(run("import", str(again), "--kind", "attache"))["imported"] == 1
    assert run("export", "--kind", "attache", "--format", "csv", "--as", "attache-reader") == exported
