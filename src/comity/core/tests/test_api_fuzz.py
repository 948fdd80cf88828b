"""Schemathesis over the whole OpenAPI schema: no operation answers a 500, whatever it is sent.

The schema is the one ``/api/schema/`` serves, and every operation of the Django WSGI application is
called in-process with generated path, query and body values as a signed-in editor (a token, so
that writes need no CSRF token). Only ``not_a_server_error`` is checked: a 400, 403 or 404 is a fair
answer to random input, a 500 never is. Few examples per operation keep the module under a minute;
a failure prints the request that reproduces it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
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

from comity.core.testing.factories import make_user
from comity.core.testing.scale import scaled

pytestmark = pytest.mark.django_db

#: Examples per operation in the fuzzing phase, valid and invalid ones (``mode: all``).
EXAMPLES = scaled(4)
#: Query parameters also go through the coverage phase, which tries each one's boundaries (the
#: largest integer, one past it, ...), where the 500s of issue 10 were. Bodies are fuzzed only:
#: their coverage phase alone takes about ten minutes over the schema (it ran clean when this
#: module was written; enable it in ``CONFIG`` to run it by hand).
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"mode": "all"},
        "operations": [
            {"include-method": method, "phases": {"coverage": {"enabled": False}}}
            for method in ("POST", "PATCH", "PUT")
        ],
    }
)


def _served_schema() -> Any:
    """The document ``/api/schema/`` serves, as JSON, bound to the WSGI application.

    Read here rather than over HTTP: schemathesis's lazy ``from_fixture`` loader, which could sign
    in first, does not run under pytest 9 (it reads ``Node._nodeid``, gone there).
    """
    document = OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
    loaded = schemathesis.openapi.from_dict(json.loads(document), config=CONFIG)
    loaded.app = get_wsgi_application()
    return loaded


schema = _served_schema()


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


@pytest.fixture
def auth(settings: Any, keep_the_test_connection: None) -> dict[str, str]:
    settings.ALLOWED_HOSTS = ["localhost"]  # schemathesis's WSGI client calls the app as localhost
    editor = make_user("NLD", "SECRET", username="fuzz-editor", roles=("editor",))
    return {"Authorization": f"Token {Token.objects.get_or_create(user=editor)[0].key}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_operation_answers_a_server_error(case: Any, auth: dict[str, str]) -> None:
    response = case.call_and_validate(headers=auth, checks=[not_a_server_error])
    assert response.status_code != 401, "the editor's token was not sent"
