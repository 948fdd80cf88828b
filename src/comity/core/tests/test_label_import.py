"""Labels written by other implementations: bare 4774 labels under their own prefixes, NCMS label
elements, 4778 bindings, optional parts missing, LACV values, and hostile XML."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from comity.core.access import CategorySpec, CategoryType, LabelSpec
from comity.core.label_xml import LabelXMLError, from_xml, to_xml
from comity.core.labels import render_marking

FIXTURES = Path(__file__).parent / "data" / "labels"
NATO = ("UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP SECRET")
RANKS = {("NATO", name): rank for rank, name in enumerate(NATO, 1)} | {("PUBLIC", "UNMARKED"): 0}
LABEL_NS = "urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"


def read(name: str) -> LabelSpec:
    return from_xml((FIXTURES / name).read_bytes(), rank_of=RANKS)


@pytest.mark.parametrize(
    ("name", "marking"),
    [
        ("foreign-prefix.xml", "NATO RESTRICTED REL TO CHE, JPN, UKR"),
        ("default-namespace-minimal.xml", "NATO UNCLASSIFIED"),
        ("originator-integer-values.xml", "NATO SECRET REL TO FIN, SWE SPECIAL CATEGORY DESIGNATORS: CRYPTO"),
        ("binding.xml", "NATO SECRET REL TO NATO"),
    ],
)
def test_labels_from_other_implementations_are_read(name: str, marking: str) -> None:
    assert render_marking(read(name)) == marking


def test_optional_parts_may_be_missing() -> None:
    spec = read("default-namespace-minimal.xml")
    assert spec.categories == ()
    assert spec.created == datetime(2025, 6, 1, 7, 30, tzinfo=UTC)


def test_a_binding_gives_the_label_of_its_data_not_of_its_metadata() -> None:
    spec = read("binding.xml")
    assert (spec.policy, spec.classification) == ("NATO", "SECRET")  # the nested BDO label is PUBLIC


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("no-creation-time.xml", "has no CreationDateTime"),
        ("binding-two-labels.xml", "2 different originatorConfidentialityLabel"),
        ("binding-no-label.xml", "carries no label of its data"),
        ("policy-mismatch.xml", "URI is the OID of policy NATO"),
        ("external-entity.xml", "declares a DTD"),
        ("billion-laughs.xml", "amplification|declares a DTD"),
    ],
)
def test_bad_and_hostile_files_are_refused_with_the_reason(name: str, message: str) -> None:
    with pytest.raises(LabelXMLError, match=message):
        read(name)


def test_an_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("FIN")
    text = (FIXTURES / "external-entity.xml").read_text().replace("file:///etc/passwd", secret.as_uri())
    with pytest.raises(LabelXMLError, match="DTD"):
        from_xml(text, rank_of=RANKS)


def _label(info: str) -> str:
    return (
        f'<ConfidentialityLabel xmlns="{LABEL_NS}"><ConfidentialityInformation>'
        f"<PolicyIdentifier>NATO</PolicyIdentifier><Classification>SECRET</Classification>{info}"
        "</ConfidentialityInformation><CreationDateTime>2025-01-01T00:00:00Z</CreationDateTime>"
        "</ConfidentialityLabel>"
    )


@pytest.mark.parametrize(
    ("category", "message"),
    [
        ("<IntegerValue>1001</IntegerValue>", "names several values \\(OCCAR, NATO\\)"),
        ("<IntegerValue>999999</IntegerValue>", "names no value"),
        ("<IntegerValue>" + "9" * 5000 + "</IntegerValue>", "is not a LACV"),
        ("<BitStringValue>0101</BitStringValue>", "BitStringValue"),
    ],
)
def test_lacvs_that_name_no_single_value_are_refused(category: str, message: str) -> None:
    text = _label(f'<Category TagName="Releasable To" Type="PERMISSIVE">{category}</Category>')
    with pytest.raises(LabelXMLError, match=message):
        from_xml(text, rank_of=RANKS)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not xml at all",
        "\x00\x01\x02",
        '<Label xmlns="urn:example:other"/>',
        '<BindingInformation xmlns="urn:nato:stanag:4778:bindinginformation:1:0"/>',
        f'<ConfidentialityLabel xmlns="{LABEL_NS}"/>',
        _label("").replace("<Classification>SECRET</Classification>", ""),
        _label("").replace("<PolicyIdentifier>NATO</PolicyIdentifier>", "<PolicyIdentifier> </PolicyIdentifier>"),
    ],
)
def test_anything_else_is_a_label_error(text: str) -> None:
    with pytest.raises(LabelXMLError):
        from_xml(text, rank_of=RANKS)


def test_hostile_values_stay_text() -> None:
    spec = from_xml(
        _label('<Category TagName="Context" Type="PERMISSIVE"><GenericValue>&lt;script&gt;</GenericValue></Category>'),
        rank_of=RANKS,
    )
    assert spec.categories[0].values == frozenset({"<script>"})


def test_comitys_own_labels_still_read_back() -> None:
    rel = CategorySpec("Releasable To", CategoryType.PERMISSIVE, frozenset({"FIN", "NATO"}))
    spec = LabelSpec("NATO", "SECRET", 4, (rel,), datetime(2026, 1, 2, tzinfo=UTC))
    assert from_xml(to_xml(spec, policy_oid="1.3.26.1.3.1"), rank_of=RANKS) == spec


def test_a_binding_whose_labels_lack_their_parts_is_refused_by_name() -> None:
    text = (
        '<BindingInformation xmlns="urn:nato:stanag:4778:bindinginformation:1:0" '
        f'xmlns:l="{LABEL_NS}"><MetadataBindingContainer><MetadataBinding>'
        "<Metadata><l:originatorConfidentialityLabel/></Metadata>"
        "<Metadata><l:originatorConfidentialityLabel>x</l:originatorConfidentialityLabel></Metadata>"
        '<DataReference URI=""/></MetadataBinding></MetadataBindingContainer></BindingInformation>'
    )
    with pytest.raises(LabelXMLError, match="2 different"):
        from_xml(text, rank_of=RANKS)
    single = text.replace(
        "<Metadata><l:originatorConfidentialityLabel>x</l:originatorConfidentialityLabel></Metadata>", ""
    )
    with pytest.raises(LabelXMLError, match="has no ConfidentialityInformation"):
        from_xml(single, rank_of=RANKS)


def test_the_label_inside_a_binding_is_checked_against_the_label_schema() -> None:
    text = (FIXTURES / "binding.xml").read_text().replace('TagName="Releasable To" ', "", 1)
    with pytest.raises(LabelXMLError, match="'TagName' is required"):
        from_xml(text, rank_of=RANKS)
