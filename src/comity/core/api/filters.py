"""Filters shared by the apps' filter sets."""

from __future__ import annotations

from django import forms
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field


@extend_schema_field({"type": "integer"})
class WholeNumberFilter(filters.NumberFilter):
    """A whole number, else a 400 naming it: django-filter's own ``NumberFilter`` reads a decimal,
    so ``?cow_code=0.5`` on an integer column answered 200 with nothing, against the schema."""

    field_class = forms.IntegerField
