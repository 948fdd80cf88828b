"""Read Security Policy Information Files (Open XML SPIF 2.1) into plain definitions.

comity takes each policy's classifications (with their order) and category tags from its SPIF,
so that adding a national policy is adding its SPIF, not code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from comity.core.access import CategoryType

SPIF_NS = {"s": "http://www.xmlspif.org/spif"}

#: SPIF tag types mapped to STANAG 4774 category types. ``tagType7`` (an encoding choice for
#: informative markings such as "Administrative") does not restrict access.
TAG_TYPES = {
    "permissive": CategoryType.PERMISSIVE,
    "restrictive": CategoryType.RESTRICTIVE,
    "enumerated": CategoryType.INFORMATIVE,
    "tagType7": CategoryType.INFORMATIVE,
}


@dataclass(frozen=True)
class ClassificationDef:
    name: str
    lacv: int
    hierarchy: int


@dataclass(frozen=True)
class TagDef:
    name: str
    oid: str
    type: CategoryType
    values: tuple[str, ...]


@dataclass(frozen=True)
class PolicyDef:
    name: str
    oid: str
    version: str
    classifications: tuple[ClassificationDef, ...]
    tags: tuple[TagDef, ...]
    source: str


class SPIFError(ValueError):
    """A SPIF that cannot be read."""


def hardened_parser() -> etree.XMLParser:
    """An XML parser for files from elsewhere: no entity expansion, no DTD loading, nothing
    fetched, no huge trees (billion laughs and external entities go nowhere)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def refuse_dtd(tree: etree._ElementTree, what: str) -> None:
    """Raise ``ValueError`` when a document declares a DTD: neither SPIFs nor labels need one,
    and entity declarations are how XML bombs and external-entity reads begin."""
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise ValueError(f"{what} declares a DTD (<!DOCTYPE ...>), which comity does not accept")


def parse_spif(path: Path) -> etree._Element:
    """The root element of a SPIF file, parsed with the hardened parser."""
    try:
        tree = etree.parse(str(path), hardened_parser())
        refuse_dtd(tree, path.name)
    except (OSError, etree.XMLSyntaxError, ValueError) as exc:
        raise SPIFError(f"{path.name}: cannot read SPIF: {exc}") from exc
    return tree.getroot()


def read_spif(path: Path) -> PolicyDef:
    """Parse one SPIF file."""
    root = parse_spif(path)
    policy = root.find("s:securityPolicyId", SPIF_NS)
    if policy is None:
        raise SPIFError(f"{path.name}: no securityPolicyId")
    classifications = tuple(
        ClassificationDef(c.get("name", ""), int(c.get("lacv", "0")), int(c.get("hierarchy", "0")))
        for c in root.iterfind("s:securityClassifications/s:securityClassification", SPIF_NS)
    )
    tags: list[TagDef] = []
    for tag_set in root.iterfind("s:securityCategoryTagSets/s:securityCategoryTagSet", SPIF_NS):
        for tag in tag_set.iterfind("s:securityCategoryTag", SPIF_NS):
            values = tuple(dict.fromkeys(c.get("name", "").strip() for c in tag.iterfind("s:tagCategory", SPIF_NS)))
            tags.append(
                TagDef(
                    name=tag_set.get("name", ""),
                    oid=tag_set.get("id", ""),
                    type=TAG_TYPES.get(tag.get("tagType", ""), CategoryType.INFORMATIVE),
                    values=values,
                )
            )
    return PolicyDef(
        name=policy.get("name", ""),
        oid=policy.get("id", ""),
        version=root.get("version", ""),
        classifications=classifications,
        tags=tuple(tags),
        source=path.name,
    )
