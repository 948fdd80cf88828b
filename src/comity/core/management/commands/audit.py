"""``comity audit``: check the change log, export its signed tree heads, prove an entry.

``verify [--heads FILE]`` prints one JSON object (``entries``, ``ok``, and on failure
``first_bad``) and exits 0 when the log is intact, 1 when not; ``heads --out FILE`` signs a head
over the log as it is now and writes every head with the public key (JSON); ``prove ENTRY_ID``
prints the entry's inclusion proof against the latest head.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from comity.core.audit_heads import heads_export, inclusion_proof_for, tree_head_sign
from comity.core.audit_verify import verify
from comity.core.models import AuditEntry


class Command(BaseCommand):
    help = "The tamper-evident change log: verify, heads, prove."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("verify", help="Check the chain and the tree; exit 1 at the first fault.")
        check.add_argument("--heads", type=Path, help="Tree heads exported earlier (comity audit heads --out)")
        heads = sub.add_parser("heads", help="Sign a tree head now and export every head (JSON).")
        heads.add_argument("--out", type=Path, required=True)
        prove = sub.add_parser("prove", help="Print an entry's inclusion proof against the latest head.")
        prove.add_argument("entry_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "verify":
            try:
                report = verify(_read_heads(options["heads"]) if options["heads"] else None)
            except ValueError as exc:  # an exported file that is not one
                raise CommandError(f"cannot use the tree heads in {options['heads']}: {exc}") from None
            self.stdout.write(json.dumps(report))
            if not report["ok"]:
                sys.exit(1)
        elif action == "heads":
            tree_head_sign()
            document = heads_export()
            options["out"].write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
            self.stdout.write(json.dumps({"heads": len(document["heads"]), "out": str(options["out"])}))
        else:
            entry = AuditEntry.objects.filter(pk=options["entry_id"]).first()
            if entry is None:
                raise CommandError(f"no change-log entry {options['entry_id']}")
            self.stdout.write(json.dumps(inclusion_proof_for(entry)))


def _read_heads(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CommandError(f"cannot read tree heads from {path}: {exc}") from None
