"""The interoperability indicator: the network figures by hand, and every figure computed from the
engagements the viewer may see (a hidden engagement adds no link, no count and no nation)."""

from __future__ import annotations

import pytest
from django.test import Client

from comity.assessment.interoperability import Participation, year_network
from comity.assessment.interoperability_selectors import interoperability_series, participations_visible
from comity.core.testing.factories import make_user
from comity.engagements.tests.helpers import make_exercise

ALLIES = frozenset({"USA", "DEU", "POL", "LTU"})
PARTNERS = frozenset({"FIN", "UKR"})


def test_year_network_by_hand() -> None:
    records = [
        Participation(1, range(2020, 2021), frozenset({"USA", "DEU", "FIN"})),
        Participation(2, range(2019, 2022), frozenset({"USA", "DEU"})),
        Participation(3, range(2020, 2021), frozenset({"POL"})),
        Participation(4, range(2021, 2022), frozenset({"LTU", "UKR"})),
    ]
    network = year_network(records, 2020, allies=ALLIES, partners=PARTNERS)
    assert (network.engagements, network.multinational) == (3, 2)
    # Of the six pairs of the four Allies only USA-DEU is linked.
    assert (network.ally_pairs_linked, network.ally_pairs_possible) == (1, 6)
    assert network.ally_density == pytest.approx(1 / 6)
    assert network.partners_with_allies == ("FIN",)
    figures = {n.iso3: n for n in network.nations}
    assert (figures["USA"].engagements, figures["USA"].degree, figures["USA"].strength) == (2, 2, 3)
    assert (figures["FIN"].degree, figures["FIN"].strength, figures["FIN"].group) == (2, 2, "partner")
    assert (figures["POL"].degree, figures["POL"].strength, figures["POL"].centrality) == (0, 0, 0.0)
    # The USA and Germany share two engagements, each links Finland once: they are the most central.
    assert figures["USA"].centrality == pytest.approx(1.0) and figures["DEU"].centrality == pytest.approx(1.0)
    assert 0 < figures["FIN"].centrality < 1


def test_a_year_with_one_ally_has_no_density() -> None:
    network = year_network([], 2020, allies=frozenset({"USA"}), partners=frozenset())
    assert network.ally_density is None and network.nations == ()


pytestmark_db = pytest.mark.django_db


@pytestmark_db
def test_a_hidden_engagement_adds_nothing_for_a_reader_who_may_not_see_it() -> None:
    make_exercise("interop-open", title="Open", start_date="2025-03-01", participants="USA;DEU", label="PUBLIC")
    make_exercise(
        "interop-hidden",
        title="Hidden",
        start_date="2025-04-01",
        participants="USA;SWE;NOR",
        label="NATO SECRET REL TO USA",
    )
    insider = make_user("USA", "SECRET")
    outsider = make_user("DEU", "SECRET")

    def participants(user: object) -> set[frozenset[str]]:
        return {p.nations for p in participations_visible(user) if 2025 in p.years}

    assert participants(insider) == {frozenset({"USA", "DEU"}), frozenset({"USA", "SWE", "NOR"})}
    assert participants(outsider) == {frozenset({"USA", "DEU"})}


@pytestmark_db
def test_an_engagement_recorded_to_9999_costs_at_most_the_capped_years() -> None:
    make_exercise("interop-forever", start_date="0001-01-01", end_date="9999-12-31", participants="USA;DEU")
    series = interoperability_series(make_user("USA", "SECRET"))
    assert 0 < len(series) <= 40


@pytestmark_db
@pytest.mark.parametrize("year", ["abc", "0", "10000", "99999999999999999999", "2018.5"])
def test_bad_years_are_a_400_on_the_page_and_the_api(year: str) -> None:
    client = Client()
    client.force_login(make_user("FIN", "SECRET"))
    assert client.get("/assessment/interoperability/", {"year": year}).status_code == 400
    assert client.get("/api/assessment/interoperability/", {"year": year}).status_code == 400


@pytestmark_db
def test_page_and_api_say_what_the_figures_are_computed_from() -> None:
    client = Client()
    client.force_login(make_user("FIN", "SECRET"))
    page = client.get("/assessment/interoperability/", {"year": "2018"})
    assert page.status_code == 200
    assert b"Every figure is computed from the records you may see" in page.content
    assert b'href="/engagements/?nation=USA&amp;year=2018"' in page.content
    body = client.get("/api/assessment/interoperability/", {"year": "2018"}).json()
    assert body["computed_from"] == "the engagement records the requester may see"
    assert body["year"] == 2018 and any(n["iso3"] == "USA" and n["name"] == "United States" for n in body["nations"])


@pytestmark_db
def test_a_planned_engagement_of_a_later_year_is_not_counted_yet() -> None:
    make_exercise("interop-planned", start_date="2999-05-01", participants="USA;DEU", label="PUBLIC")
    assert all(p.years.start < 2999 for p in participations_visible(make_user("USA", "SECRET")))


@pytestmark_db
def test_the_pages_banner_covers_every_record_its_figures_count() -> None:
    """A derived figure is never shown under a lower label than its sources: the interoperability
    and scorecard pages badge the labels of the engagements they count, so the banner rises."""
    make_exercise("interop-banner", start_date="2018-05-01", participants="USA;DEU", label="NATO SECRET REL TO USA")
    for path in ("/assessment/interoperability/?year=2018", "/assessment/scorecard/?year=2018"):
        insider, outsider = Client(), Client()
        insider.force_login(make_user("USA", "SECRET"))
        outsider.force_login(make_user("DEU", "SECRET"))
        assert ">NATO SECRET REL TO USA</div>" in insider.get(path).content.decode(), path
        page = outsider.get(path).content.decode()
        assert "REL TO USA" not in page and 'id="counted-labels"' in page, path
