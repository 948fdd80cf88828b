"""Schemathesis over the whole OpenAPI schema, once per role: no operation answers a 500, every
documented answer matches its schema, and no invalid request is accepted, whoever sends it.

The schema is the one ``/api/schema/`` serves, and every operation of the Django WSGI application is
called in-process, once for each kind of caller (``CALLERS``: a holder of each role of
``core.authority.Role``, a signed-in guest with no role, and an anonymous client), with a token so
that writes need no CSRF token. Each caller goes through the phases that apply to our schema:

* **examples**: the schema names no examples of its own, so the test adds some: the keys of the
  world's records as path parameters (so that reads, edits, transitions and PRIME steps reach a
  real record rather than a 404) and a valid body for each create; the rest is filled in;
* **coverage**: each parameter's and body field's boundaries and the values just past them
  (the largest integer and one more, a wrong type, a missing required field ...);
* **fuzzing**: ``EXAMPLES`` generated requests per operation, valid and invalid (``mode: all``);
* **stateful**: schemathesis's links, inferred from the schema, chain a create with the reads and
  edits of what it made (``test_stateful_sequences_hold``).

Checks on every answer: ``not_a_server_error`` (a 500 is never a fair answer), ``response_schema_
conformance`` (a documented status's body matches its schema) and ``negative_data_rejection`` (a
request that breaks the schema gets a 4xx, never a 2xx). An anonymous client must be told to sign
in (401) by every operation. ``make test`` keeps the coverage phase of request bodies to one
signed-in caller (the editor, whose writes get furthest; the body checks are the same code for
everyone) and ``COMITY_VERIFY_SCALE`` runs it for every caller. A failure prints the request that
reproduces it.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import negative_data_rejection, response_schema_conformance

from comity.core.labels import label_from_marking
from comity.core.models import User
from comity.core.testing.factories import make_user
from comity.core.testing.matrix import rolled_back_world
from comity.core.testing.scale import scaled
from comity.engagements.choices import EngagementKind
from comity.engagements.kinds import KIND_MODELS
from comity.engagements.models import Exercise, MenuItem, Objective, PartnerProgramme, ProgrammeActivity
from comity.engagements.tests.helpers import EXAMPLES as KIND_BODIES
from comity.registry.models import CountryNote, State

pytestmark = pytest.mark.django_db

#: Examples per operation in the fuzzing phase, valid and invalid ones (``mode: all``).
EXAMPLES = scaled(2)
#: Steps of the stateful phase per caller (each a short chain of linked calls).
STATEFUL_EXAMPLES = scaled(4)
#: Whether every caller runs the coverage phase of request bodies (else the editor alone does).
BODY_COVERAGE = scaled(1) > 1

#: The callers: nation, clearance and roles (``core.testing.factories.make_user``), or None for an
#: anonymous client. Roles of records are held in NLD (the world's records are NLD's) except NATO's.
CALLERS: dict[str, tuple[str, str | None, tuple[str, ...]] | None] = {
    "viewer": ("NLD", "SECRET", ("viewer",)),
    "editor": ("NLD", "SECRET", ("editor",)),
    "approver": ("NLD", "SECRET", ("approver",)),
    "programme_manager": ("BEL", "SECRET", ("programme_manager:NATO",)),
    "auditor": ("NLD", "SECRET", ("auditor",)),
    "administrator": ("BEL", "SECRET", ("administrator:NATO",)),
    "guest": ("AUT", None, ()),
    "anonymous": None,
}
CHECKS = [not_a_server_error, response_schema_conformance, negative_data_rejection]

#: The label of the world's records: every caller with a clearance reads them, the guest does not.
LABEL = "NATO RESTRICTED REL TO NATO"
#: Keys of the world's records, as the path parameters of the examples phase name them.
NOTE_ID = PROGRAMME_ID = 990001
KIND_KEYS = {prefix: f"fz-{prefix}" for prefix in KIND_BODIES}
PATH_EXAMPLES: dict[str, object] = {
    **{f"/api/engagements/{prefix}/{{key}}": key for prefix, key in KIND_KEYS.items()},
    "/api/engagements/engagements/{key}": KIND_KEYS["exercises"],
    "/api/engagements/activities/{key}": "fz-activity",
    "/api/engagements/menu/{code}": "fz-menu",
    "/api/engagements/objectives/{code}": "fz-objective",
    "/api/engagements/programmes/{id}": PROGRAMME_ID,
    "/api/registry/notes/{id}": NOTE_ID,
    "/api/registry/states/{iso3}": "LVA",
    "/api/registry/organisations/{code}": "NATO",
    "/api/registry/frameworks/{code}": "PFP",
}


def _create_body(prefix: str) -> dict[str, object]:
    """A valid new record of a kind (as ``engagements/tests/helpers.create`` sends it)."""
    return {
        "key": f"fz-new-{prefix}",
        "title": f"Fuzz {prefix}",
        "start_date": "2031-02-01",
        "end_date": "2031-12-31",
        "label": LABEL,
        "lead": "NLD",
        "participant_input": [{"iso3": "GEO", "role": "host", "personnel": 3}],
        "objectives": ["fz-objective"],
        **KIND_BODIES[prefix],
    }


BODY_EXAMPLES: dict[tuple[str, str], dict[str, object]] = {
    **{("post", f"/api/engagements/{prefix}/"): _create_body(prefix) for prefix in KIND_BODIES},
    **{("patch", f"/api/engagements/{prefix}/{{key}}/"): {"title": "Fuzz, renamed"} for prefix in KIND_BODIES},
    **{("post", f"/api/engagements/{prefix}/{{key}}/transition/"): {"to": "planned"} for prefix in KIND_BODIES},
    ("post", "/api/registry/notes/"): {"state": "LVA", "title": "Fuzz note", "body": "Observed.", "label": LABEL},
    ("put", "/api/registry/notes/{id}/"): {"state": "LVA", "title": "Fuzz note", "body": "Again.", "label": LABEL},
    ("patch", "/api/registry/notes/{id}/"): {"title": "Fuzz note, renamed"},
    ("post", "/api/engagements/activities/{key}/register/"): {"personnel": 4},
    ("post", "/api/engagements/activities/{key}/invite/"): {"nations": ["UKR"]},
}


def _with_examples(document: dict[str, Any]) -> dict[str, Any]:
    """The served document, with the examples the examples phase runs added (a copy)."""
    document = copy.deepcopy(document)
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path":
                    for prefix, value in PATH_EXAMPLES.items():
                        if path.startswith(prefix):
                            parameter["example"] = value
            body = BODY_EXAMPLES.get((method, path))
            if body is not None:
                operation["requestBody"]["content"]["application/json"]["example"] = body
    return document


#: Every phase; the coverage phase of request bodies only under the scale (see the module's doc).
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"mode": "all"},
        "phases": {"examples": {"fill-missing": True}, "stateful": {"max-steps": 6}},
        "operations": [
            {"include-method": method, "phases": {"coverage": {"enabled": BODY_COVERAGE}}}
            for method in ("POST", "PATCH", "PUT")
        ],
    }
)


def _served_schema() -> Any:
    """The document ``/api/schema/`` serves, as JSON, bound to the WSGI application.

    Read here rather than over HTTP: schemathesis's lazy ``from_fixture`` loader, which could sign
    in first, does not run under pytest 9 (it reads ``Node._nodeid``, gone there).
    """
    document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(_with_examples(document), config=CONFIG)
    loaded.app = get_wsgi_application()
    return loaded


schema = _served_schema()


@dataclass
class World:
    """The callers' tokens and the records the examples name."""

    tokens: dict[str, str]
    users: dict[str, User]


