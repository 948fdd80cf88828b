"""A hidden record answers in the same time as a missing one: the 404 tells nothing by its delay.

The read matrix holds the status and body of a hidden record's detail equal to a missing one's;
this module holds their timing in one class. For each detail route (pages, API details, change-log
histories), a reader who may not see the record asks for it and for a key that does not exist,
in interleaved pairs whose order within the pair is drawn at random, so that the machine's other
load falls on both alike. Per pair, the log of hidden time over missing time; the statistic is the
median of those logs with a bootstrap 95% interval, and, unpaired, the Mann-Whitney probability
that a hidden request is the slower. The two are in one class unless the interval lies wholly
beyond ``TOLERANCE`` either way or that probability leaves ``AUC_BOUNDS``: noise widens the
interval, so a busy 2-core machine passes a route that is the same, and cannot hide a real gap.

The test can fail: ``test_a_slower_hidden_path_is_caught`` makes the hidden path slower by as
much as one request takes (a sleep in the database cursor whenever the query names the hidden
record), and by an extra query of the same cost, and requires the comparison to catch both.
``COMITY_VERIFY_SCALE`` multiplies the pairs; the figures go to the JUnit report, which
``bench/verify.py`` prints.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from comity.core.labels import label_from_marking
from comity.core.testing.factories import make_user
from comity.core.testing.scale import scaled
from comity.engagements.choices import EngagementKind
from comity.engagements.models import Exercise
from comity.registry.models import CountryNote, State

pytestmark = pytest.mark.django_db

#: Interleaved pairs per route (each pair one hidden and one missing request).
PAIRS = scaled(40)
#: Requests of each kind before measuring (templates, caches, the first query plans).
WARM_UP = 5
#: Beyond this ratio either way, with the interval wholly past it, the timing tells.
TOLERANCE = 1.15
#: The probability that a hidden request is the slower must stay within these.
AUC_BOUNDS = (0.25, 0.75)
BOOTSTRAP = 2000

HIDDEN_KEY, MISSING_KEY = "tc-hidden-exercise", "tc-missing-exercise"
HIDDEN_NOTE, MISSING_NOTE = 880001, 880002
#: The detail routes compared: a page, an API detail and a history of each kind of record.
ROUTES = {
    "engagement page": "/engagements/exercises/{key}/",
    "engagement API": "/api/engagements/exercises/{key}/",
    "engagement history": "/api/engagements/exercises/{key}/history/",
    "note page": "/registry/notes/{note}/",
    "note API": "/api/registry/notes/{note}/",
    "note history": "/api/registry/notes/{note}/history/",
}


@dataclass(frozen=True)
class Comparison:
    """Hidden against missing on one route."""

    ratio: float  # median hidden time over median missing time
    low: float  # bootstrap 95% interval of the median paired ratio
    high: float
    auc: float  # probability that a hidden request is slower than a missing one
    hidden_ms: float
    missing_ms: float

    @property
    def same_class(self) -> bool:
        past = self.low > TOLERANCE or self.high < 1 / TOLERANCE
        return not past and AUC_BOUNDS[0] <= self.auc <= AUC_BOUNDS[1]

    def __str__(self) -> str:
        return (
            f"ratio {self.ratio:.2f} (95% {self.low:.2f}-{self.high:.2f}), P(hidden slower) {self.auc:.2f}, "
            f"medians {self.hidden_ms:.1f}/{self.missing_ms:.1f} ms"
        )


def compare(hidden: list[float], missing: list[float], seed: int = 0) -> Comparison:
    """The statistics above, for paired samples (``hidden[i]`` and ``missing[i]`` one pair)."""
    logs = [math.log(h / m) for h, m in zip(hidden, missing, strict=True)]
    draw = random.Random(seed)
    medians = sorted(statistics.median(draw.choices(logs, k=len(logs))) for _ in range(BOOTSTRAP))
    low, high = medians[int(0.025 * BOOTSTRAP)], medians[int(0.975 * BOOTSTRAP) - 1]
    slower = sum((h > m) + 0.5 * (h == m) for h in hidden for m in missing)
    return Comparison(
        ratio=statistics.median(hidden) / statistics.median(missing),
        low=math.exp(low),
        high=math.exp(high),
        auc=slower / (len(hidden) * len(missing)),
        hidden_ms=statistics.median(hidden) * 1000,
        missing_ms=statistics.median(missing) * 1000,
    )


def measure(client: Client, hidden_url: str, missing_url: str, pairs: int, seed: int = 0) -> Comparison:
    """Interleaved timings of both URLs, each pair in a random order; every answer must be a 404."""
    order = random.Random(seed)

    def timed(url: str) -> float:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        assert response.status_code == 404, f"{url}: {response.status_code}"
        return elapsed

    for _ in range(WARM_UP):
        timed(hidden_url), timed(missing_url)
    hidden, missing = [], []
    for _ in range(pairs):
        if order.random() < 0.5:
            hidden.append(timed(hidden_url))
            missing.append(timed(missing_url))
        else:
            missing.append(timed(missing_url))
            hidden.append(timed(hidden_url))
    return compare(hidden, missing, seed)


def _urls(template: str) -> tuple[str, str]:
    return (
        template.format(key=HIDDEN_KEY, note=HIDDEN_NOTE),
        template.format(key=MISSING_KEY, note=MISSING_NOTE),
    )


@pytest.fixture
def reader() -> Client:
    """A Finnish reader cleared to RESTRICTED, and an NLD SECRET exercise and note they may not see."""
    label = label_from_marking("NATO SECRET REL TO NLD")
    nld, lva = State.objects.get(iso3="NLD"), State.objects.get(iso3="LVA")
    day = date(2030, 5, 1)
    Exercise.objects.create(
        key=HIDDEN_KEY,
        kind=EngagementKind.EXERCISE,
        title="Hidden exercise",
        start_date=day,
        end_date=day,
        label=label,
        lead_state=nld,
        owner="NLD",
    )
    CountryNote.objects.create(pk=HIDDEN_NOTE, state=lva, title="Hidden note", body="-", label=label, owner="NLD")
    client = Client()
    client.force_login(make_user("FIN", "RESTRICTED", username="tc-reader", roles=("viewer",)))
    return client


@pytest.mark.parametrize("route", ROUTES)
def test_hidden_answers_in_the_time_of_missing(reader: Client, route: str, record_property: Any) -> None:
    result = measure(reader, *_urls(ROUTES[route]), PAIRS)
    record_property(f"timing {route}", str(result))
    assert result.same_class, f"{route}: a hidden record answers in its own time: {result}"


def _slower_hidden_path(extra: Callable[[], None]) -> Callable[..., Any]:
    """A cursor wrapper that runs ``extra`` after every query naming the hidden record."""

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        result = execute(sql, params, many, context)
        if params and any(p in (HIDDEN_KEY, HIDDEN_NOTE) for p in params):
            extra()
        return result

    return wrapper


@pytest.fixture
def request_cost(reader: Client) -> float:
    """What one missing-record request takes on this machine now (the median of a few)."""
    url = _urls(ROUTES["engagement API"])[1]
    times = []
    for _ in range(WARM_UP * 2):
        started = time.perf_counter()
        reader.get(url)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def test_a_slower_hidden_path_is_caught(reader: Client, request_cost: float) -> None:
    """The control: a hidden path that costs one request more, by a sleep or by an expensive
    query, is out of the class (else the test above could not fail)."""
    loops = 1
    # Calibrate a recursive count that takes about one request's time on this machine.
    while True:
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(_COUNT, [loops])
            if time.perf_counter() - started >= request_cost or loops > 10**8:
                break
        loops *= 2

    def expensive_query() -> None:
        with connection.cursor() as cursor:  # its own cursor: the request's keeps its rows
            cursor.execute(_COUNT, [loops])

    controls: dict[str, Callable[[], None]] = {
        "sleep": lambda: time.sleep(request_cost),
        "expensive query": expensive_query,
    }
    for name, extra in controls.items():
        with connection.execute_wrapper(_slower_hidden_path(extra)):
            result = measure(reader, *_urls(ROUTES["engagement API"]), max(20, PAIRS // 2), seed=1)
        assert not result.same_class, f"the {name} on the hidden path went unnoticed: {result}"


#: A query whose cost grows with its argument (SQLite and PostgreSQL both run it).
_COUNT = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) SELECT count(*) FROM n"
