"""OpenAPI schema additions that hold for every operation of a kind, not for one view."""

from __future__ import annotations

from typing import Any

from comity.core.idempotency import HEADER, WRITE_METHODS
from comity.core.models.idempotency import MAX_KEY_LENGTH

IDEMPOTENCY_PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": (
        "A key of your choosing (at most 255 printable ASCII characters; a structured-field string such as "
        '`"4f1c…"` or a bare token). A repeat of this request with the same key within 24 hours is answered '
        "with the first response (marked `Idempotent-Replayed: true`) and writes nothing; the same key with "
        "another method, path or body answers 422; a repeat while the first is still running answers 409. "
        "See docs/api.md."
    ),
    "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH + 2},
}


def add_idempotency_key(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing hook: the ``Idempotency-Key`` header on every API write."""
    result.setdefault("components", {}).setdefault("parameters", {})["IdempotencyKey"] = IDEMPOTENCY_PARAMETER
    reference = {"$ref": "#/components/parameters/IdempotencyKey"}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method.upper() in WRITE_METHODS:
                operation.setdefault("parameters", []).append(reference)
    return result


def empty_filters_are_unset(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing hook: an optional query parameter sent empty (``?start=``,
    as an HTML form sends an unused field) counts as absent everywhere in the API (django-filter,
    ``on_date``, ``checked_query``, the forms, pagination); ``allowEmptyValue`` says so. Without it
    the schema called ``?on=`` invalid while the API answered 200 (schemathesis)."""
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    return result
