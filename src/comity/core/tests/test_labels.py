"""Labels: validation, markings, JSON and STANAG 4774 XML round trips, the page high-water mark."""

from __future__ import annotations

import pytest
from lxml import etree

from comity.core.access import CategorySpec, CategoryType, LabelSpec
from comity.core.label_xml import LabelXMLError, from_xml, schema, to_xml
from comity.core.labels import (
    LabelError,
    high_water_mark,
    label_from_marking,
    label_get_or_create,
    parse_marking,
    render_marking,
    spec_from_dict,
    spec_to_dict,
)
from comity.core.models import Classification

pytestmark = pytest.mark.django_db


def ranks() -> dict[tuple[str, str], int]:
    return {(p, c): r for p, c, r in Classification.objects.values_list("policy__name", "name", "rank")}


def test_policies_come_from_the_spifs_in_order() -> None:
    nato = list(Classification.objects.filter(policy__name="NATO").order_by("rank").values_list("name", flat=True))
    assert nato == ["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP SECRET"]
    assert str(Classification.objects.get(policy__name="NATO", name="TOP SECRET")) == "COSMIC TOP SECRET"


@pytest.mark.parametrize(
    ("text", "marking"),
    [
        ("PUBLIC", "PUBLIC"),
        ("NATO RESTRICTED", "NATO RESTRICTED"),
        ("nato secret rel to swe, fin", "NATO SECRET REL TO FIN, SWE"),
        ("COSMIC TOP SECRET REL TO NATO", "COSMIC TOP SECRET REL TO NATO"),
    ],
)
def test_marking_round_trip(text: str, marking: str) -> None:
    assert render_marking(parse_marking(text)) == marking
    assert label_from_marking(text).marking == marking


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (LabelSpec("DEU", "GEHEIM", 0), "unknown security policy"),
        (LabelSpec("NATO", "VERY SECRET", 0), "no classification"),
        (
            LabelSpec("NATO", "SECRET", 0, (CategorySpec("Eyes", CategoryType.PERMISSIVE, frozenset({"X"})),)),
            "no category",
        ),
        (
            LabelSpec(
                "NATO", "SECRET", 0, (CategorySpec("Releasable To", CategoryType.PERMISSIVE, frozenset({"ZZZ"})),)
            ),
            "does not allow ZZZ",
        ),
        (
            LabelSpec("NATO", "SECRET", 0, (CategorySpec("Releasable To", CategoryType.PERMISSIVE, frozenset()),)),
            "no values",
        ),
    ],
)
def test_invalid_labels_are_refused_with_the_reason(spec: LabelSpec, message: str) -> None:
    with pytest.raises(LabelError, match=message):
        label_get_or_create(spec)


def test_category_type_comes_from_the_policy_not_the_caller() -> None:
    sneaky = CategorySpec("Special Category Designators", CategoryType.PERMISSIVE, frozenset({"ATOMAL", "CRYPTO"}))
    label = label_get_or_create(LabelSpec("NATO", "SECRET", 4, (sneaky,)))
    assert label.categories.get().type == "RESTRICTIVE"


def test_same_content_is_stored_once() -> None:
    assert label_from_marking("NATO SECRET REL TO FIN, SWE") == label_from_marking("NATO SECRET REL TO SWE, FIN")


def test_json_round_trip() -> None:
    spec = label_from_marking("NATO CONFIDENTIAL REL TO NATO, UKR").to_spec()
    back = spec_from_dict(spec_to_dict(spec))
    assert (back.policy, back.classification, back.rank, back.categories) == (
        spec.policy,
        spec.classification,
        spec.rank,
        spec.categories,
    )


def test_xml_is_valid_stanag_4774_and_parses_back() -> None:
    special = CategorySpec("Special Category Designators", CategoryType.RESTRICTIVE, frozenset({"ATOMAL"}))
    rel = CategorySpec("Releasable To", CategoryType.PERMISSIVE, frozenset({"FIN", "NATO"}))
    stored = label_get_or_create(LabelSpec("NATO", "SECRET", 4, (rel, special)))
    spec = stored.to_spec()
    xml = to_xml(spec, policy_oid="1.3.26.1.3.1")
    assert schema().validate(etree.fromstring(xml.encode()))
    back = from_xml(xml, rank_of=ranks())
    assert (back.policy, back.classification, back.rank, set(back.categories)) == (
        "NATO",
        "SECRET",
        4,
        set(spec.categories),
    )
    assert back.created is not None


def test_the_schemas_own_example_parses() -> None:
    example = (
        '<ConfidentialityLabel xmlns="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0" '
        'ReviewDateTime="2029-04-01T09:00:00Z"><ConfidentialityInformation><PolicyIdentifier>PUBLIC</PolicyIdentifier>'
        "<Classification>UNMARKED</Classification></ConfidentialityInformation>"
        "<CreationDateTime>2019-04-01T09:00:00Z</CreationDateTime></ConfidentialityLabel>"
    )
    assert from_xml(example, rank_of=ranks()).classification == "UNMARKED"


def test_invalid_xml_is_refused() -> None:
    missing_time = (
        '<ConfidentialityLabel xmlns="urn:nato:stanag:4774:confidentialitymetadatalabel:1:0">'
        "<ConfidentialityInformation><PolicyIdentifier>NATO</PolicyIdentifier>"
        "<Classification>SECRET</Classification></ConfidentialityInformation></ConfidentialityLabel>"
    )
    with pytest.raises(LabelXMLError, match="not valid"):
        from_xml(missing_time, rank_of=ranks())
    with pytest.raises(LabelXMLError, match="well formed"):
        from_xml("<oops", rank_of=ranks())


def test_high_water_mark_takes_highest_class_and_common_release() -> None:
    specs = [
        parse_marking("PUBLIC"),
        parse_marking("NATO RESTRICTED REL TO NATO, FIN"),
        parse_marking("NATO SECRET REL TO FIN, SWE"),
    ]
    members = {"NATO": frozenset({"FIN", "NLD"})}
    assert render_marking(high_water_mark(specs, expand=members.__getitem__)) == "NATO SECRET REL TO FIN"
