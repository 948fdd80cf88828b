"""The alliance on a date: members, partners, derived and recorded ends, group expansion."""

from __future__ import annotations

from datetime import date

import pytest

from comity.registry.selectors import groups_of_nation, memberships_on, participations_on

pytestmark = pytest.mark.django_db


def iso3s(queryset) -> set[str]:  # type: ignore[no-untyped-def]
    return {row.state.iso3 for row in queryset}


@pytest.mark.parametrize(
    ("day", "count"),
    [
        ("1949-04-04", 12),
        ("1982-05-30", 16),
        ("1999-03-12", 19),
        ("2004-03-29", 26),
        ("2009-04-01", 28),
        ("2017-06-05", 29),
        ("2020-03-27", 30),
        ("2023-04-04", 31),
        ("2024-03-07", 32),
    ],
)
def test_nato_enlargements(day: str, count: int) -> None:
    assert memberships_on("NATO", date.fromisoformat(day)).count() == count


def test_finland_is_partner_until_the_day_before_accession() -> None:
    assert "FIN" in iso3s(participations_on("PFP", date(2023, 4, 3)))
    assert "FIN" not in iso3s(participations_on("PFP", date(2023, 4, 4)))
    assert groups_of_nation("FIN", date(2023, 4, 3)) == {"PFP", "EU"}
    assert groups_of_nation("FIN", date(2023, 4, 4)) == {"NATO", "EU"}


def test_malta_withdrew_and_returned() -> None:
    assert "MLT" in iso3s(participations_on("PFP", date(1996, 1, 1)))
    assert "MLT" not in iso3s(participations_on("PFP", date(2000, 1, 1)))
    assert "MLT" in iso3s(participations_on("PFP", date(2010, 1, 1)))


def test_russia_cooperation_suspended_in_2014() -> None:
    assert "RUS" in iso3s(participations_on("PFP", date(2014, 3, 31)))
    assert "RUS" not in iso3s(participations_on("PFP", date(2014, 4, 1)))


def test_partners_on_new_year_2024() -> None:
    pfp = iso3s(participations_on("PFP", date(2024, 1, 1)))
    assert "SWE" in pfp and "FIN" not in pfp and "RUS" not in pfp
    assert len(pfp) == 18


def test_undated_spells_count_from_the_frameworks_launch() -> None:
    """Every shipped spell now has a start; one an import leaves undated counts from the launch."""
    from comity.registry.models import Participation, PartnershipFramework, State

    ici = PartnershipFramework.objects.get(code="ICI")
    Participation.objects.create(framework=ici, state=State.objects.get(iso3="OMN"), start=None, source="test")
    assert "OMN" not in iso3s(participations_on("ICI", date(2004, 6, 27)))
    assert "OMN" in iso3s(participations_on("ICI", date(2004, 6, 28)))


def test_brexit_leaves_the_eu_group() -> None:
    assert "EU" in groups_of_nation("GBR", date(2020, 1, 31))
    assert "EU" not in groups_of_nation("GBR", date(2020, 2, 1))
