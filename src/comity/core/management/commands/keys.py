"""``comity keys``: the master keys of encryption at rest (docs/crypto.md).

comity keys status --format json     # {"keys": [{"id", "active", "held", "wraps"}], "total": N}
comity keys rotate                   # a new master key, every data key re-wrapped (resumes if cut short)
comity keys rotate --batch-size 200 --max-batches 1
comity keys prune                    # drop old master keys that wrap nothing any more
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from comity.core.attachments.sealing import attachments_seal_existing
from comity.core.crypto.errors import CryptoError
from comity.core.crypto.rotation import BATCH_SIZE, key_status, prune, rotate


def _positive(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError(raw)
    return value


class Command(BaseCommand):
    help = "Master keys of encryption at rest: status, rotate, prune, seal-attachments."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        status = sub.add_parser("status", help="How many data keys each master key wraps.")
        status.add_argument("--format", choices=["json", "text"], default="text")
        turn = sub.add_parser("rotate", help="Introduce a new master key and re-wrap every data key under it.")
        turn.add_argument("--batch-size", type=_positive, default=BATCH_SIZE, help="data keys per transaction")
        turn.add_argument("--max-batches", type=_positive, help="stop after this many batches (run again to resume)")
        sub.add_parser("prune", help="Drop master keys that are not active and wrap no data key.")
        sub.add_parser("seal-attachments", help="Seal the files of attachments stored before sealing (JSON counts).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "status":
                self._status(options["format"])
            elif options["action"] == "rotate":
                report = rotate(batch_size=options["batch_size"], max_batches=options["max_batches"])
                verb = "started" if report.started else "resumed"
                self.stdout.write(
                    f"rotation {verb} under {report.master_key_id}: {report.rewrapped} data keys re-wrapped "
                    f"in {report.batches} batches, {report.remaining} left"
                    + ("" if report.complete else " (run `comity keys rotate` again to finish)")
                )
            elif options["action"] == "seal-attachments":
                self.stdout.write(json.dumps(attachments_seal_existing()))
            else:
                dropped = prune()
                self.stdout.write(f"dropped {', '.join(dropped)}" if dropped else "no master key to drop")
        except CryptoError as exc:
            raise CommandError(str(exc)) from exc

    def _status(self, form: str) -> None:
        status = key_status()
        if form == "json":
            self.stdout.write(json.dumps(status))
            return
        for key in status["keys"]:  # type: ignore[attr-defined]
            flags = ("active" if key["active"] else "old") + ("" if key["held"] else ", NOT HELD: unreadable")
            self.stdout.write(f"{key['id']}  {key['wraps']:>8} data keys  ({flags})")
        self.stdout.write(f"total {status['total']}")
