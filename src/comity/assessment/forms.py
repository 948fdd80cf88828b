"""The forms of the objective pages: a measurement (indicator, date, value, evidence, label), a
node of the objectives tree, an indicator.

The form reads what was typed and resolves the evidence through the writer's access: an
engagement key, the engagement whose after-action report it is, or a document's number, each
answered in the same words whether it is missing or hidden. The write, with the write rule and
the label floor, is ``services.measurement_create``, the service the API calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from comity.assessment.objective_selectors import evidence_reports
from comity.assessment.services import NO_EVIDENCE, Evidence
from comity.core.attachments.selectors import attachments_visible
from comity.core.forms import LabelField, RefusedFormRollsBack
from comity.engagements.choices import ObjectiveLevel
from comity.engagements.models import AfterActionReport, Engagement, Indicator, Objective
from comity.engagements.objectives import MAX_MAGNITUDE, IndicatorInput, ObjectiveInput
from comity.registry.models import State

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.core.models import User


class MeasurementForm(RefusedFormRollsBack, forms.Form):
    """One entered measurement of one of the objective's indicators."""

    indicator = forms.ModelChoiceField(queryset=Indicator.objects.none(), empty_label=None)
    day = forms.DateField(label="Date", help_text="The day the value describes (YYYY-MM-DD).")
    value = forms.FloatField(min_value=-MAX_MAGNITUDE, max_value=MAX_MAGNITUDE, help_text="In the indicator's unit.")
    report = forms.SlugField(
        required=False,
        max_length=100,
        label="After-action report",
        help_text="The key of the engagement whose after-action report the value comes from.",
    )
    engagement = forms.SlugField(
        required=False, max_length=100, help_text="The key of the engagement the value comes from."
    )
    attachment = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        label="Document",
        help_text="The number of an attached document.",
    )
    note = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))
    label = LabelField(
        help_text="At least the objective's and every piece of evidence's label, and one you may read yourself."
    )

    def __init__(self, data: Any = None, *, user: User | AnonymousUser, objective: Objective) -> None:
        super().__init__(data, prefix="measurement")
        self.user = user
        self.fields["indicator"].queryset = objective.indicators.all()
        self.fields["label"].offer(user)

    def clean_report(self) -> AfterActionReport | None:
        key = self.cleaned_data.get("report")
        if not key:
            return None
        report = evidence_reports(self.user).filter(engagement__key=key).first()
        if report is None:
            raise forms.ValidationError(NO_EVIDENCE.format(what="after-action report"))
        return report

    def clean_engagement(self) -> Engagement | None:
        key = self.cleaned_data.get("engagement")
        if not key:
            return None
        engagement = Engagement.objects.visible_to(self.user).filter(key=key).first()  # type: ignore[arg-type]
        if engagement is None:
            raise forms.ValidationError(NO_EVIDENCE.format(what="engagement"))
        return engagement

    def clean_attachment(self) -> Any:
        pk = self.cleaned_data.get("attachment")
        if pk is None:
            return None
        attachment = attachments_visible(self.user).filter(pk=pk).first()
        if attachment is None:
            raise forms.ValidationError(NO_EVIDENCE.format(what="attached document"))
        return attachment

    def evidence(self) -> Evidence:
        data = self.cleaned_data
        return Evidence(report=data.get("report"), engagement=data.get("engagement"), attachment=data.get("attachment"))


class ObjectiveForm(RefusedFormRollsBack, forms.Form):
    """A node of the objectives tree: its place (level, parent), what it is about, its label."""

    code = forms.SlugField(max_length=64, help_text="A short unique name in the address, e.g. nld-staff-procedures.")
    title = forms.CharField(max_length=200)
    level = forms.ChoiceField(choices=ObjectiveLevel.choices, initial=ObjectiveLevel.OBJECTIVE)
    parent = forms.SlugField(
        max_length=64, required=False, help_text="The code of the goal, line of effort or objective it sits under."
    )
    state = forms.CharField(
        max_length=3, required=False, label="Nation or partner", help_text="ISO3 code, if it is about one."
    )
    region = forms.CharField(max_length=64, required=False, help_text="In words, if it is about a region.")
    description = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))
    label = LabelField()

    def __init__(self, data: Any = None, *, user: User | AnonymousUser) -> None:
        super().__init__(data)
        self.user = user
        self.fields["label"].offer(user)

    def clean_parent(self) -> Objective | None:
        code = self.cleaned_data.get("parent")
        if not code:
            return None
        parent = Objective.objects.visible_to(self.user).filter(code=code).first()  # type: ignore[arg-type]
        if parent is None:
            raise forms.ValidationError("no objective you may see has this code")
        return parent

    def clean_state(self) -> State | None:
        code = (self.cleaned_data.get("state") or "").upper()
        if not code:
            return None
        state = State.objects.filter(iso3=code).first()
        if state is None:
            raise forms.ValidationError("no state has this ISO3 code")
        return state

    def as_input(self) -> ObjectiveInput:
        data = self.cleaned_data
        return ObjectiveInput(
            title=data["title"],
            level=data["level"],
            description=data["description"],
            parent=data["parent"],
            state=data["state"],
            region=data["region"],
        )


class IndicatorForm(forms.Form):
    """An indicator of an objective: what is measured, in which unit, from where to where, by when."""

    name = forms.CharField(max_length=200)
    unit = forms.CharField(max_length=32, required=False, help_text="e.g. %, courses, days.")
    baseline = forms.FloatField(required=False, min_value=-MAX_MAGNITUDE, max_value=MAX_MAGNITUDE)
    target = forms.FloatField(required=False, min_value=-MAX_MAGNITUDE, max_value=MAX_MAGNITUDE)
    due = forms.DateField(required=False, help_text="YYYY-MM-DD.")

    def as_input(self) -> IndicatorInput:
        data = self.cleaned_data
        return IndicatorInput(
            name=data["name"], unit=data["unit"], baseline=data["baseline"], target=data["target"], due=data["due"]
        )
