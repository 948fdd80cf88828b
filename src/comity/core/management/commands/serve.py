"""``comity serve [--port N]``: serve the desk on this machine."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve comity (static files included) on 127.0.0.1. Behind a proxy, run comity.wsgi in gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False)
