"""What a SPIF says about markings and valid labels, read into plain frozen dataclasses.

``core.spif`` reads what the database keeps of a policy (classifications, tags, values). This
module reads the rest of the Open XML SPIF 2.1 that a label's meaning depends on:

* the marking phrases of the policy, of each classification and of each category value, per
  language (``markingData`` with ``xml:lang`` and ``phrase``), for the page marking (codes
  ``pageTop``, ``pageBottom``, ``pageTopBottom``);
* each tag set's ``markingQualifier`` (prefix, suffix and separator of its values);
* the order in which the SPIF lists tag sets and values, which is the order of the marking;
* the validity rules: classifications that require categories (``requiredCategory``), values
  that exclude classifications (``excludedClass``) or require one (``requiredClass``), values
  that require or exclude other categories, how many values a tag may hold, obsolete entries.

Nothing here touches the database, so the rules can be checked against any SPIF file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from comity.core.spif import SPIF_NS, SPIFError, parse_spif

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: The marking codes that put a phrase in the page marking (the banner at the top and bottom).
PAGE_CODES = frozenset({"pageTop", "pageBottom", "pageTopBottom"})
#: Codes that keep a phrase off the page: shown only while an operator types the label, or a
#: classification whose name is suppressed while its categories are shown.
HIDING_CODES = frozenset({"noMarkingDisplay", "suppressClassName"})


@dataclass(frozen=True)
class Marking:
    """The page marking phrases of one SPIF element, by language ("" when the SPIF names none)."""

    phrases: tuple[tuple[str, str], ...] = ()
    hidden: bool = False

    def phrase(self, lang: str, default: str) -> str:
        """The phrase in ``lang``, else the one without a language, else ``default`` (the
        schema: "if the markingPhrase is absent, ... the name")."""
        by_lang = dict(reversed(self.phrases))  # the first phrase of a language wins
        for key in (lang, ""):
            if key in by_lang:
                return by_lang[key]
        return default


@dataclass(frozen=True)
class Qualifiers:
    """A tag set's ``markingQualifier``: what goes before, between and after its values."""

    prefix: str = ""
    suffix: str = ""
    separator: str = " "


@dataclass(frozen=True)
class CategoryRef:
    """One value of a tag set (by LACV), or every value of it (``lacv is None``)."""

    tag_set: str
    lacv: int | str | None


@dataclass(frozen=True)
class RequiredCategories:
    """A ``requiredCategory``: ``onlyOne``, ``oneOrMore`` or ``all`` of ``groups`` must be present."""

    operation: str
    groups: tuple[CategoryRef, ...]


@dataclass(frozen=True)
class ValueDef:
    name: str
    lacv: int | str | None
    marking: Marking
    excluded_classes: tuple[str, ...] = ()
    required_class: str = ""
    required: tuple[RequiredCategories, ...] = ()
    excluded: tuple[CategoryRef, ...] = ()
    obsolete: bool = False


@dataclass(frozen=True)
class TagSetDef:
    name: str
    values: tuple[ValueDef, ...]
    qualifiers: tuple[tuple[str, Qualifiers], ...] = ()
    max_selection: int | None = None
    min_selection: int | None = None

    def value(self, name: str) -> ValueDef | None:
        """The SPIF's first entry of that name (v88 lists some names twice)."""
        return next((v for v in self.values if v.name == name), None)

    def qualifiers_for(self, lang: str) -> Qualifiers:
        by_lang = dict(reversed(self.qualifiers))
        return by_lang.get(lang) or by_lang.get("") or Qualifiers()


@dataclass(frozen=True)
class ClassificationMarking:
    name: str
    marking: Marking
    required: tuple[RequiredCategories, ...] = ()
    obsolete: bool = False


@dataclass(frozen=True)
class SpifPolicy:
    """A policy as its SPIF defines markings and validity."""

    name: str
    oid: str
    marking: Marking
    classifications: tuple[ClassificationMarking, ...]
    tag_sets: tuple[TagSetDef, ...]

    def classification(self, name: str) -> ClassificationMarking | None:
        return next((c for c in self.classifications if c.name == name), None)

    def tag_set(self, name: str) -> TagSetDef | None:
        return next((t for t in self.tag_sets if t.name == name), None)


def _lacv(raw: str | None) -> int | str | None:
    """A LACV as the schema types it: an integer (``"008"`` is 8) or else a string."""
    if raw is None:
        return None
    text = raw.strip()
    return int(text) if text.isdigit() else text


