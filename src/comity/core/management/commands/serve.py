"""``comity serve [--host H] [--port N] [--workers N]``: serve the desk.

Both ways serve the project's ASGI application (``settings.ASGI_APPLICATION``: pages and the API
over HTTP, comms' events over websockets). With no workers (the embedded default, ``make
demo``) it runs uvicorn in this one process (Django's ``runserver`` would need daphne for
websockets). With workers (``--workers N``, or ``COMITY_WORKERS`` under
``comity.settings.production``, which defaults to a pool) it runs gunicorn's pre-fork server
with uvicorn workers (``uvicorn_worker.UvicornWorker``): a crashed or hung worker is replaced,
and one slow request does not hold up the others. Several workers share websocket events only
through Redis (``COMITY_REDIS_URL``; ``docs/comms.md``).
"""

from __future__ import annotations

from typing import Any

import uvicorn
from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.module_loading import import_string
from gunicorn.app.base import BaseApplication
from uvicorn_worker import UvicornWorker


class Command(BaseCommand):
    help = (
        "Serve comity (static files and websockets included) on 127.0.0.1: uvicorn in one process, or "
        "gunicorn with N uvicorn workers with --workers N (the default under comity.settings.production). "
        "Put a TLS proxy in front."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.COMITY_SERVE_WORKERS,
            help="gunicorn worker processes; 0 runs uvicorn in this process "
            f"(default here: {settings.COMITY_SERVE_WORKERS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workers: int = options["workers"]
        if workers < 0:
            raise CommandError("--workers must be 0 (development server) or more.")
        _require_collected_static()
        if workers == 0:
            call_command("check")  # what runserver checked before serving
            uvicorn.run(
                import_string(settings.ASGI_APPLICATION), host=options["host"], port=options["port"], lifespan="off"
            )
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


class ComityUvicornWorker(UvicornWorker):  # type: ignore[misc]
    """uvicorn's gunicorn worker without the ASGI lifespan protocol, which Django does not speak
    (uvicorn would otherwise try it on every boot and log that it is unsupported)."""

    CONFIG_KWARGS = {**UvicornWorker.CONFIG_KWARGS, "lifespan": "off"}


class GunicornServer(BaseApplication):
    """gunicorn run in this process (its documented custom application), with uvicorn workers on
    comity's ASGI application.

    In-process rather than gunicorn's own console script, so that ``comity serve`` stays the one
    way to start the desk and the settings module, system checks and static-files check above
    apply to both servers. The arbiter is this process: TERM stops it gracefully. The workers
    are forked from the code it has loaded, so an upgrade needs a restart, not a HUP.
    """

    def __init__(self, *, bind: str, workers: int) -> None:
        self.options = {
            "bind": bind,
            "workers": workers,
            "worker_class": f"{ComityUvicornWorker.__module__}.{ComityUvicornWorker.__qualname__}",
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
        """Build the ASGI application in each worker, after the fork."""
        return import_string(settings.ASGI_APPLICATION)
