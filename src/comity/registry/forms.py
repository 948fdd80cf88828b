"""Forms of the registry pages."""

from __future__ import annotations

from datetime import date

from django import forms

from comity.core.forms import RefusedFormRollsBack
from comity.core.labels import LabelError, label_get_or_create, parse_marking
from comity.core.models import ConfidentialityLabel
from comity.registry.models import CountryNote, State


class OnDateForm(forms.Form):
    """ "As of" date for time-travel pages; today when absent."""

    on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    organisation = forms.CharField(required=False, initial="NATO")

    def day(self) -> date:
        from django.utils import timezone

        return (self.cleaned_data.get("on") if self.is_valid() else None) or timezone.localdate()


class CountryNoteForm(RefusedFormRollsBack, forms.ModelForm):
    """A note with its label written as a marking, e.g. ``NATO RESTRICTED REL TO NATO``.

    A refused note (invalid field, or a label the author may not give) rolls the request back,
    so the label its marking stored goes too.
    """

    marking = forms.CharField(
        label="Label",
        help_text="For example PUBLIC, NATO UNCLASSIFIED, or NATO RESTRICTED REL TO NATO, FIN.",
    )
    state = forms.ModelChoiceField(queryset=State.objects.all(), to_field_name="iso3")

    class Meta:
        model = CountryNote
        fields = ["state", "title", "body", "source"]

    def clean_marking(self) -> ConfidentialityLabel:
        try:
            return label_get_or_create(parse_marking(self.cleaned_data["marking"]))
        except LabelError as exc:
            raise forms.ValidationError(str(exc)) from exc
