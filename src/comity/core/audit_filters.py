"""The audit page's filters, checked at the edge: whatever is typed gives a page, never a 500."""

from __future__ import annotations

from typing import Any

from django import forms

from comity.core.models.audit import AuditAction


class AuditFilterForm(forms.Form):
    """Record (type and id), who (user name, nation), what (action) and when (first, last day)."""

    type = forms.CharField(required=False, max_length=100, label="Record type")
    object_id = forms.CharField(required=False, max_length=64, label="Record id")
    username = forms.CharField(required=False, max_length=150, label="User")
    nation = forms.RegexField(
        required=False,
        regex=r"^[A-Za-z]{3}$",
        label="Nation",
        error_messages={"invalid": "Use an ISO 3166 alpha-3 code."},
    )
    action = forms.ChoiceField(required=False, choices=[("", "any"), *AuditAction.choices])
    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean_type(self) -> str:
        return str(self.cleaned_data["type"]).strip().lower()

    def clean_nation(self) -> str:
        return str(self.cleaned_data["nation"]).upper()

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid field is reported on the page and left out)."""
        self.is_valid()
        return dict(getattr(self, "cleaned_data", {}))
