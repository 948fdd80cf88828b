"""Production as a new operator runs it, end to end, behind what a TLS proxy would send.

In a temporary data directory with ``comity.settings.production``: ``comity migrate``, ``comity
setup``, ``comity collectstatic --noinput``, ``comity user add``, then ``comity serve --workers 2``
(gunicorn with uvicorn workers, serving the ASGI application) on a free loopback port. Every
argument-free page of the URL map, and every static file those pages name, must answer 200 from
that server, and a signed-in browser's websocket must be accepted by it. Every request carries ``X-Forwarded-Proto:
https``, as the documented proxy sets it; nothing in the settings is relaxed for the test.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.views import defaults

from comity.core.testing.url_coverage import EXEMPT_PREFIXES

PACKAGE_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "prod-serve-pass-2026"
STATIC_PREFIX = "/static/"
API_PREFIX = "/api/"
#: The API's pages for people (the rest of /api/ answers JSON to programs).
API_PAGES = {"/api/docs/"}


def _comity(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "comity.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def _production_env(data_dir: Path) -> dict[str, str]:
    """The variables README's "Production" section tells an operator to set, and nothing else of ours."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("COMITY_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "comity.settings.production",
            "COMITY_SECRET_KEY": "prod-serve-test-" + "k" * 50,
            "COMITY_ALLOWED_HOSTS": "127.0.0.1",
            "COMITY_DATA_DIR": str(data_dir),
            "COMITY_DATABASE_URL": f"sqlite:///{data_dir / 'comity.sqlite3'}",
        }
    )
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str


@dataclass
class Browser:
    """A client that keeps cookies the way a browser does behind HTTPS (Secure ones included)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read().decode("utf-8", "replace"))
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def sign_in(self, username: str, password: str) -> Response:
        form = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
        assert token, form.body
        body = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)})
        return self.request(
            "POST",
            "/accounts/login/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": self.origin + "/accounts/login/",
            },
        )


class StaticReferences(HTMLParser):
    """Every attribute value of a page that names a static file (script, stylesheet, data-* URL)."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for _name, value in attrs:
            if value and urlsplit(value).path.startswith(STATIC_PREFIX):
                self.paths.add(urlsplit(value).path)


def static_paths(html: str) -> set[str]:
    parser = StaticReferences()
    parser.feed(html)
    return parser.paths


def argument_free_paths(patterns: Iterable[URLPattern | URLResolver] | None = None, prefix: str = "") -> Iterator[str]:
    """Every URL of the project that takes no argument, as a path (admin left to Django's tests)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if entry.pattern.regex.groups:
            continue
        part = str(entry.pattern).removeprefix("^").removesuffix("$")
        route = prefix + part
        if isinstance(entry, URLResolver):
            yield from argument_free_paths(entry.url_patterns, route)
        elif not route.startswith(EXEMPT_PREFIXES):
            assert not re.search(r"[\\()\[\]?*+|{}^$]", route), f"route {route!r} is not a plain path"
            yield "/" + route


@dataclass
class Server:
    port: int
    log: Path


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The whole operator's sequence, then gunicorn with two workers; stopped however the tests end."""
    data_dir = tmp_path_factory.mktemp("production")
    env = _production_env(data_dir)
    for step in (
        ["migrate", "--noinput", "--verbosity", "0"],
        ["setup"],
        ["collectstatic", "--noinput", "--verbosity", "0"],
        ["user", "add", "operator.nld", "--nation", "NLD", "--clearance", "SECRET", "--password", PASSWORD],
    ):
        done = _comity(step, env)
        assert done.returncode == 0, f"comity {' '.join(step)}: {done.stdout}{done.stderr}"
    port = _free_port()
    log = data_dir / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "comity.cli", "serve", "--workers", "2", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the workers go with it
        )
    try:
        _wait_for(port, server, log)
        yield Server(port, log)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)


