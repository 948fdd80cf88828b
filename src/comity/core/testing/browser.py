"""Driving Debian's Chromium with Playwright in tests (Playwright's own browser download cannot
work here)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from comity.core.testing.factories import TEST_PASSWORD

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


def sign_in(page: Any, url: str, username: str) -> Any:
    """Open ``url`` (which redirects to the login page), sign in, and wait to be back on it."""
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    path = "/" + url.split("://", 1)[-1].split("/", 1)[-1]
    page.wait_for_url(f"**{path}")
    return page
