"""``comity setup``: migrate and load the shipped data; safe to re-run after an upgrade."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from comity.core.services import policies_load
from comity.engagements.loading import engagements_load
from comity.registry.loader import DataFileError
from comity.registry.services import registry_load


class Command(BaseCommand):
    help = "Migrate the database and load the shipped reference data (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=max(0, options["verbosity"] - 1))
        policies = policies_load(acting_user=None)
        self.stdout.write(f"security policies: {', '.join(policies)}")
        try:
            report = registry_load(acting_user=None)
        except DataFileError as exc:
            raise CommandError(str(exc)) from exc
        for model, counts in report.counts.items():
            summary = ", ".join(f"{k} {v}" for k, v in counts.items())
            self.stdout.write(f"{model}: {summary}")
        engagements = engagements_load()
        self.stdout.write(
            f"Engagements: imported {engagements.imported}, updated {engagements.updated}, "
            f"unchanged {engagements.unchanged}, rejected {len(engagements.rejects)}"
        )
        for reject in engagements.rejects:
            self.stderr.write(f"  exercises.csv line {reject.line}: {reject.reason}")
        self.stdout.write(self.style.SUCCESS("comity is set up."))
