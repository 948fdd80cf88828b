"""STANAG 4778 binding documents: write a ``Binding`` as XML, validate it, read and verify it.

The document (``urn:nato:stanag:4778:bindinginformation:1:0``, the NCI Agency's ``nl-mb.xsd``
shipped in ``comity/data/labels``)::

    mb:BindingInformation
      ds:Signature                      (XML-Signature; its SignatureValue is the binding's)
        ds:SignedInfo                   (binding.signed_info: the label and content references)
        ds:SignatureValue
        ds:KeyInfo/ds:KeyName           (the signing key's id; the key itself is never in it)
      mb:MetadataBindingContainer/mb:MetadataBinding
        mb:Metadata/slab:ConfidentialityLabel   (the STANAG 4774 label, as signed)
        mb:DataReference URI=data_uri           (the content, detached)

It is validated against ``nl-mb.xsd`` and ``nl-cl.xsd`` together, so the label inside is checked
as STANAG 4774 too, not skipped by the binding schema's lax wildcard. Nothing is fetched.

``verify_xml`` reads a document back (no network, no entities) and checks it as ``verify`` does,
plus the shape: the algorithms and the label reference must be the ones ``bind`` writes, since
this module verifies its own profile and does not evaluate arbitrary XPath.
"""

from __future__ import annotations

import base64
import binascii
from functools import cache

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from lxml import etree

from comity.core.crypto.binding import (
    DS,
    ED25519,
    EXC_C14N,
    LABEL_XPATH,
    SHA256,
    SLAB,
    XPATH,
    Binding,
    Verdict,
    canonical_label,
    signed_info,
    verify,
)
from comity.data import PACKAGE_DATA

MB = "urn:nato:stanag:4778:bindinginformation:1:0"
LABELS_DIR = PACKAGE_DATA / "labels"
_MB = f"{{{MB}}}"
_DS = f"{{{DS}}}"
_NS = {"mb": MB, "ds": DS, "slab": SLAB}


class BindingXMLError(ValueError):
    """Binding XML that is not well formed or not valid against the 4778 and 4774 schemas."""


@cache
def schema() -> etree.XMLSchema:
    """The 4778 binding schema with the 4774 label schema beside it, parsed once."""
    bundle = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:import namespace="{MB}" schemaLocation="nl-mb.xsd"/>
      <xs:import namespace="{SLAB}" schemaLocation="nl-cl.xsd"/>
    </xs:schema>"""
    parser = etree.XMLParser(no_network=True)
    document = etree.fromstring(bundle.encode(), parser, base_url=(LABELS_DIR / "bundle.xsd").as_uri())
    return etree.XMLSchema(document)


def validate(element: etree._Element) -> None:
    """Raise ``BindingXMLError`` with the schema's first complaint when the document is invalid."""
    checker = schema()
    if not checker.validate(element):
        error = checker.error_log.last_error
        raise BindingXMLError(f"binding XML is not valid STANAG 4778: line {error.line}: {error.message}")


def to_element(binding: Binding, label_xml_canonical: bytes) -> etree._Element:
    """The ``mb:BindingInformation`` element of a binding and the label it was made over."""
    root = etree.Element(_MB + "BindingInformation", nsmap={"mb": MB, "ds": DS})
    signature = etree.SubElement(root, _DS + "Signature")
    signature.append(signed_info(binding.label_digest, binding.content_digest, binding.data_uri))
    etree.SubElement(signature, _DS + "SignatureValue").text = base64.b64encode(binding.signature).decode()
    key_info = etree.SubElement(signature, _DS + "KeyInfo")
    etree.SubElement(key_info, _DS + "KeyName").text = binding.key_id
    metadata_binding = etree.SubElement(
        etree.SubElement(root, _MB + "MetadataBindingContainer"), _MB + "MetadataBinding"
    )
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    etree.SubElement(metadata_binding, _MB + "Metadata").append(etree.fromstring(label_xml_canonical, parser))
    etree.SubElement(metadata_binding, _MB + "DataReference", URI=binding.data_uri)
    return root


def to_xml(binding: Binding, label_xml_canonical: bytes) -> bytes:
    """The binding document, schema-valid, UTF-8 (not pretty-printed: indentation inside the label
    would change its canonical bytes)."""
    element = to_element(binding, label_xml_canonical)
    validate(element)
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8")


def _b64(text: str | None) -> bytes:
    return base64.b64decode((text or "").strip(), validate=True)


def _read(document: etree._Element) -> tuple[Binding, bytes] | None:
    """The binding and canonical label a valid document holds, if it is of ``bind``'s profile."""
    info = document.find("ds:Signature/ds:SignedInfo", _NS)
    label = document.find("mb:MetadataBindingContainer/mb:MetadataBinding/mb:Metadata/slab:ConfidentialityLabel", _NS)
    data = document.find("mb:MetadataBindingContainer/mb:MetadataBinding/mb:DataReference", _NS)
    if info is None or label is None or data is None:
        return None
    algorithms = [(e.get("Algorithm")) for e in info.iterfind(".//*[@Algorithm]")]
    references = info.findall("ds:Reference", _NS)
    if algorithms != [EXC_C14N, ED25519, XPATH, EXC_C14N, SHA256, SHA256] or len(references) != 2:
        return None
    label_ref, data_ref = references
    if (
        label_ref.get("URI") != ""
        or (label_ref.findtext("ds:Transforms/ds:Transform/ds:XPath", namespaces=_NS) or "").strip() != LABEL_XPATH
    ):
        return None
    if data_ref.get("URI") != data.get("URI"):
        return None
    binding = Binding(
        key_id=(document.findtext("ds:Signature/ds:KeyInfo/ds:KeyName", namespaces=_NS) or "").strip(),
        label_digest=_b64(label_ref.findtext("ds:DigestValue", namespaces=_NS)),
        content_digest=_b64(data_ref.findtext("ds:DigestValue", namespaces=_NS)),
        signature=_b64(document.findtext("ds:Signature/ds:SignatureValue", namespaces=_NS)),
        data_uri=data.get("URI", ""),
    )
    return binding, canonical_label(label)


def verify_xml(xml: bytes, content: bytes, *, public_key: Ed25519PublicKey | None = None) -> Verdict:
    """``OK`` when the document is valid 4778, of ``bind``'s profile, and its signature holds for
    the label it carries and ``content``; ``TAMPERED`` for anything else, malformed XML included."""
    try:
        document = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
        validate(document)
        read = _read(document)
    except (etree.XMLSyntaxError, BindingXMLError, binascii.Error, ValueError):
        return Verdict.TAMPERED
    if read is None:
        return Verdict.TAMPERED
    binding, label = read
    return verify(binding, label, content, public_key=public_key)
