"""``comity demo``: demo users of different nations and clearances, and demo labelled records."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from comity.core.demo import DEMO_PASSWORD, demo_users
from comity.core.steps import demo_steps_run


class Command(BaseCommand):
    help = "Create the demo users and labelled demo records (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        # Each installed app adds its own demo records, in INSTALLED_APPS order (see core.steps).
        for line in demo_steps_run():
            self.stdout.write(line)
        self.stdout.write(f"Demo users (password for all: {DEMO_PASSWORD}):")
        for user in demo_users():
            self.stdout.write(f"  {user.username:<14} {user.nationality}  {user.first_name}")
