"""Forms of the registry pages."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms

from comity.core.forms import LabelField, RefusedFormRollsBack
from comity.registry.models import CountryNote, State

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.core.models import User


class OnDateForm(forms.Form):
    """ "As of" date for time-travel pages; today when absent."""

    on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    organisation = forms.CharField(required=False, initial="NATO")

    def day(self) -> date:
        from django.utils import timezone

        return (self.cleaned_data.get("on") if self.is_valid() else None) or timezone.localdate()


class CountryNoteForm(RefusedFormRollsBack, forms.ModelForm):
    """A note with its label picked from those the author may give (``core.forms.LabelField``).

    A refused note (invalid field, or a label the author may not give) rolls the request back,
    so the label its marking stored goes too.
    """

    marking = LabelField()
    state = forms.ModelChoiceField(queryset=State.objects.all(), to_field_name="iso3")

    class Meta:
        model = CountryNote
        fields = ["state", "title", "body", "source"]

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["marking"].offer(user)  # type: ignore[attr-defined]


class CountryNoteEditForm(CountryNoteForm):
    """A note's title, body, source and label; the country it is about stays."""

    class Meta(CountryNoteForm.Meta):
        fields = ["title", "body", "source"]

    state = None  # type: ignore[assignment]