def _build() -> World:
    nld, lva, geo = (State.objects.get(iso3=code) for code in ("NLD", "LVA", "GEO"))
    label = label_from_marking(LABEL)
    day = date(2031, 3, 1)
    objective = Objective.objects.create(code="fz-objective", title="Fuzz objective", label=label)
    for prefix, key in KIND_KEYS.items():
        kind = EngagementKind.EXERCISE if prefix == "exercises" else _KIND_OF[prefix]
        fields = {
            name: value for name, value in KIND_BODIES[prefix].items() if name not in {"sending_state", "host_state"}
        }
        for name in ("embassy_state",):
            if name in fields:
                fields[name] = State.objects.get(iso3=fields[name])
        if kind == EngagementKind.ATTACHE:
            fields.update(sending_state=nld, host_state=geo)
        for name in ("signed_on", "due_date"):
            if name in fields:
                fields[name] = date.fromisoformat(str(fields[name]))
        model = Exercise if kind == EngagementKind.EXERCISE else KIND_MODELS[kind]
        record = model.objects.create(
            key=key,
            kind=kind,
            title=f"Fuzz {prefix}",
            start_date=day,
            end_date=day,
            label=label,
            lead_state=nld,
            owner="NLD",
            **fields,
        )
        record.objectives.set([objective])
    menu = MenuItem.objects.create(code="fz-menu", title="Fuzz course", label=label, owner="NATO")
    programme = PartnerProgramme.objects.create(
        pk=PROGRAMME_ID, partner=geo, cycle="fz", title="Fuzz programme", label=label, owner="NATO"
    )
    ProgrammeActivity.objects.create(
        key="fz-activity",
        kind=EngagementKind.PROGRAMME,
        title="Fuzz activity",
        start_date=day,
        programme=programme,
        menu_item=menu,
        label=label,
        owner="NATO",
    )
    CountryNote.objects.create(pk=NOTE_ID, state=lva, title="Fuzz note", body="Observed.", label=label, owner="NLD")
    users, tokens = {}, {}
    for caller, spec in CALLERS.items():
        if spec is None:
            continue
        nation, clearance, roles = spec
        users[caller] = make_user(nation, clearance, username=f"fz-{caller}", roles=roles)
        tokens[caller] = Token.objects.create(user=users[caller]).key
    return World(tokens=tokens, users=users)


