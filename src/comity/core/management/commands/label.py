"""``comity label``: read a STANAG 4774 label (or a 4778 binding) from a file.

``comity label marking FILE.xml [--lang en|fr]`` prints its display marking on one line, as the
policy's SPIF writes it; ``comity label validate FILE.xml`` exits 0 when the label is valid
under its policy (the same check every stored label passes, ``core.labels.validate_spec``) and
exits 1 with the reason on standard error otherwise. A file that cannot be read, is not XML or
is not a label is exit 1 with the reason too, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from comity.core.access import LabelSpec
from comity.core.label_xml import LabelXMLError, from_xml
from comity.core.labels import LabelError, validate_spec
from comity.core.markings import LANGUAGES, display_marking
from comity.core.models import Classification

#: A label is a few hundred bytes; a binding with its metadata a few kilobytes.
MAX_BYTES = 1 << 20


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"{path}: larger than {MAX_BYTES} bytes, not a label file")
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _ranks() -> dict[tuple[str, str], int]:
    try:
        return {(p, c): r for p, c, r in Classification.objects.values_list("policy__name", "name", "rank")}
    except DatabaseError as exc:
        raise CommandError(f"the security policies are not loaded ({exc}); run `comity setup` first") from exc


def label_from_file(path: Path) -> LabelSpec:
    """The label a file holds, or a ``CommandError`` saying why there is none."""
    data = _read(path)
    try:
        return from_xml(data, rank_of=_ranks())
    except LabelXMLError as exc:
        raise CommandError(f"{path}: {exc}") from exc


class Command(BaseCommand):
    help = "Read a STANAG 4774 label or 4778 binding: print its marking, or check it against its policy."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        marking = sub.add_parser("marking", help="Print the label's display marking on one line.")
        marking.add_argument("file", type=Path)
        marking.add_argument("--lang", choices=LANGUAGES, default="en")
        validate = sub.add_parser("validate", help="Exit 0 if the label is valid under its policy, else 1.")
        validate.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        spec = label_from_file(options["file"])
        if options["action"] == "marking":
            self.stdout.write(display_marking(spec, options["lang"]))
            return
        try:
            validate_spec(spec)
        except LabelError as exc:
            raise CommandError(f"{options['file']}: {exc}") from exc
        self.stdout.write(f"valid: {display_marking(spec)}")
