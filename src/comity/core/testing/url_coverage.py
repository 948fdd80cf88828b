"""Fail the test run when a URL pattern is never requested by any test (after zulip's check).

Every request the Django test client or the live server handles is recorded by route; at the
end of a full run, patterns nobody requested are reported and the run fails. A partial run
(``-k``, a single file, ``--lf``) skips the check, since it cannot know what the rest would hit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

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


#: The methods that change state; a route answering any of them is a write route.
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def iter_views(
    patterns: Iterable[URLPattern | URLResolver] | None = None, prefix: str = ""
) -> Iterator[tuple[str, Callable[..., Any]]]:
    """Every concrete route with the view that answers it."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = _join(prefix, str(entry.pattern))
        if isinstance(entry, URLResolver):
            yield from iter_views(entry.url_patterns, route)
        else:
            yield route, entry.callback


def declared_methods(view: Callable[..., Any]) -> set[str] | None:
    """The HTTP methods a view answers, as it declares them; ``None`` if it declares none.

    A DRF viewset answers the methods of its action map that its ``http_method_names`` allow, a
    class-based view those of its handlers; a function view must say with Django's
    ``require_http_methods`` family (``require_safe``, ``require_POST``), whose method list is
    read from the decorator's closure. A function view without one fails the write gate, so a
    view cannot start accepting POST without being named in the write matrix.
    """
    view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
    if view_class is not None:
        allowed = {name.upper() for name in view_class.http_method_names}
        actions = getattr(view, "actions", None)
        names = view_class.http_method_names
        handlers = actions.keys() if actions else (name for name in names if hasattr(view_class, name))
        return {name.upper() for name in handlers} & allowed
    layer: Any = view
    while layer is not None:
        for cell in getattr(layer, "__closure__", None) or ():
            contents = cell.cell_contents
            if _is_method_list(contents):
                return set(contents)
        layer = getattr(layer, "__wrapped__", None)
    return None


def _is_method_list(value: object) -> bool:
    """Whether a closure cell holds a ``require_http_methods`` list such as ``["GET", "POST"]``."""
    return (
        isinstance(value, (list, tuple, set))
        and bool(value)
        and all(isinstance(method, str) and method.isupper() for method in value)
    )


def write_routes(exempt: Iterable[str] = ()) -> tuple[set[tuple[str, str]], list[str]]:
    """(route, method) pairs that may change state, and routes whose methods are undeclared."""
    skip = (*EXEMPT_PREFIXES, *exempt)
    writes: set[tuple[str, str]] = set()
    undeclared: list[str] = []
    for route, view in iter_views():
        if route.startswith(skip):
            continue
        methods = declared_methods(view)
        if methods is None:
            undeclared.append(route)
            continue
        writes.update((route, method) for method in methods if method in WRITE_METHODS)
    return writes, sorted(undeclared)
