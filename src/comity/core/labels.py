"""Labels: validation against the loaded policies, storage, markings and JSON form.

``label_get_or_create`` is the only way a label row comes to exist; it validates the label
against the policy's SPIF (classification and tag names) and the registry (nation and group
values), then stores it once per distinct content.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from datetime import datetime
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
from comity.core.models import (
    CategoryTag,
    Classification,
    ConfidentialityLabel,
    LabelCategory,
    LabelCategoryValue,
    SecurityPolicy,
)

#: How a few classifications are marked on a page where the SPIF name alone is not the marking.
#: NATO's TOP SECRET is marked COSMIC TOP SECRET (the SPIF's portion marking is "CTS"), and the
#: PUBLIC policy's single UNMARKED classification is shown as PUBLIC.
MARKING_OVERRIDES = {("NATO", "TOP SECRET"): "COSMIC TOP SECRET", (PUBLIC_POLICY, "UNMARKED"): "PUBLIC"}


class LabelError(ValueError):
    """A label that the loaded policies or the registry do not allow."""


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
    except (KeyError, TypeError, ValueError) as exc:
        raise LabelError(f"malformed label JSON: {exc}") from exc
    created = data.get("created")
    return LabelSpec(
        policy=policy,
        classification=classification,
        rank=classification_rank(policy, classification),
        categories=categories,
        created=datetime.fromisoformat(created) if created else None,
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
    """Check a label against the policy (classification, tags, tag types) and the registry.

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
    return LabelSpec(spec.policy, spec.classification, rank, tuple(checked), spec.created)


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
    return label


def label_from_marking(text: str) -> ConfidentialityLabel:
    """Shorthand: parse a marking and store it."""
    return label_get_or_create(parse_marking(text))


def public_label() -> ConfidentialityLabel:
    """The label of released, public material."""
    return label_get_or_create(LabelSpec(PUBLIC_POLICY, "UNMARKED", 0, (), timezone.now()))


def _expanded(values: set[str], expand: Callable[[str], frozenset[str]]) -> set[str]:
    return {nation for value in values for nation in (expand(value) if value in RELEASABILITY_GROUPS else {value})}


def high_water_mark(
    specs: Iterable[LabelSpec], expand: Callable[[str], frozenset[str]] | None = None
) -> LabelSpec | None:
    """The label that covers every label on a page, for the page banner.

    Highest classification (any non-PUBLIC policy above PUBLIC); restrictive values united;
    permissive values of a tag intersected over the labels that carry it. ``expand`` turns a
    group value (``NATO``) into its current nations so that ``REL TO NATO`` and ``REL TO FIN,
    NLD`` meet at ``FIN, NLD``; when nothing is common, the narrowest set is shown, since no
    single release covers the page.
    """
    specs = list(specs)
    if not specs:
        return None
    top = max(specs, key=lambda s: (s.policy != PUBLIC_POLICY, s.rank))
    restrictive: dict[str, set[str]] = {}
    permissive: dict[str, set[str]] = {}
    narrowest: dict[str, frozenset[str]] = {}
    for spec in specs:
        for category in spec.categories:
            if category.type is CategoryType.RESTRICTIVE:
                restrictive.setdefault(category.tag_name, set()).update(category.values)
            elif category.type is CategoryType.PERMISSIVE:
                current = permissive.get(category.tag_name)
                values = set(category.values)
                if current is None:
                    permissive[category.tag_name] = values
                    continue
                common = current & values
                if expand is not None and not common:
                    common = _expanded(current, expand) & _expanded(values, expand)
                permissive[category.tag_name] = common
                if category.tag_name not in narrowest or len(category.values) < len(narrowest[category.tag_name]):
                    narrowest[category.tag_name] = category.values
    categories = [CategorySpec(t, CategoryType.RESTRICTIVE, frozenset(v)) for t, v in restrictive.items()]
    categories += [
        CategorySpec(t, CategoryType.PERMISSIVE, frozenset(v) if v else narrowest[t]) for t, v in permissive.items()
    ]
    return LabelSpec(top.policy, top.classification, top.rank, tuple(categories))
