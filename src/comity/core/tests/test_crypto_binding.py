"""Label binding (STANAG 4778): a binding verifies for its own label and content only, and its
XML is valid against the shipped 4778 and 4774 schemas and verifies after a round trip."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from lxml import etree

from comity.core.access import CategorySpec, CategoryType, LabelSpec
from comity.core.crypto.binding import (
    Verdict,
    _message,
    bind,
    canonical_label,
    canonical_signed_info,
    instance_public_key,
    verify,
)
from comity.core.crypto.binding_xml import BindingXMLError, schema, to_element, to_xml, validate, verify_xml
from comity.core.label_xml import to_element as label_element
from comity.core.testing.crypto import isolated_keys

REL = CategorySpec("Releasable To", CategoryType.PERMISSIVE, frozenset({"FIN", "NATO"}))
WHEN = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
LABEL = canonical_label(label_element(LabelSpec("NATO", "SECRET", 4, (REL,), WHEN)))
LOWER = canonical_label(label_element(LabelSpec("NATO", "RESTRICTED", 2, (REL,), WHEN)))
CONTENT = b"Minutes of the staff talks, 4 December 2026 <script>alert(1)</script>"


@pytest.fixture(autouse=True)
def keys(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return isolated_keys(settings, tmp_path, monkeypatch)


def test_the_canonical_label_is_exclusive_c14n_of_the_4774_element() -> None:
    assert LABEL.startswith(b'<slab:ConfidentialityLabel xmlns:slab="urn:nato:stanag:4774:')
    assert b"<slab:Classification>SECRET</slab:Classification>" in LABEL
    assert canonical_label(etree.fromstring(LABEL)) == LABEL  # idempotent


def test_a_binding_verifies_for_its_label_and_content() -> None:
    assert verify(bind(LABEL, CONTENT), LABEL, CONTENT) is Verdict.OK


@pytest.mark.parametrize("change", ["content", "label", "signature", "digest", "data uri"])
def test_anything_changed_is_tampered(change: str) -> None:
    binding = bind(LABEL, CONTENT)
    label, content = LABEL, CONTENT
    if change == "content":
        content = CONTENT.replace(b"4 December", b"5 December")
    elif change == "label":
        label = LOWER  # the same content presented under a lower label
    elif change == "signature":
        binding = replace(binding, signature=bytes([binding.signature[0] ^ 1]) + binding.signature[1:])
    elif change == "digest":  # the digest of the lower label, which the signature does not cover
        binding, label = replace(binding, label_digest=bind(LOWER, CONTENT).label_digest), LOWER
    else:
        binding = replace(binding, data_uri="cid:other")
    assert verify(binding, label, content) is Verdict.TAMPERED


def test_a_binding_checked_with_another_key_is_tampered() -> None:
    binding = bind(LABEL, CONTENT)
    assert verify(binding, LABEL, CONTENT, public_key=Ed25519PrivateKey.generate().public_key()) is Verdict.TAMPERED
    assert verify(binding, LABEL, CONTENT, public_key=instance_public_key()) is Verdict.OK


def test_the_binding_xml_validates_against_the_shipped_4778_schema() -> None:
    xml = to_xml(bind(LABEL, CONTENT), LABEL)
    document = etree.fromstring(xml)
    assert schema().validate(document), schema().error_log
    assert document.tag == "{urn:nato:stanag:4778:bindinginformation:1:0}BindingInformation"
    assert CONTENT not in xml  # detached: the binding names the content, never holds it


def test_the_label_inside_is_checked_as_4774_too() -> None:
    element = to_element(bind(LABEL, CONTENT), LABEL)
    classification = element.find(".//{urn:nato:stanag:4774:confidentialitymetadatalabel:1:0}Classification")
    assert classification is not None
    classification.getparent().remove(classification)  # a 4774 label must have its classification
    with pytest.raises(BindingXMLError, match=r"Expected is .*Classification"):
        validate(element)


def test_the_binding_xml_verifies_after_a_round_trip_and_not_when_changed() -> None:
    xml = to_xml(bind(LABEL, CONTENT, data_uri="urn:comity:message:42"), LABEL)
    assert verify_xml(xml, CONTENT) is Verdict.OK
    assert verify_xml(xml, CONTENT + b" ") is Verdict.TAMPERED
    relabelled = xml.replace(b"<slab:Classification>SECRET<", b"<slab:Classification>RESTRICTED<")
    assert relabelled != xml and verify_xml(relabelled, CONTENT) is Verdict.TAMPERED
    released = xml.replace(b"<slab:GenericValue>FIN</slab:GenericValue>", b"<slab:GenericValue>RUS</slab:GenericValue>")
    assert released != xml and verify_xml(released, CONTENT) is Verdict.TAMPERED
    moved = xml.replace(b'URI="urn:comity:message:42"', b'URI="urn:comity:message:43"')
    assert verify_xml(moved, CONTENT) is Verdict.TAMPERED


@pytest.mark.parametrize(
    "xml",
    [b"", b"<not-xml", b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', b"<x/>"],
    ids=["empty", "malformed", "external entity", "other document"],
)
def test_malformed_binding_xml_is_tampered_not_an_exception(xml: bytes) -> None:
    assert verify_xml(xml, CONTENT) is Verdict.TAMPERED


@pytest.mark.parametrize(
    "data_uri",
    ["cid:content", 'urn:x:"quoted"&<amp>', "https://example.org/a?b=1&c=<2>#'x'", "urn:comity:Ærø:ü", "x" * 2048],
)
def test_the_signed_bytes_from_the_template_are_lxmls_canonical_signed_info(data_uri: str) -> None:
    label_digest, content_digest = bytes(range(32)), bytes(range(32, 64))
    assert _message(label_digest, content_digest, data_uri) == canonical_signed_info(
        label_digest, content_digest, data_uri
    )
    xml = to_xml(bind(LABEL, CONTENT, data_uri=data_uri), LABEL)
    assert verify_xml(xml, CONTENT) is Verdict.OK


@pytest.mark.parametrize("data_uri", ["", "cid:a\nb", "cid:\x00", "x" * 2049])
def test_a_data_uri_with_control_characters_or_out_of_bounds_is_refused(data_uri: str) -> None:
    with pytest.raises(ValueError, match="data_uri"):
        bind(LABEL, CONTENT, data_uri=data_uri)
