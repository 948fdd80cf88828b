"""``comity engagements``: import and export engagement records (CLI contracts kept exactly).

``comity engagements import FILE --kind exercise`` prints one JSON object with ``imported``,
``updated``, ``rejected`` (plus ``unchanged`` and the ``rejects`` with line, field and reason) and
keeps the valid rows; when some rows were rejected it also prints a summary on standard error and
exits with status 2 (1: the file could not be read at all, nothing imported).
``comity engagements export --kind exercise --format csv --as USERNAME`` writes what that user may
see to standard output.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from comity.core.models import User
from comity.engagements import exporting, selectors, services
from comity.engagements.importing import ImportFileError, parse_file
from comity.engagements.kinds import KIND_MODELS

#: The exit status of an import that kept its valid rows but rejected others.
REJECTS_STATUS = 2
#: Rejects listed in the summary on standard error (the JSON on standard output has them all).
SUMMARY_LINES = 20


def _summary(report: services.ImportReport) -> str:
    """The rejects for a person reading the terminal: one per line, field first."""
    rejects = report.as_dict()["rejects"]
    lines = [
        f"line {r['line']}{' ' + r['field'] if r['field'] else ''}: {r['reason']}" for r in rejects[:SUMMARY_LINES]
    ]
    if len(rejects) > SUMMARY_LINES:
        lines.append(f"... and {len(rejects) - SUMMARY_LINES} more (see the JSON on standard output)")
    kept = report.imported + report.updated + report.unchanged
    return "\n".join([f"{len(rejects)} rows rejected, {kept} rows kept:", *lines])


#: Kinds that import and export (``exercise`` keeps its documented column contract).
KINDS = ("exercise", "agreement", "training", "meeting", "attache", "cbm")


class Command(BaseCommand):
    help = "Import and export engagements."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        importer = sub.add_parser("import", help="Import a CSV or JSON file (valid rows kept, rejects reported).")
        importer.add_argument("file", type=Path)
        importer.add_argument("--kind", choices=KINDS, required=True)
        importer.add_argument("--as", dest="username", help="Import as this user (default: the system)")
        exporter = sub.add_parser("export", help="Export what a user may see to standard output.")
        exporter.add_argument("--kind", choices=KINDS, required=True)
        exporter.add_argument("--format", choices=exporting.FORMATS, default="csv")
        exporter.add_argument("--as", dest="username", required=True, help="Export what this user may see")

    def _user(self, username: str | None) -> User | None:
        if username is None:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        return user

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options["username"])
        if options["action"] == "import":
            try:
                parsed = parse_file(options["file"], timezone.localdate(), options["kind"])
            except ImportFileError as exc:
                raise CommandError(str(exc)) from exc
            report = services.engagements_import(acting_user=user, kind=options["kind"], parsed=parsed)
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            if report.rejects:
                raise CommandError(_summary(report), returncode=REJECTS_STATUS)
            return
        assert user is not None
        kind = options["kind"]
        visible = selectors.kind_visible(user, KIND_MODELS[kind])
        data = exporting.export(visible.order_by("start_date", "key"), options["format"], kind)
        if options["format"] in {"csv", "json"}:
            self.stdout.write(data.decode(), ending="")
        else:
            self.stdout.flush()
            sys.stdout.buffer.write(data)