def _wait_for(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"comity serve exited with {server.returncode}:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"comity serve did not listen within 30 s:\n{log.read_text()}")


def _served(answer: Response) -> bool:
    """A page answers 200; an action that takes only POST (signing out, saving) refuses GET with 405."""
    if answer.status == 405:
        return "GET" not in answer.headers.get("Allow", "")
    return answer.status == 200


def _assert_static_files(browser: Browser, named_by: dict[str, str]) -> None:
    """Every static path answers 200; ``named_by`` maps each to a page that names it."""
    failures = {path: (status, page) for path, page in named_by.items() if (status := browser.get(path).status) != 200}
    assert not failures, sorted(failures.items())


def test_login_page_and_its_static_files_are_served_by_gunicorn_workers(production: Server) -> None:
    browser = Browser(production.port)
    login = browser.get("/accounts/login/")
    assert login.status == 200, login.body
    assert login.headers["Server"] == "uvicorn"  # gunicorn's arbiter, uvicorn's workers
    assert production.log.read_text().count("Booting worker") == 2
    referenced = static_paths(login.body)
    # The manifest storage names each file by its content hash, so WhiteNoise lets it be cached for ever.
    stylesheet = next((path for path in referenced if re.search(r"/comity\.[0-9a-f]{12}\.css$", path)), None)
    assert stylesheet, referenced
    assert "immutable" in browser.get(stylesheet).headers["Cache-Control"]
    _assert_static_files(browser, dict.fromkeys(referenced, "/accounts/login/"))


def test_every_page_signed_in_and_every_static_file_it_names(production: Server) -> None:
    browser = Browser(production.port)
    signed_in = browser.sign_in("operator.nld", PASSWORD)
    assert signed_in.status == 302, signed_in.body
    assert signed_in.headers["Location"] == "/"
    home = browser.get("/")
    assert home.status == 200
    assert "operator.nld" in home.body
    paths = set(argument_free_paths())
    pages = sorted(path for path in paths if not path.startswith(API_PREFIX) or path in API_PAGES)
    assert "/" in pages
    assert len(pages) > 20, pages
    answers = {path: browser.get(path) for path in pages}
    failures = {path: answer.status for path, answer in answers.items() if not _served(answer)}
    assert not failures, sorted(failures.items())
    # The API's argument-free endpoints: some need query parameters (400) or a POST body (405),
    # but none may fail.
    errors = {path: status for path in sorted(paths - set(pages)) if (status := browser.get(path).status) >= 500}
    assert not errors, sorted(errors.items())
    referenced = {path: page for page, answer in answers.items() for path in static_paths(answer.body)}
    assert {p for p in referenced if "leaflet" in p}, "a map page names Leaflet"
    _assert_static_files(browser, referenced)


def test_websockets_are_served_to_a_signed_in_browser_only(production: Server) -> None:
    """The comms socket through the production server: accepted with the session and the site's
    own origin, refused without a session or from another origin."""
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    browser = Browser(production.port)
    assert browser.sign_in("operator.nld", PASSWORD).status == 302
    url = f"ws://127.0.0.1:{production.port}/ws/comms/"
    cookie = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
    with connect(url, origin=browser.origin, additional_headers={"Cookie": cookie}, open_timeout=10) as socket:  # type: ignore[arg-type]
        socket.ping().wait(5)
    for origin, headers in ((browser.origin, {}), ("https://evil.example", {"Cookie": cookie})):
        with pytest.raises(InvalidStatus), connect(url, origin=origin, additional_headers=headers, open_timeout=10):  # type: ignore[arg-type]
            pass


def test_unknown_page_is_the_sites_404(production: Server) -> None:
    browser = Browser(production.port)
    browser.sign_in("operator.nld", PASSWORD)
    missing = browser.get("/no/such/page/")
    assert missing.status == 404
    assert "<title>Not found · comity</title>" in missing.body
    assert "operator.nld" in missing.body  # the site's layout, with the signed-in navigation


def test_plain_http_is_sent_to_https(production: Server) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", production.port, timeout=30)
    try:
        connection.request("GET", "/accounts/login/")
        answer = connection.getresponse()
    finally:
        connection.close()
    assert answer.status == 301
    assert answer.headers["Location"] == f"https://127.0.0.1:{production.port}/accounts/login/"


def test_serve_refuses_to_start_before_collectstatic(tmp_path: Path) -> None:
    done = _comity(["serve", "--workers", "2", "--port", str(_free_port())], _production_env(tmp_path))
    assert done.returncode != 0
    assert "run `comity collectstatic --noinput` first" in done.stderr


def test_serve_refuses_negative_workers(tmp_path: Path) -> None:
    done = _comity(["serve", "--workers", "-1"], _production_env(tmp_path))
    assert done.returncode != 0
    assert "--workers must be 0" in done.stderr


# Django's manifest storage follows these comments (its own patterns, anchored at a line start).
SOURCE_MAP = re.compile(r"^(?://|/\*)# sourceMappingURL=(\S+?)(?:\s*\*/)?$", re.MULTILINE)


def test_no_static_file_names_a_source_map_that_is_not_there() -> None:
    named = [
        (path, target)
        for path in (PACKAGE_DIR / "static").rglob("*")
        if path.suffix in {".js", ".css"}
        for target in SOURCE_MAP.findall(path.read_text(encoding="utf-8", errors="replace"))
    ]
    missing = [f"{path}: {target}" for path, target in named if not (path.parent / target).exists()]
    assert not missing, missing


STATIC_TAG = re.compile(r"""{%\s*static\s+['"]([^'"]+)['"]""")


def test_every_static_path_in_the_templates_exists() -> None:
    named = {
        (template.relative_to(PACKAGE_DIR), name)
        for template in PACKAGE_DIR.rglob("templates/**/*.html")
        for name in STATIC_TAG.findall(template.read_text(encoding="utf-8"))
    }
    assert len(named) > 10, named
    missing = [f"{template}: {name}" for template, name in sorted(named) if finders.find(name) is None]
    assert not missing, missing


def test_error_pages_use_the_site_templates() -> None:
    """What Django renders with debug off: the site's 403 and 404, and a 500 that needs nothing."""
    request = RequestFactory().get("/somewhere/")
    not_found = defaults.page_not_found(request, Http404("gone"))
    forbidden = defaults.permission_denied(request, PermissionDenied("Only approvers may approve."))
    failed = defaults.server_error(request)
    assert (not_found.status_code, forbidden.status_code, failed.status_code) == (404, 403, 500)
    assert "<title>Not found · comity</title>" in not_found.content.decode()
    assert "Only approvers may approve." in forbidden.content.decode()
    assert "<title>Server error · comity</title>" in failed.content.decode()
