"""The base every shareable record inherits: a label, and a manager that filters by it in SQL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models

from comity.core.models.labels import ConfidentialityLabel

if TYPE_CHECKING:
    from comity.core.models.users import User


class LabelledQuerySet(models.QuerySet):
    """A queryset that knows how to restrict itself to what a user may see."""

    def visible_to(self, user: User) -> Self:
        """Rows whose label the user may see, decided inside the database query.

        The label rule is compiled into SQL by ``core.selectors.labels_visible_to`` and run
        against the (small, deduplicated) label table first; the rows are then filtered by
        ``label_id IN (...)`` in the database, so pagination, counts and exports never see a
        forbidden row. Two queries rather than one subquery: PostgreSQL plans the nested label
        subquery badly inside large joins (the engagements benchmark showed a 50x slowdown).
        """
        from comity.core.selectors import visible_label_ids

        return self.filter(label_id__in=visible_label_ids(user))

    def editable_by(self, user: User, action: str = "change") -> Self:
        """Rows the user may see **and** take ``action`` on: the write rule compiled to SQL.

        ``core.authority.decide_write`` is the same rule as a pure function; a property test
        holds the two together. Pages use this to offer an action only where it works.
        """
        from comity.core.permissions import writable_owners

        return self.visible_to(user).filter(owner__in=writable_owners(user, action))


class LabelledModel(models.Model):
    """Abstract base for every record that can be shared: a confidentiality label and an owner.

    The owner is the nation (ISO 3166 alpha-3) or organisation (``NATO``) on whose behalf the
    record was entered; the write rule (``core.authority``) lets only that scope's editors change
    it. Empty means a shipped record whose owner its source does not name: it changes only by
    loading its data file again.
    """

    label = models.ForeignKey(ConfidentialityLabel, on_delete=models.PROTECT, related_name="+")
    owner = models.CharField(
        max_length=16,
        blank=True,
        default="",
        db_default="",
        db_index=True,
        help_text="Nation (ISO3) or organisation code on whose behalf the record was entered.",
    )

    objects = LabelledQuerySet.as_manager()

    class Meta:
        abstract = True
