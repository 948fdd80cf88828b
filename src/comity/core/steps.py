"""How an app plugs into ``comity setup`` and ``comity demo`` without ``core`` importing it.

``core`` is the ground floor: it must not import the domain apps above it. Instead each app's
``AppConfig`` may define either of two optional methods, and the commands find them by iterating
``django.apps.apps.get_app_configs()``, which yields the apps in ``INSTALLED_APPS`` order, so an
app's step always runs after the steps of the apps it depends on (``core`` first):

``load_shipped_data(self, *, say: Say, warn: Say) -> None``
    Load the app's shipped reference data, idempotently. ``say`` takes one summary line per thing
    loaded, ``warn`` one line per rejected row; a file that cannot be loaded at all raises
    ``django.core.management.CommandError`` (with file and line) before anything is written.
``demo_step(self) -> str | None``
    Create the app's demonstration records, idempotently; return a line for the demo's output,
    or ``None``. Each step runs in its own transaction, after the steps of the apps above.

Discovery rather than a registry that apps write to on import: there is no import-time side
effect to order, and the order is the one settings already state.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import AppConfig, apps
from django.db import transaction

Say = Callable[[str], None]

LOADER = "load_shipped_data"
DEMO_STEP = "demo_step"


def apps_offering(method: str) -> list[AppConfig]:
    """The installed apps whose ``AppConfig`` defines ``method``, in ``INSTALLED_APPS`` order."""
    return [config for config in apps.get_app_configs() if callable(getattr(config, method, None))]


def _silent(line: str) -> None:
    """Where a caller without a terminal (the test suite's set-up) sends the summary lines."""


def shipped_data_load(*, say: Say = _silent, warn: Say = _silent) -> None:
    """Run every app's shipped-data loader in ``INSTALLED_APPS`` order (what ``comity setup`` loads)."""
    for config in apps_offering(LOADER):
        getattr(config, LOADER)(say=say, warn=warn)


def demo_steps_run() -> list[str]:
    """Run every app's demo step in ``INSTALLED_APPS`` order; return the lines they report."""
    lines = []
    for config in apps_offering(DEMO_STEP):
        with transaction.atomic():
            line = getattr(config, DEMO_STEP)()
        if line:
            lines.append(line)
    return lines
