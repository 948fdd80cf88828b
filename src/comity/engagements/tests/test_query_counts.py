"""Lists and forms take a fixed number of queries whatever the number of records they show.

A query per row hides in a template or a serializer (the lead reads the participants, an
objective's option shows its label): the check doubles the records and compares the counts.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from comity.core.labels import label_from_marking
from comity.core.testing.factories import make_user
from comity.engagements.models import Objective
from comity.engagements.tests.helpers import make_exercise

pytestmark = pytest.mark.django_db

URLS = (
    "/api/engagements/engagements/?q=qc-&limit=1000",
    "/engagements/?q=qc-",
    "/engagements/records/qc-edited/edit/",
    # Names as of each record's date (``selectors.with_names_as_of``): one look-up for them all.
    "/api/engagements/exercises/?q=qc-&limit=1000",
    "/api/engagements/exercises/export/?q=qc-&export_format=csv",
    "/api/engagements/exercises/export/?q=qc-&export_format=ics",
    "/engagements/timeline/?from=2030&to=2030&q=qc-",
    "/engagements/calendar/?year=2030&month=3&q=qc-",
    "/engagements/calendar/?view=year&year=2030&q=qc-",
    "/engagements/country/FIN/",
)


def _more(first: int, count: int) -> None:
    """``count`` more exercises led by two nations, and as many objectives under their own labels."""
    markings = ("PUBLIC", "NATO UNCLASSIFIED", "NATO RESTRICTED REL TO NLD, FIN")
    for i in range(first, first + count):
        make_exercise(f"qc-{i}", lead="NLD;FIN", participants="NLD;FIN;SWE", start_date="2030-03-01")
        Objective.objects.create(
            code=f"qc-objective-{i}", title=f"Objective {i}", label=label_from_marking(markings[i % 3])
        )


def _counts(client: Client) -> Callable[[], dict[str, int]]:
    def count() -> dict[str, int]:
        result = {}
        for url in URLS:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            result[url] = len(queries)
        return result

    return count


def test_lists_and_the_edit_form_take_a_fixed_number_of_queries() -> None:
    make_exercise("qc-edited", owner="NLD")
    client = Client()
    client.force_login(make_user("NLD", "SECRET", roles=("editor",)))
    count = _counts(client)
    _more(0, 3)
    few = count()
    _more(3, 6)
    many = count()
    # Fewer is allowed: labels seen once are cached by their content for later requests.
    assert all(many[url] <= few[url] for url in URLS), (few, many)
