"""Reading labels that other implementations wrote: where the label is, and what its parts mean.

Other systems send a STANAG 4774 label on its own (``ConfidentialityLabel``, or one of the NCMS
elements ``originatorConfidentialityLabel``, ``alternativeConfidentialityLabel``,
``metadataConfidentialityLabel``) or inside a STANAG 4778 ``BindingInformation``, with their own
namespace prefixes and without the optional parts comity writes (``OriginatorID``, a
``PolicyIdentifier`` URI, categories, category ``URI``\\ s). This module finds the label of the
bound data, names each part a label lacks in plain words, and reads category values given as
LACVs (``IntegerValue``) through the policy's SPIF. Every refusal is a ``LabelXMLError``.
"""

from __future__ import annotations

from functools import cache

from lxml import etree

from comity.core.access import CategorySpec, CategoryType
from comity.core.label_xml import NS, LabelXMLError, validate
from comity.core.markings import policy_for, shipped_policies
from comity.data import PACKAGE_DATA

BINDING_NS = "urn:nato:stanag:4778:bindinginformation:1:0"
BINDING_SCHEMA_FILE = PACKAGE_DATA / "labels" / "nl-mb.xsd"
#: The global label elements of ``nl-cl.xsd``; any of them may stand alone.
LABEL_ELEMENTS = (
    "ConfidentialityLabel",
    "originatorConfidentialityLabel",
    "alternativeConfidentialityLabel",
    "metadataConfidentialityLabel",
)
#: In a binding, the label of the bound data, in order of preference: the originator's (NCMS), or
#: a plain label. Alternative labels restate it under other policies; a metadata label is the
#: label of the metadata, not of the data.
BOUND_LABELS = ("originatorConfidentialityLabel", "ConfidentialityLabel")
INVALID = "label XML is not valid STANAG 4774"
_L = f"{{{NS}}}"
_B = f"{{{BINDING_NS}}}"


@cache
def binding_schema() -> etree.XMLSchema:
    """The STANAG 4778 schema (it imports XML-DSig and xmlmime, shipped beside it)."""
    return etree.XMLSchema(etree.parse(str(BINDING_SCHEMA_FILE)))


def _qname(element: etree._Element) -> tuple[str, str]:
    name = etree.QName(element)
    return name.namespace or "", name.localname


def label_element(root: etree._Element) -> etree._Element:
    """The label element of a document: the root itself, or the label a binding binds to its data."""
    namespace, local = _qname(root)
    if namespace == NS and local in LABEL_ELEMENTS:
        return root
    if namespace == BINDING_NS and local == "BindingInformation":
        return _bound_label(root)
    raise LabelXMLError(
        "expected a STANAG 4774 label (ConfidentialityLabel in namespace "
        f"{NS}) or a STANAG 4778 BindingInformation, not {local!r} in namespace {namespace or '(none)'!r}"
    )


def _bound_label(binding: etree._Element) -> etree._Element:
    """The label of the bound data: a direct ``Metadata`` child of the binding's own
    ``MetadataBinding``\\ s. Bindings nested in extensions (the BDO profile's container) label
    the metadata itself and are not read."""
    checker = binding_schema()
    if not checker.validate(binding):
        error = checker.error_log.last_error
        raise LabelXMLError(f"binding XML is not valid STANAG 4778: line {error.line}: {error.message}")
    path = f"{_B}MetadataBindingContainer/{_B}MetadataBinding/{_B}Metadata/*"
    candidates = [e for e in binding.iterfind(path) if isinstance(e.tag, str)]
    for wanted in BOUND_LABELS:
        found = [e for e in candidates if _qname(e) == (NS, wanted)]
        if not found:
            continue
        distinct = {_content(e) for e in found}
        if len(distinct) > 1:
            raise LabelXMLError(
                f"the binding carries {len(distinct)} different {wanted} elements; comity reads one label per file"
            )
        return found[0]
    raise LabelXMLError(
        "the binding carries no label of its data (an originatorConfidentialityLabel or ConfidentialityLabel "
        "in a Metadata element of its MetadataBinding)"
    )


def _content(label: etree._Element) -> bytes:
    """What makes two labels the same decision: their ConfidentialityInformation (the creation
    times may differ), or the whole element when it has none (``check_required_parts`` refuses
    it later; the 4778 schema does not look inside ``Metadata``)."""
    info = label.find(f"{_L}ConfidentialityInformation")
    return etree.tostring(label if info is None else info, method="c14n")


def check_required_parts(label: etree._Element) -> None:
    """Name the part a label lacks before the schema does it in its own words."""
    info = label.find(f"{_L}ConfidentialityInformation")
    if info is None:
        raise LabelXMLError(f"{INVALID}: the label has no ConfidentialityInformation, which it requires")
    for part in ("PolicyIdentifier", "Classification"):
        if not (info.findtext(f"{_L}{part}") or "").strip():
            raise LabelXMLError(f"{INVALID}: the label has no {part}, which it requires")
    if label.find(f"{_L}CreationDateTime") is None:
        raise LabelXMLError(f"{INVALID}: the label has no CreationDateTime, which it requires")
    validate(label)


def policy_name(identifier: etree._Element) -> str:
    """The policy a ``PolicyIdentifier`` names. Its ``URI`` is optional; when it is a
    ``urn:oid:`` of a shipped policy it must agree with the name, so that a label cannot name
    one policy in words and another in its identifier."""
    name = (identifier.text or "").strip()
    uri = (identifier.get("URI") or "").strip()
    if uri.startswith("urn:oid:"):
        by_oid = {policy.oid: policy.name for policy in shipped_policies().values()}
        named = by_oid.get(uri.removeprefix("urn:oid:"))
        if named is not None and named != name:
            raise LabelXMLError(f"the PolicyIdentifier says {name[:40]!r} but its URI is the OID of policy {named}")
    return name


def category(policy: str, element: etree._Element, kind: CategoryType) -> CategorySpec:
    """One ``Category``: ``GenericValue``\\ s are value names, ``IntegerValue``\\ s are LACVs
    read through the policy's SPIF; ``BitStringValue`` is refused (its bit order is not one
    comity can check)."""
    tag_name = element.get("TagName", "")
    values: set[str] = set()
    for value in element:
        if not isinstance(value.tag, str):  # a comment or processing instruction
            continue
        local = etree.QName(value).localname
        text = (value.text or "").strip()
        if local == "IntegerValue":
            values.add(_value_of_lacv(policy, tag_name, text))
        elif local == "BitStringValue":
            raise LabelXMLError(f"category {tag_name[:40]!r} holds a BitStringValue, which comity does not read")
        else:
            values.add(text)
    return CategorySpec(tag_name=tag_name, type=kind, values=frozenset(values))


def _value_of_lacv(policy: str, tag_name: str, digits: str) -> str:
    if len(digits) > 18:  # no LACV is that long, and int() refuses past 4,300 digits
        raise LabelXMLError(f"IntegerValue {digits[:20]}... of category {tag_name[:40]!r} is not a LACV")
    lacv = int(digits)
    spif = policy_for(policy)
    tag_set = spif.tag_set(tag_name) if spif else None
    if tag_set is None:
        raise LabelXMLError(f"category {tag_name[:40]!r} gives an IntegerValue but policy {policy} has no such tag set")
    names = list(dict.fromkeys(v.name for v in tag_set.values if v.lacv == lacv))
    if len(names) != 1:
        known = "no value" if not names else f"several values ({', '.join(names)})"
        raise LabelXMLError(f"IntegerValue {lacv} of category {tag_name!r} names {known} in the {policy} SPIF")
    return names[0]
