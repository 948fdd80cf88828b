"""Fail the test run when a URL pattern is never requested by any test (after zulip's check).

Every request the Django test client or the live server handles is recorded by route; at the
end of a full run, patterns nobody requested are reported and the run fails. A partial run
(``-k``, a single file, ``--lf``) skips the check, since it cannot know what the rest would hit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

#: Routes that tests need not request: Django's admin (a framework page set we configure but do
#: not own) and the per-model admin views it generates.
EXEMPT_PREFIXES = ("admin/",)


def iter_routes(patterns: Iterable[URLPattern | URLResolver] | None = None, prefix: str = "") -> Iterator[str]:
    """Every concrete route of the URL configuration, as its full pattern string."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = _join(prefix, str(entry.pattern))
        if isinstance(entry, URLResolver):
            yield from iter_routes(entry.url_patterns, route)
        else:
            yield route


def _join(prefix: str, part: str) -> str:
    """Join route parts the way Django's ``ResolverMatch.route`` does (inner ``^`` dropped)."""
    return part if not prefix else prefix + part.removeprefix("^")


def missing_routes(hit: set[str]) -> list[str]:
    """Routes of the project that no recorded request matched."""
    return sorted(route for route in set(iter_routes()) if route not in hit and not route.startswith(EXEMPT_PREFIXES))


def record(hits_file: Path, route: str) -> None:
    with hits_file.open("a", encoding="utf-8") as handle:
        handle.write(route + "\n")
