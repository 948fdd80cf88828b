"""Labels: validation against the loaded policies, storage, markings and JSON form.

``label_get_or_create`` is the only way a label row comes to exist; it validates the label
against the policy's SPIF (classification and tag names) and the registry (nation and group
values), then stores it once per distinct content.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cache
from typing import Any

from django.db import transaction
from django.utils import timezone

from comity.core.access import (
    NATION_TAGS,
    PUBLIC_POLICY,
    RELEASABILITY_GROUPS,
    CategorySpec,
    CategoryType,
    LabelSpec,
)
from comity.core.markings import validate_against_policy
from comity.core.models import (
    CategoryTag,
    Classification,
    ConfidentialityLabel,
    LabelCategory,
    LabelCategoryValue,
    SecurityPolicy,
)

#: Bumped whenever this process stores a new label: a reader that kept the labels a user may see
#: for the rest of a request (``core.selectors.visible_label_ids``) knows it must look again.
_stored = itertools.count(1)
_generation = 0


def labels_generation() -> int:
    """How many labels this process has stored so far (0 before the first)."""
    return _generation


#: How a few classifications are marked on a page where the SPIF name alone is not the marking.
#: NATO's TOP SECRET is marked COSMIC TOP SECRET (the SPIF's portion marking is "CTS"), and the
#: PUBLIC policy's single UNMARKED classification is shown as PUBLIC.
MARKING_OVERRIDES = {("NATO", "TOP SECRET"): "COSMIC TOP SECRET", (PUBLIC_POLICY, "UNMARKED"): "PUBLIC"}


class LabelError(ValueError):
    """A label that the loaded policies or the registry do not allow."""


class LabelPolicyError(LabelError):
    """A label that breaks its policy's SPIF rules (``core.markings.validate_against_policy``);
    ``reasons`` lists every rule it breaks. A ``LabelError``, so every path that refuses a bad
    label (the API's 400, the forms, the imports) refuses this one the same way."""

    def __init__(self, policy: str, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__(f"label is not valid under policy {policy}: {'; '.join(reasons)}")


def classification_marking(policy: str, classification: str) -> str:
    """The page marking of a classification, e.g. ``NATO SECRET`` or ``COSMIC TOP SECRET``."""
    return MARKING_OVERRIDES.get((policy, classification), f"{policy} {classification}")


def render_marking(spec: LabelSpec) -> str:
    """The one-line marking of a label, e.g. ``NATO RESTRICTED REL TO FIN, SWE``."""
    parts = [classification_marking(spec.policy, spec.classification)]
    for category in sorted(spec.categories, key=lambda c: c.tag_name):
        values = ", ".join(sorted(category.values))
        if category.tag_name == "Releasable To":
            parts.append(f"REL TO {values}")
        elif category.tag_name == "Only":
            parts.append(f"{values} ONLY")
        else:
            parts.append(f"{category.tag_name.upper()}: {values}")
    return " ".join(parts)


def spec_to_dict(spec: LabelSpec) -> dict[str, Any]:
    """The JSON form of a label (the API and exports use it)."""
    return {
        "policy": spec.policy,
        "classification": spec.classification,
        "categories": [
            {"tag_name": c.tag_name, "type": c.type.value, "values": sorted(c.values)}
            for c in sorted(spec.categories, key=lambda c: c.tag_name)
        ],
        "created": spec.created.isoformat() if spec.created else None,
        "marking": render_marking(spec),
    }


def spec_from_dict(data: dict[str, Any]) -> LabelSpec:
    """Parse the JSON form; ranks are resolved against the loaded policies."""
    try:
        policy = str(data["policy"])
        classification = str(data["classification"])
        raw_categories = data.get("categories") or []
        categories = tuple(
            CategorySpec(
                tag_name=str(c["tag_name"]),
                type=CategoryType(str(c["type"]).upper()),
                values=frozenset(str(v) for v in c["values"]),
            )
            for c in raw_categories
        )
        created = data.get("created")
        created_at = datetime.fromisoformat(created) if created else None
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise LabelError(f"malformed label JSON: {exc}") from exc
    return LabelSpec(
        policy=policy,
        classification=classification,
        rank=classification_rank(policy, classification),
        categories=categories,
        created=created_at,
    )


def classification_rank(policy: str, classification: str) -> int:
    """The rank of a classification in its policy, or a ``LabelError`` naming what is unknown."""
    found = Classification.objects.filter(policy__name=policy, name=classification).values_list("rank", flat=True)
    rank = next(iter(found), None)
    if rank is None:
        if not SecurityPolicy.objects.filter(name=policy).exists():
            raise LabelError(f"unknown security policy {policy!r}")
        raise LabelError(f"policy {policy} has no classification {classification!r}")
    return int(rank)


_MARKING = re.compile(r"^(?P<head>.+?)(?:\s+REL TO\s+(?P<rel>.+))?$", re.IGNORECASE)


def parse_marking(text: str) -> LabelSpec:
    """Parse a page marking such as ``NATO RESTRICTED REL TO FIN, SWE`` or ``PUBLIC``.

    Handy in the CLI, forms and demo data; the full label (any category) travels as JSON or XML.
    """
    match = _MARKING.match(text.strip())
    if not match:
        raise LabelError(f"cannot read marking {text!r}")
    head = match.group("head").strip().upper()
    by_marking = {
        classification_marking(p, c).upper(): (p, c)
        for p, c in Classification.objects.values_list("policy__name", "name")
    }
    if head not in by_marking:
        raise LabelError(f"unknown classification marking {head!r}; known: {', '.join(sorted(by_marking))}")
    policy, classification = by_marking[head]
    categories: tuple[CategorySpec, ...] = ()
    if match.group("rel"):
        values = frozenset(v.strip().upper() for v in match.group("rel").split(",") if v.strip())
        categories = (CategorySpec("Releasable To", CategoryType.PERMISSIVE, values),)
    return LabelSpec(policy, classification, classification_rank(policy, classification), categories)


def fingerprint(spec: LabelSpec) -> str:
    """A stable digest of a label's content (not its creation time)."""
    canonical = spec_to_dict(spec)
    canonical.pop("created")
    canonical.pop("marking")
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def known_nations() -> set[str]:
    """ISO alpha-3 codes the registry knows; nation-valued categories must use them."""
    from django.apps import apps

    if not apps.is_installed("comity.registry"):
        return set()
    state_model = apps.get_model("registry", "State")
    return set(state_model.objects.values_list("iso3", flat=True))


def validate_spec(spec: LabelSpec) -> LabelSpec:
    """Check a label against the policy (classification, tags, tag types), the registry and the
    rules of the policy's SPIF (required and excluded categories and classifications).

    Returns the spec with its rank and category types taken from the policy, so a caller cannot
    smuggle a RESTRICTIVE tag in as PERMISSIVE.
    """
    rank = classification_rank(spec.policy, spec.classification)
    tags = {t.name: t for t in CategoryTag.objects.filter(policy__name=spec.policy)}
    seen: set[str] = set()
    checked: list[CategorySpec] = []
    nations: set[str] | None = None
    for category in spec.categories:
        if category.tag_name in seen:
            raise LabelError(f"category {category.tag_name!r} appears twice")
        seen.add(category.tag_name)
        tag = tags.get(category.tag_name)
        if tag is None:
            raise LabelError(f"policy {spec.policy} has no category {category.tag_name!r}")
        if not category.values:
            raise LabelError(f"category {category.tag_name!r} has no values")
        if category.tag_name in NATION_TAGS:
            nations = known_nations() if nations is None else nations
            unknown = sorted(v for v in category.values if v not in nations and v not in RELEASABILITY_GROUPS)
        else:
            unknown = sorted(v for v in category.values if tag.values and v not in tag.values)
        if unknown:
            raise LabelError(f"category {category.tag_name!r} does not allow {', '.join(unknown)}")
        checked.append(CategorySpec(category.tag_name, CategoryType(tag.type), category.values))
    result = LabelSpec(spec.policy, spec.classification, rank, tuple(checked), spec.created)
    reasons = validate_against_policy(result)
    if reasons:
        raise LabelPolicyError(spec.policy, reasons)
    return result


@transaction.atomic
def label_get_or_create(spec: LabelSpec) -> ConfidentialityLabel:
    """Store a validated label once per distinct content and return its row."""
    spec = validate_spec(spec)
    digest = fingerprint(spec)
    existing = ConfidentialityLabel.objects.filter(fingerprint=digest).first()
    if existing is not None:
        return existing
    classification = Classification.objects.select_related("policy").get(
        policy__name=spec.policy, name=spec.classification
    )
    label = ConfidentialityLabel.objects.create(
        policy=classification.policy,
        classification=classification,
        fingerprint=digest,
        marking=render_marking(spec),
    )
    for category in spec.categories:
        row = LabelCategory.objects.create(label=label, tag_name=category.tag_name, type=category.type.value)
        LabelCategoryValue.objects.bulk_create(
            LabelCategoryValue(category=row, value=v) for v in sorted(category.values)
        )
    global _generation  # one counter per process, read on every labelled query
    _generation = next(_stored)
    return label


def label_from_marking(text: str) -> ConfidentialityLabel:
    """Shorthand: parse a marking and store it."""
    return label_get_or_create(parse_marking(text))


def public_label() -> ConfidentialityLabel:
    """The label of released, public material."""
    return label_get_or_create(LabelSpec(PUBLIC_POLICY, "UNMARKED", 0, (), timezone.now()))


def _reach(values: Iterable[str], expand: Callable[[str], frozenset[str]]) -> frozenset[str]:
    """The nations that hold one of ``values`` through their nationality (groups expanded)."""
    return frozenset(
        nation for value in values for nation in (expand(value) if value in RELEASABILITY_GROUPS else {value})
    )


def _regroup(
    nations: frozenset[str], candidates: Iterable[str], expand: Callable[[str], frozenset[str]]
) -> frozenset[str]:
    """``nations`` written with the inputs' own values: every candidate group (or nation) that
    reaches some nation and only nations inside ``nations``, plus the nations no such candidate
    covers. The result reaches exactly ``nations`` (so a single label's list reaches what it did).
    """
    chosen = {value for value in candidates if _reach({value}, expand) and _reach({value}, expand) <= nations}
    return frozenset(chosen | (nations - _reach(chosen, expand)))


def _nobody(
    value_sets: list[frozenset[str]], pool: list[str], expand: Callable[[str], frozenset[str]]
) -> list[CategorySpec]:
    """Nation categories that no nationality satisfies: ``Releasable To`` and ``Only`` lists
    that reach disjoint nations (a subject must hold a value of each).

    From the inputs' lists when they share no nation (``REL TO NATO`` + ``PFP ONLY`` for a move
    from PFP to NATO), else the first pair of values in ``pool`` that share no nation.
    """
    release, only = NATION_TAGS
    ordered = sorted(set(value_sets), key=sorted)
    if ordered:
        reached = _reach(ordered[0], expand)
        if not reached:
            return [CategorySpec(release, CategoryType.PERMISSIVE, ordered[0])]
        candidates = frozenset().union(*ordered)
        for values in ordered[1:]:
            if not reached & _reach(values, expand):
                return [
                    CategorySpec(release, CategoryType.PERMISSIVE, _regroup(reached, candidates, expand)),
                    CategorySpec(only, CategoryType.PERMISSIVE, values),
                ]
            reached &= _reach(values, expand)
    for index, first in enumerate(pool):
        if not _reach({first}, expand):
            return [CategorySpec(release, CategoryType.PERMISSIVE, frozenset({first}))]
        for second in pool[index + 1 :]:
            if not _reach({first}, expand) & _reach({second}, expand):
                return [
                    CategorySpec(release, CategoryType.PERMISSIVE, frozenset({first})),
                    CategorySpec(only, CategoryType.PERMISSIVE, frozenset({second})),
                ]
    raise LabelError("no label is readable only by the readers of all of these labels")


def _nation_bound(
    by_tag: dict[str, list[frozenset[str]]], blocked: bool, expand: Callable[[str], frozenset[str]]
) -> list[CategorySpec]:
    """The nation categories of the least upper bound.

    A nationality confers the same values under every nation tag, so a reader of all inputs is a
    national of every nation that each input's lists reach: their intersection. When it is
    empty, or ``blocked`` (another permissive tag has no common value), nobody may read the
    result through nationality, which is written with ``_nobody``.
    """
    value_sets = [values for sets in by_tag.values() for values in sets]
    if not value_sets and not blocked:
        return []
    candidates = sorted(frozenset().union(*value_sets))
    pool = candidates + sorted(set(RELEASABILITY_GROUPS) - set(candidates))
    if value_sets:
        common = frozenset.intersection(*(_reach(values, expand) for values in value_sets))
        if common and not blocked:
            values = _regroup(common, candidates, expand)
            return [CategorySpec(tag, CategoryType.PERMISSIVE, values) for tag in by_tag]
        if not common:
            return _nobody(value_sets, pool, expand)
    return _nobody([], pool, expand)


def high_water_mark(specs: Iterable[LabelSpec], *, expand: Callable[[str], frozenset[str]]) -> LabelSpec | None:
    """The least upper bound of labels: whoever may read it may read every one of them.

    The page banner shows it, and a change-log entry that holds values from under two labels
    carries it. Whatever the order of the inputs:

    * classification: the highest (any non-PUBLIC policy above PUBLIC);
    * RESTRICTIVE categories: their values united;
    * INFORMATIVE categories of the result's policy: united (they do not affect access);
    * other PERMISSIVE categories (``Context``): the values common to every input that has one;
    * nation categories (``Releasable To``, ``Only``): the nations every input releases to,
      ``expand`` turning a group into its current nations, so ``REL TO NATO`` and ``REL TO FIN,
      UKR`` meet at ``REL TO FIN``. When no nation is common (``REL TO PFP`` and ``REL TO NATO``),
      the result requires a nation in both (``REL TO NATO PFP ONLY``), which nobody holds.

    This relies on nation-valued tags being held through nationality only (``user_grant_category``
    refuses grants under them). A label cannot require clearances in two national policies, so
    inputs from more than one non-PUBLIC policy raise ``LabelError`` rather than pick one.
    """
    specs = list(specs)
    if not specs:
        return None
    expand = cache(expand)  # a group is expanded once per bound, however many inputs name it
    policies = {spec.policy for spec in specs} - {PUBLIC_POLICY}
    if len(policies) > 1:
        raise LabelError(f"no single label covers the policies {', '.join(sorted(policies))}")
    top = max(specs, key=lambda s: (s.policy != PUBLIC_POLICY, s.rank))
    united: dict[tuple[str, CategoryType], set[str]] = {}
    permissive: dict[str, list[frozenset[str]]] = {}
    for spec in specs:
        for category in spec.categories:
            if category.type is CategoryType.PERMISSIVE:
                permissive.setdefault(category.tag_name, []).append(category.values)
            elif category.type is CategoryType.RESTRICTIVE or spec.policy == top.policy:
                united.setdefault((category.tag_name, category.type), set()).update(category.values)
    categories = [CategorySpec(tag, kind, frozenset(values)) for (tag, kind), values in united.items()]
    blocked = False
    for tag, value_sets in permissive.items():
        if tag not in NATION_TAGS:
            common = frozenset.intersection(*value_sets)
            blocked = blocked or not common
            if common:
                categories.append(CategorySpec(tag, CategoryType.PERMISSIVE, common))
    nation_sets = {tag: permissive[tag] for tag in NATION_TAGS if tag in permissive}
    categories += _nation_bound(nation_sets, blocked, expand)
    ordered = tuple(sorted(categories, key=lambda c: (c.tag_name, c.type.value)))
    return LabelSpec(top.policy, top.classification, top.rank, ordered)
