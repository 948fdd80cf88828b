"""``comity registry``: members and partners on a date, and (re)loading the shipped data."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from comity.registry import selectors
from comity.registry.loader import DataFileError
from comity.registry.models import PartnershipFramework
from comity.registry.services import registry_load


def _day(text: str | None) -> date:
    if not text:
        return timezone.localdate()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--on {text!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Registry queries with time travel (members, partners) and data loading."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        members = sub.add_parser("members", help="Members of an organisation on a date.")
        members.add_argument("organisation", help="e.g. NATO or EU")
        members.add_argument("--on", help="YYYY-MM-DD (default today)")
        members.add_argument("--format", choices=["json", "csv", "table"], default="table")
        partners = sub.add_parser("partners", help="Participants of a partnership framework on a date.")
        partners.add_argument("--framework", required=True, help="PFP, MD, ICI or PATG")
        partners.add_argument("--on", help="YYYY-MM-DD (default today)")
        partners.add_argument("--format", choices=["json", "csv", "table"], default="table")
        sub.add_parser("load", help="Load or refresh the shipped registry data.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "load":
            try:
                report = registry_load(acting_user=None)
            except DataFileError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(json.dumps(report.counts, indent=2))
            return
        day = _day(options["on"])
        if action == "members":
            organisation = options["organisation"]
            if selectors.organisation_or_none(organisation) is None:
                raise CommandError(f"unknown organisation {organisation!r}")
            wanted = "member"
        else:
            code = options["framework"].upper()
            framework = PartnershipFramework.objects.filter(code=code).select_related("organisation").first()
            if framework is None:
                raise CommandError(f"unknown framework {code!r} (PFP, MD, ICI, PATG)")
            organisation, wanted = framework.organisation.code, code
        # Each state as it was named (and COW-coded) on the date asked, its start as precise as its source.
        rows = [
            {
                "iso3": s.iso3,
                "name": s.name,
                "cow_code": s.cow_code,
                "joined": s.joined_text,
                **({"joined_precision": s.joined_precision} if wanted != "member" else {}),
                "note": s.note,
            }
            for s in selectors.states_on(organisation, day)
            if s.status == wanted
        ]
        self._emit(rows, options["format"])

    def _emit(self, rows: list[dict[str, Any]], fmt: str) -> None:
        if fmt == "json":
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
        elif fmt == "csv":
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["iso3", "name", "joined"])
            writer.writeheader()
            writer.writerows(rows)
            self.stdout.write(buffer.getvalue(), ending="")
        else:
            for row in rows:
                self.stdout.write(f"{row['iso3']}  {row['joined'] or '?':<10}  {row['name']}")
            self.stdout.write(f"{len(rows)} state(s)")
