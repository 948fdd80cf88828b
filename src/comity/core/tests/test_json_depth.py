"""A deeply nested JSON body is a 400 on every API operation that reads a body, never a 500.

Python's JSON decoder recurses once per level, so 100,000 nested arrays end in ``RecursionError``;
``core.api.parsers.DepthLimitedJSONParser`` turns that, and any nesting beyond ``MAX_DEPTH``, into
a parse error. Every POST, PUT and PATCH operation of the OpenAPI schema is sent such a body.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from comity.core.api.parsers import MAX_DEPTH, too_deep
from comity.engagements.tests.helpers import create, logged_in

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000
#: Path parameter values that name records made by the fixture (others answer 404, also fine).
KEYS = {"key": "deep-body", "code": "none", "id": "1"}


def body_operations() -> list[tuple[str, str]]:
    """(method, path template) of every operation of the schema that takes a request body."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"post", "put", "patch"}
    ]


@pytest.fixture
def editor() -> Client:
    client = logged_in("NLD", "deep-editor")
    assert create(client, "exercises", "deep-body").status_code == 201
    return client


@pytest.mark.parametrize("body", [DEEP, "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)])
def test_every_body_operation_refuses_deep_json(editor: Client, body: str) -> None:
    operations = body_operations()
    assert len(operations) >= 10
    for method, template in operations:
        path = re.sub(r"\{(\w+)\}", lambda m: KEYS.get(m.group(1), "x"), template)
        response = getattr(editor, method)(path, body, content_type="application/json")
        assert response.status_code in (400, 404), (method, path, response.status_code)
        if "{" not in template or path.startswith("/api/engagements/exercises/deep-body/"):
            assert response.status_code == 400, (method, path)
            assert "nested" in response.json()["detail"], (method, path)


def test_shallow_bodies_still_parse(editor: Client) -> None:
    response = editor.patch(
        "/api/engagements/exercises/deep-body/", {"title": "Still fine"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content


def test_depth_counts_arrays_and_objects() -> None:
    assert not too_deep({"a": [1, {"b": [2]}]}, limit=4)
    assert too_deep({"a": [1, {"b": [[2]]}]}, limit=4)
    assert not too_deep("text", limit=0)
