"""``comity demo``: demo users of different nations and clearances, and demo labelled notes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from comity.core.demo import DEMO_PASSWORD, demo_events, demo_load


class Command(BaseCommand):
    help = "Create the demo users and labelled demo records (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        users = demo_load()
        self.stdout.write(demo_events())
        self.stdout.write(f"Demo users (password for all: {DEMO_PASSWORD}):")
        for user in users:
            self.stdout.write(f"  {user.username:<14} {user.nationality}  {user.first_name}")
