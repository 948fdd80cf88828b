"""Relations are data too: API fields that name another labelled record through the reader's access.

A record the caller may see can point at one they may not (a PUBLIC exercise serving a SECRET
objective). Serialising the link as it is stored would hand out the hidden record's key. The fields
here apply the label rule to the linked record: on output a hidden record is left out of a list
and a hidden single link reads ``null``, exactly as if there were no link; on input a hidden key is
refused with the same words as an unknown key, so a write cannot probe for one either.

The labels the caller may see are fetched once per serializer tree (one query, however many rows
and links), then each link is a set lookup on its ``label_id``: no query per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from comity.core.models import LabelledModel
from comity.core.selectors import visible_label_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.core.models import User

#: Where the visible label ids are kept in a serializer's context (shared by the whole tree).
_CONTEXT_KEY = "_comity_visible_label_ids"


def request_user(context: dict[str, Any]) -> User | AnonymousUser | None:
    """The user behind a serializer's context; ``None`` (who sees only PUBLIC) when there is none."""
    return getattr(context.get("request"), "user", None)


def visible_labels(context: dict[str, Any]) -> frozenset[int]:
    """The label ids the context's user may see, computed once for the serializer tree."""
    cached = context.get(_CONTEXT_KEY)
    if cached is None:
        cached = context[_CONTEXT_KEY] = frozenset(visible_label_ids(request_user(context)))  # type: ignore[arg-type]
    return cached  # type: ignore[no-any-return]


class VisibleRelationMixin:
    """Turns a DRF related field into one that sees links as the caller sees records.

    Mix in before the DRF field class (``class F(VisibleRelationMixin, SlugRelatedField)``).
    """

    context: dict[str, Any]

    def is_visible(self, value: Model) -> bool:
        """Whether the caller may see a linked record (records without a label always)."""
        if not isinstance(value, LabelledModel):
            return True
        return value.label_id in visible_labels(self.context)

    def get_attribute(self, instance: Model) -> Any:
        """The linked record, or ``None`` where the caller may not see it (rendered ``null``)."""
        value = super().get_attribute(instance)  # type: ignore[misc]
        if isinstance(value, Model) and not self.is_visible(value):
            return None
        return value

    def get_queryset(self) -> QuerySet[Any] | None:
        """What a write may link to (and the browsable API may offer): only records the caller sees."""
        queryset = super().get_queryset()  # type: ignore[misc]
        if queryset is not None and issubclass(queryset.model, LabelledModel):
            queryset = queryset.visible_to(request_user(self.context))
        return queryset  # type: ignore[no-any-return]

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> VisibleManyRelatedField:
        """``many=True`` lists only the linked records the caller may see."""
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs.update({key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS})
        return VisibleManyRelatedField(**list_kwargs)


class VisibleManyRelatedField(serializers.ManyRelatedField):
    """A to-many link that leaves out the linked records the caller may not see."""

    child_relation: VisibleRelationMixin

    def to_representation(self, iterable: Iterable[Model]) -> list[Any]:
        child = self.child_relation
        return [child.to_representation(value) for value in iterable if child.is_visible(value)]  # type: ignore[attr-defined]


class VisibleSlugRelatedField(VisibleRelationMixin, serializers.SlugRelatedField):
    """A link by natural key (``code``, ``key``) that names only records the caller may see."""
