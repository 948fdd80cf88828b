"""Driving Debian's Chromium with Playwright in tests (Playwright's own browser download cannot
work here)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def allow_sync_playwright() -> Iterator[None]:
    """Playwright's sync API runs an event loop in the test thread; the test's own ORM calls stay
    synchronous, so Django's async guard is lifted for the duration only."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
