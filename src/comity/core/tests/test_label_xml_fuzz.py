"""Fuzzing label XML: damaged STANAG 4774 labels are a ``LabelXMLError``, never another exception."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comity.core.access import CategorySpec, CategoryType, LabelSpec
from comity.core.label_xml import LabelXMLError, from_xml, to_xml
from comity.core.testing.mutations import INSERTS, cell_values
from comity.core.testing.scale import scaled

RANKS = {("NATO", "SECRET"): 4, ("NATO", "RESTRICTED"): 2, ("PUBLIC", "UNMARKED"): 0}
REL = CategorySpec("Releasable To", CategoryType.PERMISSIVE, frozenset({"FIN", "NATO"}))
SAMPLE = to_xml(LabelSpec("NATO", "SECRET", 4, (REL,), datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)))
#: The parts of the sample a damaged label changes: values, names and the time stamp.
PARTS = ("NATO", "SECRET", "FIN", "Releasable To", "PERMISSIVE", "2026-01-02T03:04:05Z", "slab:", 'encoding="UTF-8"')
FUZZ = settings(max_examples=scaled(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parse(text: str | bytes) -> None:
    try:
        spec = from_xml(text, rank_of=RANKS)
    except LabelXMLError:
        return
    assert (spec.policy, spec.classification) in RANKS


@FUZZ
@given(part=st.sampled_from(PARTS), value=cell_values())
def test_a_replaced_value_is_a_label_or_a_label_error(part: str, value: str) -> None:
    _parse(SAMPLE.replace(part, value, 1))


@FUZZ
@given(data=st.data())
def test_inserted_or_cut_text_is_a_label_or_a_label_error(data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(SAMPLE)))
    if data.draw(st.booleans()):
        _parse(SAMPLE[:at])
    else:
        _parse(SAMPLE[:at] + data.draw(st.sampled_from(INSERTS)) + SAMPLE[at:])


@FUZZ
@given(raw=st.binary(max_size=200))
def test_arbitrary_bytes_are_a_label_error(raw: bytes) -> None:
    _parse(raw)


@pytest.mark.parametrize(
    "stamp",
    ["2026-01-02T24:00:00Z", "10000-01-02T03:04:05Z", "-0001-01-02T03:04:05Z", "2026-01-02T03:04:05.1234567891Z"],
)
def test_schema_valid_times_python_cannot_read_are_a_label_error(stamp: str) -> None:
    _parse(SAMPLE.replace("2026-01-02T03:04:05Z", stamp))


def test_a_lone_surrogate_is_a_label_error() -> None:
    with pytest.raises(LabelXMLError):
        from_xml(SAMPLE.replace("FIN", "\ud800"), rank_of=RANKS)


def test_a_category_type_is_read_as_the_schemas_token() -> None:
    """Found by ``make verify``: the schema collapses white space in the type; so does the reader."""
    assert 'Type="PERMISSIVE"' in SAMPLE
    spec = from_xml(SAMPLE.replace('Type="PERMISSIVE"', 'Type="&#13; PERMISSIVE "'), rank_of=RANKS)
    assert spec.categories[0].type is CategoryType.PERMISSIVE
