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


class LabelledModel(models.Model):
    """Abstract base for every record that can be shared: it carries a confidentiality label."""

    label = models.ForeignKey(ConfidentialityLabel, on_delete=models.PROTECT, related_name="+")

    objects = LabelledQuerySet.as_manager()

    class Meta:
        abstract = True
