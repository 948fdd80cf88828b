"""A label's display marking and its validity, both computed as the policy's SPIF defines them.

The compact marking (``core.labels.render_marking``: ``NATO RESTRICTED REL TO FIN, SWE``) is
comity's own short form for tables, imports and the API, and ``parse_marking`` reads it back.
The display marking is the SPIF's: the policy's phrase, the classification's phrase in the
reader's language, then each tag set in the SPIF's order, its values in the SPIF's order as their
phrases, between the tag set's prefix and suffix and joined by its separator (``NATO RESTRICTED
Releasable To Switzerland, Ukraine, Japan`` for ``REL TO CHE, JPN, UKR`` with the shipped NATO
SPIF, which lists the Allies, then the Euro-Atlantic partners, then the other partners).

Both functions are pure: the policies come from the shipped SPIF files, read once per process.
"""

from __future__ import annotations

from functools import cache, lru_cache

from comity.core.access import CategorySpec, LabelSpec
from comity.core.spif_marking import (
    CategoryRef,
    Marking,
    RequiredCategories,
    SpifPolicy,
    TagSetDef,
    read_spif_marking,
)
from comity.data import PACKAGE_DATA

LANGUAGES = ("en", "fr")
SPIF_DIR = PACKAGE_DATA / "labels" / "spif"


@cache
def shipped_policies() -> dict[str, SpifPolicy]:
    """The markings and rules of every shipped SPIF, by policy name (the files never change
    while the process runs)."""
    return {policy.name: policy for policy in map(read_spif_marking, sorted(SPIF_DIR.glob("*.spif")))}


def forget_policies() -> None:
    """Read the SPIF files again on next use (a test that installs a SPIF of its own)."""
    shipped_policies.cache_clear()
    _shipped_marking.cache_clear()


def policy_for(name: str) -> SpifPolicy | None:
    return shipped_policies().get(name)


def language_of(code: str | None) -> str:
    """The marking language for a Django language code: French for ``fr``/``fr-*``, else English."""
    return "fr" if (code or "").lower().split("-")[0] == "fr" else "en"


def _unknown_policy(name: str) -> SpifPolicy:
    """A policy without a SPIF: every phrase defaults to the name, as the schema says."""
    return SpifPolicy(name, "", Marking(), (), ())


def _ordered_values(tag_set: TagSetDef | None, values: frozenset[str]) -> list[str]:
    """The label's values in the SPIF's order; values the SPIF does not list come last, sorted."""
    listed = [] if tag_set is None else list(dict.fromkeys(v.name for v in tag_set.values if v.name in values))
    return listed + sorted(values - set(listed))


def _category_text(tag_set: TagSetDef | None, category: CategorySpec, lang: str) -> str:
    if tag_set is None:  # a tag the SPIF does not define: its name, then its values
        return f"{category.tag_name} {', '.join(sorted(category.values))}"
    phrases = []
    for name in _ordered_values(tag_set, category.values):
        value = tag_set.value(name)
        phrase = name if value is None else value.marking.phrase(lang, name)
        if phrase and not (value is not None and value.marking.hidden):
            phrases.append(phrase)
    if not phrases:  # e.g. Context "Releasable", whose phrase is empty: nothing to show
        return ""
    qualifiers = tag_set.qualifiers_for(lang)
    return " ".join(part for part in (qualifiers.prefix, qualifiers.separator.join(phrases), qualifiers.suffix) if part)


def display_marking(spec: LabelSpec, lang: str = "en", *, policy: SpifPolicy | None = None) -> str:
    """The marking of a label as its SPIF writes it on a page, in ``lang`` (``en`` or ``fr``).

    Every badge on a list page asks for one, so the shipped policies' markings are cached by the
    label's content (labels are immutable and the SPIFs do not change while the process runs).
    """
    if policy is None:
        return _shipped_marking(spec, lang)
    return _marking(spec, lang, policy)


@lru_cache(maxsize=4096)
def _shipped_marking(spec: LabelSpec, lang: str) -> str:
    return _marking(spec, lang, policy_for(spec.policy) or _unknown_policy(spec.policy))


def _marking(spec: LabelSpec, lang: str, policy: SpifPolicy) -> str:
    parts = [] if policy.marking.hidden else [policy.marking.phrase(lang, policy.name)]
    classification = policy.classification(spec.classification)
    if classification is None:
        parts.append(spec.classification)
    elif not classification.marking.hidden:
        parts.append(classification.marking.phrase(lang, classification.name))
    order = {tag_set.name: index for index, tag_set in enumerate(policy.tag_sets)}
    for category in sorted(spec.categories, key=lambda c: (order.get(c.tag_name, len(order)), c.tag_name)):
        parts.append(_category_text(policy.tag_set(category.tag_name), category, lang))
    return " ".join(" ".join(parts).split())  # one line, whatever white space a value holds


