"""Query parameters of the event pages and API, checked once (the API answers 400 with the
messages, the pages show them next to the fields)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms

from comity.events import analytics, selectors
from comity.events.selectors import group_codes

FREQ_CHOICES = [(freq, freq) for freq in analytics.FREQUENCIES]
TRUE_VALUES, FALSE_VALUES = {"1", "true", "yes", "on"}, {"", "0", "false", "no", "off"}
NATION = re.compile(r"^[A-Z]{3}$")
#: The largest ``min_conflict`` (events in a period): beyond DuckDB's integers it could not be
#: compared at all, and no dyad has this many events in a period.
MAX_MIN_CONFLICT = 2**31 - 1


class PartyField(forms.CharField):
    """A nation (ISO3, or a three-letter CAMEO code) or a group code (NATO, EU, PFP, ...)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 8)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        code = super().clean(value).strip().upper()
        if code and not NATION.match(code) and code not in group_codes():
            raise forms.ValidationError(
                f"{code!r} is neither a three-letter country code nor a group ({', '.join(sorted(group_codes()))})"
            )
        return code


class FlagField(forms.Field):
    """A yes/no query parameter: 1/0, true/false, yes/no, on/off (a checkbox sends ``on``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> bool:
        text = str(value or "").strip().lower()
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise forms.ValidationError("use true or false")


class _RangeForm(forms.Form):
    """``from``/``to`` (inclusive days; ``from`` is a Python keyword, hence added by name)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
        self.fields["to"] = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            raise forms.ValidationError("'from' must not be after 'to'")
        return data


class SeriesForm(_RangeForm):
    source = PartyField()
    target = PartyField()
    freq = forms.ChoiceField(choices=FREQ_CHOICES)
    root_only = FlagField()


class EventsForm(_RangeForm):
    source = PartyField()
    target = PartyField()
    period = forms.CharField(max_length=16)
    root_only = FlagField()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        period = data.get("period")
        if period:
            try:
                data["freq"], first, last = analytics.period_bounds(period.strip())
            except ValueError as exc:
                self.add_error("period", str(exc))
                return data
            data["start"] = max(first, data.get("from") or first)
            data["end"] = min(last, data.get("to") or last)
        return data


class AlliancePartyForm(forms.Form):
    """The alliance view: a group (members as of each event's date) against one state."""

    group = PartyField(initial="NATO")
    state = PartyField()
    freq = forms.ChoiceField(choices=FREQ_CHOICES, initial="month")

    def clean_state(self) -> str:
        state = self.cleaned_data["state"]
        if state in group_codes():
            raise forms.ValidationError("choose a state, not a group")
        return state

    def clean_group(self) -> str:
        group = self.cleaned_data["group"]
        if group not in group_codes():
            raise forms.ValidationError(f"{group!r} is not a group")
        return group


class AlertsForm(_RangeForm):
    freq = forms.ChoiceField(choices=FREQ_CHOICES, required=False)
    metric = forms.ChoiceField(choices=[("count", "count"), ("share", "share")], required=False)
    window = forms.IntegerField(min_value=2, max_value=104, required=False)
    z = forms.FloatField(min_value=0, required=False)
    min_std = forms.FloatField(min_value=0.0001, required=False)
    min_conflict = forms.IntegerField(min_value=0, max_value=MAX_MIN_CONFLICT, required=False)
    limit = forms.IntegerField(min_value=1, max_value=500, required=False)
    dyad = forms.CharField(required=False, help_text="SOURCE:TARGET pairs, separated by commas")

    def clean_dyad(self) -> list[tuple[str, str]]:
        raw = self.data.getlist("dyad") if hasattr(self.data, "getlist") else [self.data.get("dyad") or ""]
        pairs = []
        for item in (part.strip() for value in raw for part in str(value).split(",")):
            if not item:
                continue
            source, sep, target = item.partition(":")
            if not sep:
                raise forms.ValidationError(f"{item!r}: a dyad is SOURCE:TARGET")
            party = PartyField()
            pairs.append((party.clean(source), party.clean(target)))
        return pairs

    def rule(self) -> analytics.AlertRule:
        data = self.cleaned_data
        return analytics.AlertRule(
            metric=data.get("metric") or "count",
            window=data["window"] if data.get("window") is not None else 6,
            z_threshold=data["z"] if data.get("z") is not None else 2.0,
            min_std=data.get("min_std"),
            min_conflict=data["min_conflict"] if data.get("min_conflict") is not None else 3,
        )

    def alerts(self, user: Any) -> tuple[str, analytics.AlertRule, list[dict[str, Any]]]:
        """Run the checked query for ``user``: (frequency, rule, alerts). ``ValueError`` on a bad rule."""
        rule = self.rule()
        data = self.cleaned_data
        freq = data.get("freq") or "month"
        table = selectors.tension_alerts(
            user,
            freq,
            data["dyad"] or None,
            rule,
            limit=data.get("limit") or 20,
            start=data["from"],
            end=data["to"],
        )
        return freq, rule, table.to_pylist()


class TensionForm(forms.Form):
    period = forms.CharField(max_length=16)
    by = forms.ChoiceField(choices=[("actor", "actor"), ("location", "location")], required=False)

    def clean_period(self) -> tuple[str, date, date]:
        try:
            return analytics.period_bounds(self.cleaned_data["period"].strip())
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


def error_messages(form: forms.Form) -> dict[str, list[str]]:
    """Form errors as the API returns them (DRF's ``non_field_errors`` for form-wide ones)."""
    return {
        ("non_field_errors" if field == "__all__" else field): [str(message) for message in messages]
        for field, messages in form.errors.items()
    }
