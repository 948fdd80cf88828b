"""The shipped registry data: real, consistent, corrected where the sources are wrong."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from comity.registry.loader import REGISTRY_DIR, DataFileError, current_cameo_code, read_registry
from comity.registry.models import Membership, State
from comity.registry.services import registry_load


def test_no_two_states_share_a_code() -> None:
    states = read_registry().states
    for field in ("iso3", "iso2", "iso_numeric"):
        counts = Counter(getattr(s, field) for s in states)
        assert [code for code, n in counts.items() if n > 1] == [], field
    cow = Counter(s.cow_code for s in states if s.cow_code is not None)
    assert [code for code, n in cow.items() if n > 1] == []


def test_known_source_defects_are_corrected() -> None:
    states = {s.iso3: s for s in read_registry().states}
    assert states["USA"].cow_code == 2
    assert states["GIN"].cow_code == 438 and states["PNG"].cow_code == 910
    assert states["COG"].cow_code == 484 and states["COD"].cow_code == 490
    for iso3 in ("GTM", "GIN", "MMR", "ISR", "JPN"):
        assert states[iso3].cameo_code == iso3
    assert states["XKS"].cow_code == 347
    assert (states["SRB"].cameo_code, states["SRB"].cow_code) == ("SRB", 345)
    assert states["DEU"].capital == "Berlin" and states["DEU"].capital_lat == pytest.approx(52.51, abs=0.01)


def test_current_cameo_code_takes_the_open_ended_alternative() -> None:
    assert current_cameo_code("[YUGHRV <20910625][HRV >20030101]") == "HRV"
    assert current_cameo_code("USAGUM") == "USAGUM"


def test_nato_has_thirty_two_members_with_real_accession_dates() -> None:
    nato = [m for m in read_registry().memberships if m.organisation == "NATO"]
    assert len(nato) == 32
    assert {m.iso3: m.joined.isoformat() for m in nato}["FIN"] == "2023-04-04"


def _corrupt(tmp_path: Path, file: str, old: str, new: str) -> Path:
    target = tmp_path / "registry"
    shutil.copytree(REGISTRY_DIR, target)
    path = target / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("file", "old", "new", "line", "field"),
    [
        (
            "nato_members_and_partners.csv",
            "Finland,FIN,375,NATO member,2023-04-04",
            "Finland,FIN,375,NATO member,2023-13-04",
            32,
            "join_date",
        ),
        ("eu_membership.csv", "HRV,2013-07-01", "HRX,2013-07-01", 29, "iso3"),
        (
            "partnership_changes.csv",
            "RUS,Partnership for Peace,suspended",
            "RUS,Partnership for Peace,paused",
            4,
            "change",
        ),
    ],
)
@pytest.mark.django_db
def test_malformed_file_names_file_line_field_and_changes_nothing(
    tmp_path: Path, file: str, old: str, new: str, line: int, field: str
) -> None:
    directory = _corrupt(tmp_path, file, old, new)
    before = (
        State.objects.count(),
        Membership.objects.count(),
        list(Membership.objects.values_list("joined", flat=True)),
    )
    with pytest.raises(DataFileError) as caught:
        registry_load(directory=directory)
    assert (caught.value.file, caught.value.line, caught.value.field) == (file, line, field)
    assert file in str(caught.value) and f"line {line}" in str(caught.value)
    assert before == (
        State.objects.count(),
        Membership.objects.count(),
        list(Membership.objects.values_list("joined", flat=True)),
    )


@pytest.mark.django_db
def test_loading_twice_changes_nothing() -> None:
    from comity.core.models import AuditEntry

    entries = AuditEntry.objects.count()
    report = registry_load()
    assert report.changed == 0
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_a_changed_fact_is_updated_and_logged(tmp_path: Path) -> None:
    from comity.core.models import AuditEntry

    directory = _corrupt(tmp_path, "eu_membership.csv", "HRV,2013-07-01", "HRV,2013-07-02")
    report = registry_load(directory=directory)
    assert report.counts["Membership"]["created"] == 1 and report.counts["Membership"]["deleted"] == 1
    assert AuditEntry.objects.filter(content_type__model="membership", action="delete").exists()
