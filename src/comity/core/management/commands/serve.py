"""``comity serve [--host H] [--port N] [--workers N]``: serve the desk.

Two servers behind one command. With no workers (the embedded default, ``make demo``) it runs
Django's single-process development server, which needs nothing else installed. With workers
(``--workers N``, or ``COMITY_WORKERS`` under ``comity.settings.production``, which defaults to a
pool) it runs gunicorn's pre-fork server on the project's WSGI application: a crashed or hung
worker is replaced, and one slow request does not hold up the others.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.wsgi import get_wsgi_application
from django.db import connections
from gunicorn.app.base import BaseApplication


class Command(BaseCommand):
    help = (
        "Serve comity (static files included) on 127.0.0.1: Django's development server, or gunicorn "
        "with --workers N (the default under comity.settings.production). Put a TLS proxy in front."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.COMITY_SERVE_WORKERS,
            help="gunicorn worker processes; 0 runs Django's development server "
            f"(default here: {settings.COMITY_SERVE_WORKERS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workers: int = options["workers"]
        if workers < 0:
            raise CommandError("--workers must be 0 (development server) or more.")
        _require_collected_static()
        if workers == 0:
            call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False)
            return
        # The workers are forked from this process: none may inherit its database connection.
        connections.close_all()
        GunicornServer(bind=f"{options['host']}:{options['port']}", workers=workers).run()


def _require_collected_static() -> None:
    """Refuse to start when the manifest storage has no manifest yet.

    Without one every page answers 500 (``Missing staticfiles manifest entry``); saying so here
    tells the operator the step they skipped.
    """
    if isinstance(staticfiles_storage, ManifestFilesMixin) and not staticfiles_storage.exists(
        staticfiles_storage.manifest_name
    ):
        raise CommandError(
            f"No static files manifest in {settings.STATIC_ROOT}: run `comity collectstatic --noinput` first."
        )


class GunicornServer(BaseApplication):
    """gunicorn run in this process (its documented custom application), on comity's WSGI app.

    In-process rather than gunicorn's own console script, so that ``comity serve`` stays the one
    way to start the desk and the settings module, system checks and static-files check above
    apply to both servers. The arbiter is this process: TERM stops it gracefully. The workers
    are forked from the code it has loaded, so an upgrade needs a restart, not a HUP.
    """

    def __init__(self, *, bind: str, workers: int) -> None:
        self.options = {
            "bind": bind,
            "workers": workers,
            "proc_name": "comity",
            "accesslog": "-",  # requests to standard output, as a service manager expects
            # No runtime control socket: its default path is one per user, so a second desk (or
            # the test suite) on the machine would take it over; restarts go through the
            # service manager's signals instead.
            "control_socket_disable": True,
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        """Build the WSGI application in each worker, after the fork."""
        return get_wsgi_application()
