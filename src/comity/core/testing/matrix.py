"""The permission matrix every labelled model must pass (after NetBox's generic view tests).

One record labelled ``NATO RESTRICTED REL TO NLD`` is checked through every list and detail of
the API and the pages, for three users: one with no clearance, one cleared of the right nation,
and one cleared of the wrong nation. Only the second may see it; for the others the detail
answers 404, exactly as for a record that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model

MATRIX_LABEL = "NATO RESTRICTED REL TO NLD"


@dataclass(frozen=True)
class LabelledEndpoints:
    """How to make a record of a labelled model and where it shows.

    URLs are templates formatted with the record as ``obj`` (e.g. ``/api/x/{obj.pk}/``); the
    record's title (or name) is ``MATRIX_MARKER``, which lists are searched for.
    """

    model: type[Model]
    make: Callable[[], Model]
    api_list: str
    api_detail: str
    page_list: str | None = None
    page_detail: str | None = None

    def url(self, template: str, record: Model) -> str:
        return template.format(obj=record)


MATRIX_MARKER = "Matrix note zq1"


W = TypeVar("W")


@contextmanager
def rolled_back_world(django_db_blocker: Any, build: Callable[[], W]) -> Iterator[W]:
    """A module's world, built once inside a transaction that is rolled back when the module ends.

    For the matrices' module-scoped fixtures: each test's own transaction (a savepoint) nests
    inside it, so a test undoes what its requests wrote and the module leaves nothing behind.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield build()
        finally:
            transaction.set_rollback(True)
