"""``comity assess``: the assessment indicators on the command line.

``comity assess burden --year 2019 --format csv`` prints
``iso3,defence_share_gdp,equipment_share,meets_2pct,meets_20pct``, one row per Ally with a NATO
figure that year (an empty cell: no figure); ``--format json`` prints the API's answer, every
figure with its provenance. A bad or uncovered year exits with 2 and a message, like a bad option.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from comity.assessment import selectors
from comity.assessment.api.serializers import BurdenQuerySerializer, burden_answer
from comity.assessment.burden import BurdenRow, Figure

USAGE_ERROR = 2
CSV_COLUMNS = ("iso3", "defence_share_gdp", "equipment_share", "meets_2pct", "meets_20pct")


def _cell(value: Figure | bool | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value.value)


def _csv_row(row: BurdenRow) -> list[str]:
    return [row.iso3, *(_cell(getattr(row, column)) for column in CSV_COLUMNS[1:])]


class Command(BaseCommand):
    help = "Assessment indicators from public data (burden sharing)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="indicator", required=True)
        burden = sub.add_parser("burden", help="Defence expenditure against the 2% and 20% guidelines, per Ally.")
        burden.add_argument("--year", required=True, help="a year the shipped figures cover (2012 to 2024)")
        burden.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args: Any, **options: Any) -> None:
        query = BurdenQuerySerializer(data={"year": options["year"]})
        if not query.is_valid():
            message = "; ".join(str(error) for error in query.errors["year"])
            raise CommandError(f"--year {options['year']!r}: {message}", returncode=USAGE_ERROR)
        table = selectors.burden_table(query.validated_data["year"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(burden_answer(table), indent=2, ensure_ascii=False))
        else:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(CSV_COLUMNS)
            writer.writerows(_csv_row(row) for row in table.rows)
            self.stdout.write(buffer.getvalue(), ending="")
        self._caveats(table.rows)

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
