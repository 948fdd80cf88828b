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

        The label rule is compiled by ``core.selectors.labels_visible_to``; this adds it as a
        subquery, so pagination, counts and exports never see a forbidden row.
        """
        from comity.core.selectors import labels_visible_to, subject_for

        return self.filter(label__in=labels_visible_to(subject_for(user)))


class LabelledModel(models.Model):
    """Abstract base for every record that can be shared: it carries a confidentiality label."""

    label = models.ForeignKey(ConfidentialityLabel, on_delete=models.PROTECT, related_name="+")

    objects = LabelledQuerySet.as_manager()

    class Meta:
        abstract = True
