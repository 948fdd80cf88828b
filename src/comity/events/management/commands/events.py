"""``comity events``: ingest event files and print dyadic series and tension alerts.

Output contracts other tools rely on (see ``docs/events.md``): ``ingest`` prints one JSON
object with ``read``, ``accepted``, ``rejected``, ``duplicates`` on stdout (a progress bar goes
to stderr, and only when stderr is a terminal); ``series --format csv`` prints the header
``period,source,target,events,goldstein_sum,goldstein_mean,verbal_coop,material_coop,
verbal_conflict,material_conflict``. Without ``--as`` the command acts as the system, which
sees every label.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

from comity.core.models import ConfidentialityLabel
from comity.events import selectors
from comity.events.analytics import FREQUENCIES, AlertRule
from comity.events.engines import ENGINES
from comity.events.readers import UnreadableFileError
from comity.events.schema import FORMATS
from comity.events.services import ingest_file


def _day(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} {text!r} is not a date (YYYY-MM-DD)") from None


@contextmanager
def _progress_bar(label: str) -> Iterator[Any]:
    """A byte progress bar on stderr when it is a terminal; otherwise no callback at all."""
    if not sys.stderr.isatty():
        yield None
        return
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


class Command(BaseCommand):
    help = "Event data: ingest GDELT/ICEWS/PLOVER files, dyadic series and tension alerts."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ingest = sub.add_parser("ingest", help="Ingest one event file into the store.")
        ingest.add_argument("path", type=Path)
        ingest.add_argument("--format", dest="fmt", choices=FORMATS, required=True)
        ingest.add_argument("--label", type=int, help="label id of the imported events (default: PUBLIC)")

        series = sub.add_parser("series", help="Directed dyadic series per period.")
        series.add_argument("--source", required=True, help="ISO3 code or group (NATO, EU, PFP, ...)")
        series.add_argument("--target", required=True, help="ISO3 code or group")
        self._common(series)
        series.add_argument("--from", dest="start", help="first day, YYYY-MM-DD (inclusive)")
        series.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (inclusive)")
        series.add_argument("--root-only", action="store_true", help="count GDELT root events only")
        series.add_argument("--format", dest="output", choices=["csv", "json"], default="csv")

        alerts = sub.add_parser("alerts", help="Top tension alerts (conflict above the trailing baseline).")
        alerts.add_argument("--dyad", action="append", metavar="SOURCE:TARGET", help="repeatable; default all")
        self._common(alerts)
        alerts.add_argument("--metric", choices=["count", "share"], default="count")
        alerts.add_argument("--window", type=int, default=AlertRule.window)
        alerts.add_argument("--z", type=float, default=AlertRule.z_threshold)
        alerts.add_argument("--min-std", type=float, help="std floor (default 1 for count, 0.05 for share)")
        alerts.add_argument("--min-conflict", type=int, default=AlertRule.min_conflict)
        alerts.add_argument("--limit", type=int, default=20)
        alerts.add_argument("--format", dest="output", choices=["csv", "json"], default="csv")

    @staticmethod
    def _common(parser: CommandParser) -> None:
        parser.add_argument("--freq", choices=list(FREQUENCIES), default="month")
        parser.add_argument("--engine", choices=ENGINES, default="duckdb")
        parser.add_argument("--as", dest="username", help="apply this user's label visibility")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "ingest":
            self._ingest(options)
            return
        user = self._user(options["username"])
        if action == "series":
            table = selectors.dyad_series(
                user,
                options["source"],
                options["target"],
                options["freq"],
                _day(options["start"], "--from"),
                _day(options["end"], "--to"),
                engine=options["engine"],
                root_only=options["root_only"],
            )
        else:
            table = self._alerts(user, options)
        self._emit(table, options["output"])

    def _ingest(self, options: dict[str, Any]) -> None:
        label_id = options["label"]
        if label_id is None:
            from comity.core.labels import public_label

            label_id = public_label().pk
        elif not ConfidentialityLabel.objects.filter(pk=label_id).exists():
            # Events under a label that does not exist would be invisible to everyone and show
            # no marking: refuse before reading anything.
            raise CommandError(f"cannot ingest: --label {label_id} is not the id of a label (nothing ingested)")
        with _progress_bar(options["path"].name) as progress:
            try:
                report = ingest_file(options["path"], options["fmt"], label_id=label_id, progress=progress)
            except UnreadableFileError as exc:
                raise CommandError(f"cannot ingest: {exc}") from exc
        if report.rejects_file:
            self.stderr.write(f"{report.rejected} rows quarantined in {report.rejects_file}")
        self.stdout.write(json.dumps(report.counts()))

    def _alerts(self, user: Any, options: dict[str, Any]) -> pa.Table:
        dyads = []
        for text in options["dyad"] or []:
            source, sep, target = text.partition(":")
            if not sep or not source or not target:
                raise CommandError(f"--dyad {text!r} must be SOURCE:TARGET")
            dyads.append((source, target))
        try:
            rule = AlertRule(
                options["metric"], options["window"], options["z"], options["min_std"], options["min_conflict"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        return selectors.tension_alerts(
            user, options["freq"], dyads or None, rule, engine=options["engine"], limit=options["limit"]
        )

    @staticmethod
    def _user(username: str | None) -> Any:
        if username is None:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        return user

    def _emit(self, table: pa.Table, output: str) -> None:
        if output == "json":
            self.stdout.write(json.dumps(table.to_pylist()))
            return
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(table.column_names)
        writer.writerows(
            ["" if v is None else repr(v) if isinstance(v, float) else v for v in row.values()]
            for row in table.to_pylist()
        )
