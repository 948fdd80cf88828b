"""The ground floor depends on nothing above it: ``core`` imports no domain app, and ``setup`` and
``demo`` reach the apps only through the steps their ``AppConfig`` offers (``core.steps``)."""

from __future__ import annotations

import ast
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from comity.core.steps import DEMO_STEP, LOADER, apps_offering

CORE = Path(__file__).resolve().parents[1]
#: The domain apps, present and planned (docs/architecture.md).
DOMAIN_APPS = frozenset(("registry", "engagements", "assessment", "events", "planning", "comms", "insight"))
#: Test support may build records of every app; the rest of core may not import them.
EXEMPT = (CORE / "tests", CORE / "testing")


def _is_domain(module: str) -> bool:
    parts = module.split(".")
    return len(parts) > 1 and parts[0] == "comity" and parts[1] in DOMAIN_APPS


def domain_imports(source: str, package: str) -> list[str]:
    """The domain-app modules a Python text imports; relative imports resolve against ``package``."""
    parts = package.split(".")
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(parts[: len(parts) - node.level + 1]) if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            # ``from comity import registry`` imports the app itself as a name.
            found.update({module, *(f"{module}.{alias.name}" for alias in node.names)})
    return sorted(filter(_is_domain, found))


def _package_of(path: Path) -> str:
    return ".".join(("comity", *path.relative_to(CORE.parent).parent.parts))


def test_core_imports_no_domain_app() -> None:
    offending = {
        str(path.relative_to(CORE)): imports
        for path in sorted(CORE.rglob("*.py"))
        if not any(path.is_relative_to(exempt) for exempt in EXEMPT)
        for imports in [domain_imports(path.read_text(encoding="utf-8"), _package_of(path))]
        if imports
    }
    assert offending == {}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import comity.registry.models", ["comity.registry.models"]),
        ("from comity.engagements.services import x", ["comity.engagements.services", "comity.engagements.services.x"]),
        ("from comity import events", ["comity.events"]),
        ("def f():\n    from ..planning import solvers", ["comity.planning", "comity.planning.solvers"]),
        ("from comity.core import labels", []),
        ("from .models import User", []),
        ("from comity.data import PACKAGE_DATA", []),
        ("import django.apps", []),
    ],
)
def test_the_import_check_sees_every_spelling(source: str, expected: list[str]) -> None:
    """A new import of a domain app fails the check above however it is written, even inside a function."""
    assert domain_imports(source, "comity.core") == expected


def test_the_check_reads_core_itself() -> None:
    """The walk finds core's modules (so an empty glob cannot pass for a clean one)."""
    assert {"steps.py", "demo.py", "apps.py"} <= {p.name for p in CORE.glob("*.py")}
    assert _package_of(CORE / "management" / "commands" / "setup.py") == "comity.core.management.commands"


def test_steps_are_found_in_installed_apps_order() -> None:
    installed = [name for name in settings.INSTALLED_APPS if name.startswith("comity.")]
    assert [c.name for c in apps_offering(LOADER)] == ["comity.core", "comity.registry", "comity.engagements"]
    assert [c.name for c in apps_offering(DEMO_STEP)] == [
        "comity.core",
        "comity.registry",
        "comity.engagements",
        "comity.events",
        "comity.assessment",
        "comity.comms",
    ]
    for offered in (apps_offering(LOADER), apps_offering(DEMO_STEP)):
        names = [c.name for c in offered]
        assert names == sorted(names, key=installed.index)


@pytest.mark.django_db
def test_setup_calls_each_apps_loader_in_order() -> None:
    """``comity setup`` prints what each app loaded, app by app in INSTALLED_APPS order."""
    out, err = StringIO(), StringIO()
    call_command("setup", stdout=out, stderr=err, verbosity=0)
    heads = [line.split(":")[0] for line in out.getvalue().splitlines()]
    assert heads == [
        "security policies",  # core
        "State",  # registry
        "StateName",
        "Organisation",
        "PartnershipFramework",
        "Membership",
        "Participation",
        "Engagements",  # engagements
        "comity is set up.",
    ]
    assert err.getvalue() == ""
