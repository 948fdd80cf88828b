"""STANAG 4774 confidentiality-label XML: write, read back, and validate against the XSD.

The schema is the NCI Agency's ``nl-cl.xsd`` shipped in ``comity/data/labels`` (see its
SOURCES.md); validation never touches the network.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from lxml import etree

from comity.core.access import CategoryType, LabelSpec
from comity.core.spif import hardened_parser, refuse_dtd
from comity.data import PACKAGE_DATA

NS = "urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"
_Q = f"{{{NS}}}"
SCHEMA_FILE = PACKAGE_DATA / "labels" / "nl-cl.xsd"


class LabelXMLError(ValueError):
    """Label XML that is not well formed or not valid against the STANAG 4774 schema."""


@cache
def schema() -> etree.XMLSchema:
    """The STANAG 4774 schema, parsed once."""
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE)))


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_element(spec: LabelSpec, *, policy_oid: str = "", tag_oids: dict[str, str] | None = None) -> etree._Element:
    """Build the ``ConfidentialityLabel`` element of a label."""
    tag_oids = tag_oids or {}
    root = etree.Element(f"{_Q}ConfidentialityLabel", nsmap={"slab": NS})
    info = etree.SubElement(root, f"{_Q}ConfidentialityInformation")
    policy = etree.SubElement(info, f"{_Q}PolicyIdentifier")
    policy.text = spec.policy
    if policy_oid:
        policy.set("URI", f"urn:oid:{policy_oid}")
    etree.SubElement(info, f"{_Q}Classification").text = spec.classification
    for category in sorted(spec.categories, key=lambda c: c.tag_name):
        element = etree.SubElement(info, f"{_Q}Category", TagName=category.tag_name, Type=category.type.value)
        if category.tag_name in tag_oids:
            element.set("URI", f"urn:oid:{tag_oids[category.tag_name]}")
        for value in sorted(category.values):
            etree.SubElement(element, f"{_Q}GenericValue").text = value
    created = spec.created or datetime.now(UTC)
    etree.SubElement(root, f"{_Q}CreationDateTime").text = _timestamp(created)
    return root


def to_xml(spec: LabelSpec, *, policy_oid: str = "", tag_oids: dict[str, str] | None = None) -> str:
    """Serialise a label to schema-valid STANAG 4774 XML."""
    element = to_element(spec, policy_oid=policy_oid, tag_oids=tag_oids)
    validate(element)
    return etree.tostring(element, pretty_print=True, xml_declaration=True, encoding="UTF-8").decode()


def validate(element: etree._Element) -> None:
    """Raise ``LabelXMLError`` with the schema's first complaint when the element is invalid."""
    checker = schema()
    if not checker.validate(element):
        error = checker.error_log.last_error
        raise LabelXMLError(f"label XML is not valid STANAG 4774: line {error.line}: {error.message}")


def _category_type(raw: str) -> CategoryType:
    """The category's type as the schema reads it: a token, so surrounding and repeated white
    space (a carriage return included) collapses before the enumeration is matched."""
    collapsed = " ".join(raw.split())
    try:
        return CategoryType(collapsed)
    except ValueError as exc:  # pragma: no cover - the schema's enumeration refuses it first
        raise LabelXMLError(f"unknown category type {collapsed[:40]!r}") from exc


def _parse(text: str | bytes) -> etree._Element:
    """The document's root, parsed without entities, DTDs or network (an XML bomb or an
    external entity is refused, never expanded)."""
    try:
        data = text.encode() if isinstance(text, str) else text
        tree = etree.fromstring(data, hardened_parser()).getroottree()
        refuse_dtd(tree, "label XML")
    except UnicodeEncodeError as exc:  # a str holding a lone surrogate (from a JSON escape)
        raise LabelXMLError("label XML is not valid Unicode text") from exc
    except etree.XMLSyntaxError as exc:
        raise LabelXMLError(f"label XML is not well formed: {exc}") from exc
    except ValueError as exc:  # the DTD refusal, or a str with an encoding declaration
        raise LabelXMLError(str(exc)) from exc
    return tree.getroot()


def from_xml(text: str | bytes, *, rank_of: dict[tuple[str, str], int]) -> LabelSpec:
    """Parse and validate label XML; ``rank_of`` maps (policy, classification) to its rank.

    The document is a bare STANAG 4774 label (``ConfidentialityLabel`` or one of the NCMS
    label elements) or a STANAG 4778 ``BindingInformation`` carrying one (``core.label_import``),
    under any namespace prefixes.
    """
    from comity.core import label_import  # it reads this module's schema and errors

    element = label_import.label_element(_parse(text))
    label_import.check_required_parts(element)
    info = element.find(f"{_Q}ConfidentialityInformation")
    identifier = None if info is None else info.find(f"{_Q}PolicyIdentifier")
    if info is None or identifier is None:  # pragma: no cover - check_required_parts refuses it
        raise LabelXMLError("label XML has no PolicyIdentifier")
    policy = label_import.policy_name(identifier)
    classification = (info.findtext(f"{_Q}Classification") or "").strip()
    if (policy, classification) not in rank_of:
        raise LabelXMLError(f"unknown policy/classification {policy} {classification}")
    categories = tuple(
        label_import.category(policy, c, _category_type(c.get("Type", ""))) for c in info.findall(f"{_Q}Category")
    )
    created_text = (element.findtext(f"{_Q}CreationDateTime") or "").strip()
    try:
        created = datetime.fromisoformat(created_text.replace("Z", "+00:00")) if created_text else None
    except ValueError as exc:  # the schema allows 24:00:00 and years beyond 9999; Python does not
        raise LabelXMLError(f"label CreationDateTime {created_text[:40]!r} is not a time comity can hold") from exc
    return LabelSpec(policy, classification, rank_of[(policy, classification)], categories, created)
