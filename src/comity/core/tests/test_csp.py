"""The Content-Security-Policy: every response of every route carries it, it forbids inline and
evaluated script, and no page of ours contains an inline script or event handler it would block.

The CSP is the second line behind "user text is text" in our scripts (issue 9, hole 1): if a
record title ever reaches the page as markup again, the browser still refuses to run it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from comity.core.testing.factories import make_user
from comity.engagements.models import Engagement, PartnerProgramme
from comity.registry.models import CountryNote

pytestmark = pytest.mark.django_db

#: Inline handlers (``onerror=``...), htmx's evaluated ``hx-on`` and inline ``<script>``: all need
#: 'unsafe-inline' or 'unsafe-eval', so none may appear in our pages.
EVENT_ATTRIBUTE_PREFIXES = ("on", "hx-on")
#: Script types a browser does not run (data islands such as ``json_script``).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def directives(header: str) -> dict[str, list[str]]:
    """A policy header as ``{directive: [sources]}``."""
    parsed: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def assert_strict_policy(response: object, where: str) -> None:
    header = response.headers.get("Content-Security-Policy")  # type: ignore[attr-defined]
    assert header, f"{where} answered without a Content-Security-Policy"
    policy = directives(header)
    assert policy["script-src"] == ["'self'"], f"{where}: script-src {policy['script-src']}"
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["default-src"] and "'unsafe-eval'" not in policy["default-src"]


class InlineScriptFinder(HTMLParser):
    """Collects what a strict script-src would block in a page: inline scripts and handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        self.found += [f"<{tag} {n}=...>" for n in names if n.startswith(EVENT_ATTRIBUTE_PREFIXES)]
        self.found += [f"<{tag} {n}={v}>" for n, v in attrs if (v or "").strip().lower().startswith("javascript:")]
        if tag == "script":
            self._in_script = "src" not in names and (names.get("type") or "") not in DATA_SCRIPT_TYPES

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.found.append(f"<script>{data.strip()[:40]}...")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


def _walk(patterns: Iterable[URLPattern | URLResolver], namespace: str = "") -> Iterator[tuple[str, tuple[str, ...]]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _walk(entry.url_patterns, inner or "")
        elif entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), tuple(entry.pattern.regex.groupindex)


def every_path() -> list[str]:
    """One concrete path per named route of the project (Django's admin: its index only), with
    parameters filled from real records; DRF's ``.json``-suffix twins are left out."""
    samples = {
        "key": Engagement.objects.order_by("pk").values_list("key", flat=True)[0],
        "iso3": "FIN",
        "pk": str(PartnerProgramme.objects.order_by("pk").values_list("pk", flat=True).first() or 1),
        "code": "partnerships",
        "step": "approve",
    }
    paths = set()
    for name, groups in _walk(get_resolver().url_patterns):
        if "format" in groups or (name.startswith("admin:") and name != "admin:index"):
            continue
        paths.add(reverse(name, kwargs={group: samples.get(group, "1") for group in groups}))
    return sorted(paths)


@pytest.fixture
def client() -> Client:
    signed_in = Client()
    signed_in.force_login(make_user("NLD", "SECRET", username="csp-reader", is_staff=True, is_superuser=True))
    return signed_in


def test_every_route_answers_with_the_strict_policy_and_pages_hold_no_inline_script(client: Client) -> None:
    CountryNote.objects.count()  # the routes need the registry loaded (reference data)
    paths = every_path()
    assert len(paths) > 40  # the walk found the project's routes, not only a few
    for path in paths:
        response = client.get(path)
        assert response.status_code < 500, path
        assert_strict_policy(response, path)
        if response.get("Content-Type", "").startswith("text/html") and not path.startswith("/admin/"):
            finder = InlineScriptFinder()
            finder.feed(response.content.decode())
            assert finder.found == [], f"{path} holds script a strict CSP blocks: {finder.found}"


@pytest.mark.parametrize("path", ["/accounts/login/", "/engagements/", "/no-such-page/", "/api/engagements/exercises/"])
def test_anonymous_answers_carry_the_policy_too(path: str) -> None:
    """Sign-in pages, redirects to sign-in, 404s and the API's 401: all carry the policy."""
    response = Client().get(path)
    assert_strict_policy(response, path)


def test_static_files_carry_the_policy() -> None:
    """WhiteNoise answers before most middleware; the policy sits before it, so files carry it too."""
    response = Client().get("/static/comity/text.js")
    assert response.status_code == 200
    assert_strict_policy(response, "a static file")