def _held(policy: SpifPolicy, spec: LabelSpec) -> set[tuple[str, int | str | None]]:
    """The label's values as (tag set, LACV) pairs, the way the SPIF's rules refer to them."""
    held: set[tuple[str, int | str | None]] = set()
    for category in spec.categories:
        tag_set = policy.tag_set(category.tag_name)
        for name in category.values:
            value = tag_set.value(name) if tag_set else None
            if value is not None:
                held.add((category.tag_name, value.lacv))
    return held


def _candidates(policy: SpifPolicy, ref: CategoryRef) -> set[tuple[str, int | str | None]]:
    tag_set = policy.tag_set(ref.tag_set)
    if tag_set is None:
        return set()
    return {(ref.tag_set, v.lacv) for v in tag_set.values if ref.lacv is None or v.lacv == ref.lacv}


def _describe(policy: SpifPolicy, ref: CategoryRef) -> str:
    tag_set = policy.tag_set(ref.tag_set)
    if ref.lacv is None or tag_set is None:
        return f"any {ref.tag_set} value"
    names = list(dict.fromkeys(v.name for v in tag_set.values if v.lacv == ref.lacv)) or [f"LACV {ref.lacv}"]
    return f"{ref.tag_set} {' or '.join(names)}"


def _requirement_unmet(policy: SpifPolicy, rule: RequiredCategories, held: set[tuple[str, int | str | None]]) -> str:
    """Why ``rule`` is not met by ``held``, or "" when it is."""
    wanted = [_candidates(policy, ref) for ref in rule.groups]
    present = len(set().union(*wanted) & held) if wanted else 0
    options = ", ".join(_describe(policy, ref) for ref in rule.groups)
    if rule.operation == "onlyOne" and present != 1:
        return f"exactly one of {options}"
    if rule.operation == "oneOrMore" and present < 1:
        return f"at least one of {options}"
    if rule.operation == "all" and not all(group <= held for group in wanted):
        return f"all of {options}"
    return ""


def validate_against_policy(spec: LabelSpec, *, policy: SpifPolicy | None = None) -> list[str]:
    """Every reason the SPIF's rules refuse ``spec`` (empty when it is valid).

    A policy without a shipped SPIF has no rules here (``core.labels`` refuses unknown policies).
    Values the SPIF does not list are left to ``core.labels.validate_spec``, which checks nation
    values against the registry.
    """
    policy = policy or policy_for(spec.policy)
    if policy is None:
        return []
    classification = policy.classification(spec.classification)
    if classification is None:
        return [f"policy {policy.name} has no classification {spec.classification!r}"]
    reasons: list[str] = []
    if classification.obsolete:
        reasons.append(f"{spec.classification} is obsolete in policy {policy.name}")
    held = _held(policy, spec)
    for rule in classification.required:
        if unmet := _requirement_unmet(policy, rule, held):
            reasons.append(f"{spec.classification} requires {unmet}")
    for category in sorted(spec.categories, key=lambda c: c.tag_name):
        tag_set = policy.tag_set(category.tag_name)
        if tag_set is None:
            reasons.append(f"policy {policy.name} has no category {category.tag_name!r}")
            continue
        reasons += _category_reasons(policy, tag_set, category, spec.classification, held)
    return reasons


def _category_reasons(
    policy: SpifPolicy,
    tag_set: TagSetDef,
    category: CategorySpec,
    classification: str,
    held: set[tuple[str, int | str | None]],
) -> list[str]:
    reasons: list[str] = []
    count = len(category.values)
    if tag_set.max_selection is not None and count > tag_set.max_selection:
        reasons.append(f"{tag_set.name} allows at most {tag_set.max_selection} value(s), not {count}")
    if tag_set.min_selection is not None and count < tag_set.min_selection:
        reasons.append(f"{tag_set.name} needs at least {tag_set.min_selection} value(s), not {count}")
    for name in _ordered_values(tag_set, category.values):
        value = tag_set.value(name)
        if value is None:
            continue
        what = f"{tag_set.name} {name}"
        if value.obsolete:
            reasons.append(f"{what} is obsolete")
        if classification in value.excluded_classes:
            reasons.append(f"{what} may not be used with {classification}")
        if value.required_class and value.required_class != classification:
            reasons.append(f"{what} may only be used with {value.required_class}, not {classification}")
        for ref in value.excluded:
            clash = _candidates(policy, ref) & held - {(tag_set.name, value.lacv)}
            if clash:
                reasons.append(f"{what} may not be combined with {_describe(policy, ref)}")
        for rule in value.required:
            if unmet := _requirement_unmet(policy, rule, held):
                reasons.append(f"{what} requires {unmet}")
    return reasons
