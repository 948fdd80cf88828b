"""``comity setup``: migrate and load the shipped data; safe to re-run after an upgrade."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from comity.core.steps import shipped_data_load


class Command(BaseCommand):
    help = "Migrate the database and load the shipped reference data (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=max(0, options["verbosity"] - 1))
        # Each installed app loads its own data, in INSTALLED_APPS order (see core.steps).
        shipped_data_load(say=self.stdout.write, warn=self.stderr.write)
        self.stdout.write(self.style.SUCCESS("comity is set up."))