_KIND_OF = {
    "agreements": EngagementKind.AGREEMENT,
    "training": EngagementKind.TRAINING,
    "meetings": EngagementKind.MEETING,
    "attaches": EngagementKind.ATTACHE,
    "measures": EngagementKind.CBM,
}


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """One world for the module, inside a transaction rolled back at its end; each test's own
    transaction (a savepoint inside it) undoes what that test's requests wrote."""
    with rolled_back_world(django_db_blocker, _build) as built:
        yield built


@pytest.fixture
def keep_the_test_connection() -> Iterator[None]:
    """The test's database connection must outlive each request, as under Django's test client.

    Schemathesis calls the WSGI handler directly, which fires ``request_finished``; Django then
    closes a connection it finds outside autocommit (the test's transaction), and the next
    request meets "the connection is closed" on PostgreSQL. The test client disconnects the same
    receiver for the same reason.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _headers(world: World, caller: str) -> dict[str, str]:
    token = world.tokens.get(caller)
    return {"Authorization": f"Token {token}"} if token else {}


@pytest.fixture
def served(settings: Any, world: World, keep_the_test_connection: None) -> World:
    settings.ALLOWED_HOSTS = ["localhost"]  # schemathesis's WSGI client calls the app as localhost
    return world


#: Answers per caller and status class, for the figures ``bench/verify.py`` prints.
ANSWERS: Counter[tuple[str, str]] = Counter()


def _check(case: Any, world: World, caller: str) -> None:
    response = case.call_and_validate(headers=_headers(world, caller), checks=CHECKS)
    ANSWERS[caller, f"{response.status_code // 100}xx"] += 1
    if caller == "anonymous":
        # 401 from the API; a path the URL patterns refuse (``/notes/0.5/``) is a 404 before it.
        assert response.status_code >= 400, f"an anonymous client got {response.status_code}"
    else:
        assert response.status_code != 401, f"the {caller}'s token was not sent"


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


#: Who sends the coverage phase's cases in ``make test`` (everyone under the scale): it is the
#: largest phase, and its boundary values meet the same validation code whoever sends them.
COVERAGE_CALLERS = tuple(CALLERS) if scaled(1) > 1 else ("editor", "guest", "anonymous")


@pytest.fixture(scope="module", autouse=True)
def _figures(record_testsuite_property: Any) -> Iterator[None]:
    """Requests per caller and answer class, into the JUnit report (``bench/verify.py`` prints them)."""
    yield
    for caller in CALLERS:
        counts = ", ".join(f"{k} {ANSWERS[caller, k]}" for k in ("2xx", "3xx", "4xx", "5xx") if ANSWERS[caller, k])
        record_testsuite_property(f"fuzz {caller}", counts)


@schema.parametrize()
@FUZZ_SETTINGS
def test_every_caller_on_every_operation(case: Any, served: World) -> None:
    """Each generated case, of every phase, is sent by every caller in turn."""
    phase = case.meta.phase.name.value if case.meta else ""
    for caller in COVERAGE_CALLERS if phase == "coverage" else CALLERS:
        _check(case, served, caller)


@pytest.mark.parametrize("caller", CALLERS)
def test_stateful_sequences_hold(served: World, caller: str) -> None:
    """The stateful phase: chains of linked calls (a create, then reads and edits of what it made),
    inferred from the schema's responses and parameters, as each caller, under the same checks."""
    headers = _headers(served, caller)

    class Machine(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": headers}

        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)
            ANSWERS[caller, f"{response.status_code // 100}xx"] += 1

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            # The module's checks: schemathesis's auth checks would replace the token we send.
            case.validate_response(response, checks=CHECKS, headers=headers)

    Machine.run(
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=6,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