def _selection(raw: str | None) -> int | None:
    return int(raw) if raw and raw.strip().isdigit() else None


def _marking(element: etree._Element) -> Marking:
    phrases: list[tuple[str, str]] = []
    hidden = False
    for data in element.iterfind("s:markingData", SPIF_NS):
        codes = {(code.text or "").strip() for code in data.iterfind("s:code", SPIF_NS)}
        hidden = hidden or bool(codes & HIDING_CODES)
        phrase = data.get("phrase")
        if codes & PAGE_CODES and phrase is not None:
            phrases.append((data.get(XML_LANG, ""), phrase.strip()))
    return Marking(tuple(phrases), hidden)


def _qualifiers(element: etree._Element) -> tuple[tuple[str, Qualifiers], ...]:
    found: list[tuple[str, Qualifiers]] = []
    for block in element.iterfind("s:markingQualifier", SPIF_NS):
        if block.get("markingCode") not in (None, *PAGE_CODES):
            continue
        parts = {q.get("qualifierCode"): q.get("markingQualifier", "") for q in block.iterfind("s:qualifier", SPIF_NS)}
        qualifiers = Qualifiers(
            prefix=parts.get("prefix", "").strip(),
            suffix=parts.get("suffix", "").strip(),
            separator=parts.get("separator", " "),
        )
        found.append((block.get(XML_LANG, ""), qualifiers))
    return tuple(found)


def _ref(element: etree._Element) -> CategoryRef:
    every = element.get("all", "").strip() in ("true", "1")
    return CategoryRef(element.get("tagSetRef", ""), None if every else _lacv(element.get("lacv")))


def _required(element: etree._Element) -> tuple[RequiredCategories, ...]:
    return tuple(
        RequiredCategories(
            required.get("operation", "all"),
            tuple(_ref(group) for group in required.iterfind("s:categoryGroup", SPIF_NS)),
        )
        for required in element.iterfind("s:requiredCategory", SPIF_NS)
    )


def _obsolete(element: etree._Element) -> bool:
    return element.get("obsolete", "false").strip() in ("true", "1")


def _values(tags: Iterable[etree._Element]) -> tuple[ValueDef, ...]:
    return tuple(
        ValueDef(
            name=value.get("name", "").strip(),
            lacv=_lacv(value.get("lacv")),
            marking=_marking(value),
            excluded_classes=tuple((c.text or "").strip() for c in value.iterfind("s:excludedClass", SPIF_NS)),
            required_class=value.get("requiredClass", "").strip(),
            required=_required(value),
            excluded=tuple(_ref(e) for e in value.iterfind("s:excludedCategory", SPIF_NS)),
            obsolete=_obsolete(value),
        )
        for tag in tags
        for value in tag.iterfind("s:tagCategory", SPIF_NS)
    )


def _tag_set(tag_set: etree._Element) -> TagSetDef:
    tags = list(tag_set.iterfind("s:securityCategoryTag", SPIF_NS))
    limits = [
        1 if t.get("singleSelection", "false").strip() in ("true", "1") else _selection(t.get("maxSelection"))
        for t in tags
    ]
    return TagSetDef(
        name=tag_set.get("name", ""),
        values=_values(tags),
        qualifiers=tuple(q for t in tags for q in _qualifiers(t)),
        max_selection=min((m for m in limits if m is not None), default=None),
        min_selection=max((m for t in tags if (m := _selection(t.get("minSelection"))) is not None), default=None),
    )


def policy_from_root(root: etree._Element) -> SpifPolicy:
    """The markings and rules of a parsed SPIF."""
    policy = root.find("s:securityPolicyId", SPIF_NS)
    if policy is None:
        raise SPIFError("SPIF has no securityPolicyId")
    classifications = tuple(
        ClassificationMarking(c.get("name", ""), _marking(c), _required(c), _obsolete(c))
        for c in root.iterfind("s:securityClassifications/s:securityClassification", SPIF_NS)
    )
    tag_sets = tuple(_tag_set(t) for t in root.iterfind("s:securityCategoryTagSets/s:securityCategoryTagSet", SPIF_NS))
    own, spif_wide = _marking(policy), _marking(root)  # the policy identifier's phrases, then the SPIF's
    marking = Marking(own.phrases + spif_wide.phrases, own.hidden or spif_wide.hidden)
    return SpifPolicy(policy.get("name", ""), policy.get("id", ""), marking, classifications, tag_sets)


def read_spif_marking(path: Path) -> SpifPolicy:
    """Read one SPIF file's markings and validity rules."""
    return policy_from_root(parse_spif(path))
