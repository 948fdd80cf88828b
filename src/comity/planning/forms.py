"""Forms of the planner pages: the input JSON, a what-if edit of one offer, saving a plan."""

from __future__ import annotations

from typing import Any

from django import forms

from comity.core.api.parsers import loads
from comity.core.forms import RefusedFormRollsBack
from comity.core.labels import LabelError, label_get_or_create, parse_marking
from comity.core.models import ConfidentialityLabel


class PlanInputForm(forms.Form):
    """The planner input as JSON text (see docs/planning.md for the fields)."""

    data = forms.CharField(
        label="Input JSON", widget=forms.Textarea(attrs={"rows": 18, "cols": 90, "spellcheck": "false"})
    )

    def clean_data(self) -> Any:
        try:
            return loads(self.cleaned_data["data"])
        except ValueError as exc:  # bad JSON (JSONDecodeError) or nested too deep
            raise forms.ValidationError(f"The input is not valid JSON: {exc}") from exc


def _codes(raw: str) -> list[str] | None:
    parts = [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]
    return parts or None


class WhatIfForm(forms.Form):
    """Change one offer of the current rotation input; empty fields keep their value."""

    offer = forms.IntegerField(min_value=0, label="Offer")
    periods = forms.CharField(required=False, label="Periods", help_text="Comma-separated, e.g. 2027-1, 2027-3")
    bases = forms.CharField(required=False, label="Bases", help_text="Comma-separated base ids")
    aircraft = forms.IntegerField(required=False, min_value=1, label="Aircraft")

    def edits(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"periods": _codes(data["periods"]), "bases": _codes(data["bases"]), "aircraft": data["aircraft"]}


class PlanSaveForm(RefusedFormRollsBack, forms.Form):
    """Title and label of the planned engagements an accepted plan becomes."""

    title_prefix = forms.CharField(max_length=80, label="Title")
    marking = forms.CharField(
        label="Label",
        initial="PUBLIC",
        help_text="For example PUBLIC, NATO UNCLASSIFIED, or NATO RESTRICTED REL TO NATO; no higher than you may see.",
    )

    def clean_marking(self) -> ConfidentialityLabel:
        try:
            return label_get_or_create(parse_marking(self.cleaned_data["marking"]))
        except LabelError as exc:
            raise forms.ValidationError(str(exc)) from exc
