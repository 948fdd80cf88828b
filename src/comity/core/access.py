"""The access decision for confidentiality labels, as a pure function.

``decide(subject, label)`` is the single statement of the rule; ``labels_visible_to`` in
``core.selectors`` compiles the same rule into SQL. A property test checks that the two agree.

The rule (after STANAG 4774 / the NATO SPIF):

* classification: a label of the ``PUBLIC`` policy is open to every signed-in user; any other
  label needs a clearance in the label's policy at or above the label's classification;
* PERMISSIVE category (e.g. "Releasable To"): the subject holds at least one of its values;
* RESTRICTIVE category (e.g. "Special Category Designators"): the subject holds all its values;
* INFORMATIVE category: no effect on access.

Releasability groups (``NATO``, ``PFP`` ...) are expanded into the subject's holdings when the
subject is built, at the moment of each decision, so membership changes need no relabelling.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

PUBLIC_POLICY = "PUBLIC"

#: Tag names whose values are nations or groups: a subject holds its nationality and the groups
#: its nation belongs to under each of them.
NATION_TAGS = ("Releasable To", "Only")

#: The releasability groups the registry can expand. ``PATG`` is Partners across the globe.
RELEASABILITY_GROUPS = ("NATO", "PFP", "MD", "ICI", "PATG", "EU")


class CategoryType(enum.StrEnum):
    """How a category's values combine in the decision (the ``Type`` attribute of STANAG 4774)."""

    PERMISSIVE = "PERMISSIVE"
    RESTRICTIVE = "RESTRICTIVE"
    INFORMATIVE = "INFORMATIVE"


@dataclass(frozen=True, slots=True)
class CategorySpec:
    """One category of a label: a tag name, how it combines, and its values."""

    tag_name: str
    type: CategoryType
    values: frozenset[str]


@dataclass(frozen=True, slots=True)
class LabelSpec:
    """A confidentiality label, independent of storage.

    ``rank`` is the classification's place in its policy's order (the SPIF ``hierarchy``), so a
    decision never needs a lookup.
    """

    policy: str
    classification: str
    rank: int
    categories: tuple[CategorySpec, ...] = ()
    created: datetime | None = None

    def category(self, tag_name: str) -> CategorySpec | None:
        """The category with this tag name, if the label has one."""
        return next((c for c in self.categories if c.tag_name == tag_name), None)


@dataclass(frozen=True, slots=True)
class Subject:
    """Who is asking: nationality, clearance per policy, and the category values held.

    ``holdings`` pairs a tag name with a value, because the same word (``NATO``) means different
    things under different tags.
    """

    nation: str | None
    clearances: Mapping[str, int] = field(default_factory=dict)
    holdings: frozenset[tuple[str, str]] = frozenset()

    def holds(self, tag_name: str, value: str) -> bool:
        """Whether the subject holds ``value`` under ``tag_name``."""
        return (tag_name, value) in self.holdings


def nation_holdings(nation: str | None, groups: frozenset[str] | set[str]) -> frozenset[tuple[str, str]]:
    """The holdings a nationality confers: the nation and its current groups under each nation tag."""
    if not nation:
        return frozenset()
    values = {nation, *groups}
    return frozenset((tag, value) for tag in NATION_TAGS for value in values)


def classification_allows(subject: Subject, label: LabelSpec) -> bool:
    """Whether the subject's clearance covers the label's policy and classification."""
    if label.policy == PUBLIC_POLICY:
        return True
    cleared = subject.clearances.get(label.policy)
    return cleared is not None and label.rank <= cleared


def category_allows(subject: Subject, category: CategorySpec) -> bool:
    """Whether one category lets the subject through."""
    if category.type is CategoryType.PERMISSIVE:
        return any(subject.holds(category.tag_name, v) for v in category.values)
    if category.type is CategoryType.RESTRICTIVE:
        return all(subject.holds(category.tag_name, v) for v in category.values)
    return True


def decide(subject: Subject, label: LabelSpec) -> bool:
    """The access decision: may ``subject`` see a record carrying ``label``?"""
    return classification_allows(subject, label) and all(
        category_allows(subject, category) for category in label.categories
    )
