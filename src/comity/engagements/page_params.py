"""Query parameters of the engagement pages (timeline, month and year calendar), checked by a form so that
a bad one is a 400 page naming the field instead of a 500."""

from __future__ import annotations

from typing import Any

from django import forms

from comity.engagements.filtersets import MAX_YEAR, MIN_YEAR

#: The most years one timeline draws (one column each).
MAX_TIMELINE_YEARS = 200
#: The month calendar shows whole weeks, which spill into the months either side, so its years
#: stop one short of Python's (``date`` has no year 0 or 10000).
CALENDAR_YEARS = (MIN_YEAR + 1, MAX_YEAR - 1)


class TimelineForm(forms.Form):
    """``from`` and ``to``: the first and last year drawn (``from`` is a keyword, hence by name)."""

    def __init__(self, *args: Any, first: int, last: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, initial in (("from", first), ("to", last)):
            self.fields[name] = forms.IntegerField(
                required=False, min_value=MIN_YEAR, max_value=MAX_YEAR, initial=initial
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("from", "to"):
            if data.get(name) is None and name not in self.errors:
                data[name] = self.fields[name].initial
        first, last = data.get("from"), data.get("to")
        if first is not None and last is not None:
            if first > last:
                raise forms.ValidationError("'from' must not be after 'to'")
            if last - first >= MAX_TIMELINE_YEARS:
                raise forms.ValidationError(f"a timeline shows at most {MAX_TIMELINE_YEARS} years")
        return data


class MonthForm(forms.Form):
    """``view`` (a month or a whole year), ``year`` and ``month`` of the engagement calendar.

    Absent ones are left ``None``: the view then opens on the month with records nearest today,
    since shipped records are historical and today's month is mostly empty.
    """

    view = forms.ChoiceField(required=False, choices=[("month", "Month"), ("year", "Year")])
    year = forms.IntegerField(required=False, min_value=CALENDAR_YEARS[0], max_value=CALENDAR_YEARS[1])
    month = forms.IntegerField(required=False, min_value=1, max_value=12)

    def clean_view(self) -> str:
        return self.cleaned_data["view"] or "month"


#: The network page's layouts: a force layout, or the nations in a circle by alliance group.
NETWORK_LAYOUTS = [("force", "Force (pulled together by shared engagements)"), ("groups", "Circle grouped by alliance")]


class NetworkLayoutForm(forms.Form):
    """``layout`` of the co-participation page (the data's own filters are ``NetworkParams``)."""

    layout = forms.ChoiceField(required=False, choices=NETWORK_LAYOUTS)

    def clean_layout(self) -> str:
        return self.cleaned_data["layout"] or "force"
