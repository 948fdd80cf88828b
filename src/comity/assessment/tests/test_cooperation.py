"""The cooperation climate: the measure by hand, and the figures computed through the events
analytics from the event data each reader may see."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client, override_settings

from comity.assessment.cooperation import climate
from comity.assessment.cooperation_selectors import cooperation_climate
from comity.core.labels import label_from_marking, public_label
from comity.core.testing.factories import make_user
from comity.data import PACKAGE_DATA
from comity.events.services import ingest_file

SAMPLES = PACKAGE_DATA / "events" / "samples"


def _row(period: str, events: int, vc: int, mc: int, vx: int, mx: int, goldstein: float) -> dict[str, object]:
    return {
        "period": period,
        "events": events,
        "verbal_coop": vc,
        "material_coop": mc,
        "verbal_conflict": vx,
        "material_conflict": mx,
        "goldstein_sum": goldstein,
    }


def test_both_directions_are_added_and_neutral_events_count_in_the_total_only() -> None:
    rows = [
        _row("2012-01", 4, 2, 1, 0, 0, 6.0),
        _row("2012-01", 6, 1, 0, 2, 1, -9.0),
        _row("2012-03", 2, 0, 0, 0, 2, -20.0),
    ]
    first, third = climate(rows)
    assert (first.period, first.events, first.cooperation, first.conflict) == ("2012-01", 10, 4, 3)
    assert first.net == pytest.approx(0.1) and first.goldstein_mean == pytest.approx(-0.3)
    assert third.net == -1.0
    assert [p.period for p in climate(rows)] == ["2012-01", "2012-03"]  # a quiet month has no point


def test_no_events_is_no_climate() -> None:
    assert climate([]) == []
    [point] = climate([_row("2012-01", 0, 0, 0, 0, 0, 0.0)])
    assert point.net is None and point.goldstein_mean is None


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """The Georgia GDELT sample public, the ICEWS sample releasable to Ukraine only."""
    with override_settings(DATA_DIR=tmp_path):
        ingest_file(SAMPLES / "gdelt1_georgia_2012H1_dyadic.tsv", "gdelt1", label_id=public_label().pk)
        hidden = label_from_marking("NATO SECRET REL TO UKR")
        ingest_file(SAMPLES / "icews_events_2018_sample_first600.tab", "icews", label_id=hidden.pk)
        yield tmp_path


@pytest.mark.django_db
def test_each_reader_gets_the_climate_of_the_events_they_may_see(store: Path) -> None:
    with override_settings(DATA_DIR=store):
        insider = cooperation_climate(make_user("UKR", "SECRET"), ["GEO", "RUS"], {}, freq="year")
        outsider = cooperation_climate(make_user("FIN", "SECRET"), ["GEO", "RUS"], {}, freq="year")
    periods = {line.name: [p.period for p in line.points] for line in outsider}
    assert periods["Among the Allies"] == ["2012"] and "2012" in periods["Allies with GEO"]
    assert all("2018" not in found for found in periods.values())
    assert any("2018" in [p.period for p in line.points] for line in insider)
    georgia = next(line for line in outsider if line.target == "GEO")
    assert georgia.total_events > 100 and georgia.overall is not None and georgia.overall > 0.5


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"freq": "decade"}, {"with": "XYZ"}, {"with": "<script>"}, {"with": "R" * 5000}])
def test_bad_input_is_a_400_on_the_page_and_the_api(query: dict[str, str]) -> None:
    client = Client()
    client.force_login(make_user("FIN", "SECRET"))
    page = client.get("/assessment/cooperation/", query)
    assert page.status_code == 400 and b"<script>" not in page.content.split(b"</head>")[1]
    assert client.get("/api/assessment/cooperation/", query).status_code == 400


@pytest.mark.django_db
def test_page_links_each_line_to_the_events_behind_it(store: Path) -> None:
    client = Client()
    client.force_login(make_user("FIN", "SECRET"))
    with override_settings(DATA_DIR=store):
        page = client.get("/assessment/cooperation/", {"freq": "month", "with": "GEO"}).content.decode()
        body = client.get("/api/assessment/cooperation/", {"with": "GEO"}).json()
    assert 'href="/events/?source=NATO&amp;target=GEO&amp;freq=month"' in page
    assert "Every figure is computed from the event data you may see" in page
    assert body["computed_from"].startswith("the event data the requester may see")
    assert [line["target"] for line in body["lines"]][-1] == "GEO"


@pytest.mark.django_db
def test_the_pages_banner_covers_the_events_its_reader_may_see(store: Path) -> None:
    insider, outsider = Client(), Client()
    insider.force_login(make_user("UKR", "SECRET"))
    outsider.force_login(make_user("FIN", "SECRET"))
    with override_settings(DATA_DIR=store):
        inside = insider.get("/assessment/cooperation/").content.decode()
        outside = outsider.get("/assessment/cooperation/").content.decode()
    assert ">NATO SECRET REL TO UKR</div>" in inside
    assert "REL TO UKR" not in outside and 'id="counted-labels"' in outside
