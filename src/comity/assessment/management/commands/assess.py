"""``comity assess``: the assessment indicators on the command line.

``comity assess burden --year 2019 --format csv`` prints
``iso3,defence_share_gdp,equipment_share,meets_2pct,meets_20pct``, one row per Ally with a NATO
figure that year (an empty cell: no figure); ``--format json`` prints the API's answer, every
figure with its provenance. A bad or uncovered year exits with 2 and a message, like a bad option.

``comity assess cohesion --year 2019 [--with RUS,CHN] --format csv`` prints
``first,second,votes,agreement,kappa,idealpoint_distance``: every pair of Allies that year, then
each Ally with each compared state (an empty cell: no votes in common, or no ideal point).

``comity assess report --year 2019 --as USERNAME --out FILE.pdf [--format pdf|html]`` writes the
annual assessment report built for that user (what they may see, labelled with the bound of it).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from comity.assessment import selectors
from comity.assessment.api.cohesion_serializers import CohesionQuerySerializer, cohesion_answer
from comity.assessment.api.serializers import BurdenQuerySerializer, burden_answer
from comity.assessment.burden import BurdenRow, Figure
from comity.assessment.cohesion import PairScore
from comity.assessment.cohesion_selectors import cohesion_table
from comity.assessment.report import build_report
from comity.assessment.report_pdf import report_html, report_pdf
from comity.assessment.report_views import ReportQuerySerializer
from comity.core.models import User

USAGE_ERROR = 2
CSV_COLUMNS = ("iso3", "defence_share_gdp", "equipment_share", "meets_2pct", "meets_20pct")
COHESION_COLUMNS = ("first", "second", "votes", "agreement", "kappa", "idealpoint_distance")


def _cell(value: Figure | bool | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value.value)


def _csv_row(row: BurdenRow) -> list[str]:
    return [row.iso3, *(_cell(getattr(row, column)) for column in CSV_COLUMNS[1:])]


def _cohesion_row(score: PairScore) -> list[str]:
    values = [getattr(score, column) for column in COHESION_COLUMNS]
    return ["" if value is None else str(value) if isinstance(value, (str, int)) else repr(value) for value in values]


def _csv(header: tuple[str, ...], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


class Command(BaseCommand):
    help = "Assessment indicators (burden sharing, political cohesion) and the annual assessment report."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="indicator", required=True)
        burden = sub.add_parser("burden", help="Defence expenditure against the 2% and 20% guidelines, per Ally.")
        burden.add_argument("--year", required=True, help="a year the shipped figures cover (2012 to 2024)")
        burden.add_argument("--format", choices=["csv", "json"], default="csv")
        cohesion = sub.add_parser("cohesion", help="Agreement in UN General Assembly votes among the Allies.")
        cohesion.add_argument("--year", required=True, help="a session-year of the shipped roll calls (2000 to 2019)")
        cohesion.add_argument("--with", dest="others", help="comma-separated ISO alpha-3 codes to compare (RUS,CHN)")
        cohesion.add_argument("--format", choices=["csv", "json"], default="csv")
        report = sub.add_parser("report", help="The annual assessment report, built for one user, as PDF or HTML.")
        report.add_argument("--year", required=True, help="a year of the report (2012 to 2019)")
        report.add_argument("--as", dest="username", required=True, help="the user the report is built for")
        report.add_argument("--out", required=True, help="the file to write")
        report.add_argument("--format", choices=["pdf", "html"], default="pdf")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["indicator"] == "cohesion":
            self._cohesion(options)
            return
        if options["indicator"] == "report":
            self._report(options)
            return
        query = BurdenQuerySerializer(data={"year": options["year"]})
        if not query.is_valid():
            message = "; ".join(str(error) for error in query.errors["year"])
            raise CommandError(f"--year {options['year']!r}: {message}", returncode=USAGE_ERROR)
        table = selectors.burden_table(query.validated_data["year"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(burden_answer(table), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(_csv(CSV_COLUMNS, [_csv_row(row) for row in table.rows]), ending="")
        self._caveats(table.rows)

    def _cohesion(self, options: dict[str, Any]) -> None:
        data = {"year": options["year"]}
        if options["others"]:
            data["with"] = options["others"]
        query = CohesionQuerySerializer(data=data)
        if not query.is_valid():
            message = "; ".join(f"--{field}: {error}" for field, errors in query.errors.items() for error in errors)
            raise CommandError(message, returncode=USAGE_ERROR)
        table = cohesion_table(query.validated_data["year"], query.validated_data["others"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(cohesion_answer(table), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(_csv(COHESION_COLUMNS, [_cohesion_row(score) for score in table.pairs]), ending="")

    def _report(self, options: dict[str, Any]) -> None:
        query = ReportQuerySerializer(data={"year": options["year"]})
        if not query.is_valid():
            raise CommandError(f"--year {options['year']!r}: {query.errors['year'][0]}", returncode=USAGE_ERROR)
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"--as {options['username']!r}: no active user of that name", returncode=USAGE_ERROR)
        report = build_report(user, query.validated_data["year"])
        body = report_pdf(report) if options["format"] == "pdf" else report_html(report).encode()
        out = Path(options["out"])
        try:
            out.write_bytes(body)
        except OSError as exc:
            raise CommandError(f"--out {str(out)!r}: {exc.strerror}") from exc
        summary = {"out": str(out), "year": report.year, "label": report.marking, "bytes": len(body)}
        self.stdout.write(json.dumps(summary))

    def _caveats(self, rows: list[BurdenRow]) -> None:
        """On stderr, so the CSV stays the contract: how many figures are estimates or unverified."""
        figures = [f for row in rows for f in (row.defence_share_gdp, row.equipment_share) if f is not None]
        estimates = sum(f.provenance.estimate for f in figures)
        unverified = sum(not f.provenance.verified for f in figures)
        if estimates or unverified:
            self.stderr.write(
                f"{estimates} of {len(figures)} NATO figures are estimates and {unverified} are unverified "
                "(--format json gives each figure's provenance; docs/assessment.md explains)"
            )
