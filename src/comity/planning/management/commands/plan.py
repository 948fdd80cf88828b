"""``comity plan rotations INPUT.json`` and ``comity plan calendar INPUT.json``: the plan as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from comity.planning.solvers import PLANNERS, InputError


class Command(BaseCommand):
    help = "Plan air-policing rotations or an exercise calendar from a JSON input file; prints the plan as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        sub.add_parser("rotations", help="Air-policing rotations.").add_argument("input", type=Path, help="INPUT.json")
        sub.add_parser("calendar", help="Exercise calendar.").add_argument("input", type=Path, help="INPUT.json")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["input"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{path} is not valid JSON: {exc}") from exc
        try:
            result = PLANNERS[options["kind"]](data)
        except InputError as exc:
            raise CommandError(f"{path}: " + "; ".join(exc.errors.values())) from exc
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
