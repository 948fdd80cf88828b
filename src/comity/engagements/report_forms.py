"""The after-action report form: summary, label, one rating per objective, observations, feedback.

The form reads and checks what was typed; the write, with the write rule, the label floor and
the change log, is ``reports.report_create`` / ``report_update``, the service the API calls.
Only the engagement's objectives the writer may see get a row: the achievements of the others
are not shown, not named and kept as they are by the service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.utils import ErrorDict

from comity.core.forms import LabelField, RefusedFormRollsBack
from comity.engagements import reports
from comity.engagements.api.reports import MAX_TEXT
from comity.engagements.choices import Achievement, EngagementKind
from comity.engagements.models import AfterActionReport, Engagement, Objective
from comity.registry.models import State

if TYPE_CHECKING:
    from collections.abc import Mapping

    from django.contrib.auth.models import AnonymousUser

    from comity.core.models import User

FEEDBACK_HELP = "One nation per line: its ISO3 code, a colon, then what it said, e.g. GEO: the course met our needs."


def _area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "cols": 60})


class ObservationForm(forms.Form):
    """One observation in NATO's lessons-learned order; a row left wholly empty is dropped."""

    observation = forms.CharField(
        max_length=MAX_TEXT, required=False, widget=_area(2), help_text="What was seen, heard or noticed."
    )
    discussion = forms.CharField(
        max_length=MAX_TEXT, required=False, widget=_area(2), help_text="Why it happened and what it affected."
    )
    conclusion = forms.CharField(max_length=MAX_TEXT, required=False, widget=_area(2))
    recommendation = forms.CharField(
        max_length=MAX_TEXT, required=False, widget=_area(2), help_text="What should change, and who should act."
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            any(cleaned.get(part, "").strip() for part in reports.OBSERVATION_PARTS[1:])
            and not cleaned.get("observation", "").strip()
        ):
            self.add_error("observation", "Say what was observed before discussing it.")
        return cleaned

    def as_input(self) -> reports.ObservationInput | None:
        data = self.cleaned_data
        if not any(data.get(part, "").strip() for part in reports.OBSERVATION_PARTS):
            return None
        return reports.ObservationInput(**{part: data.get(part, "") for part in reports.OBSERVATION_PARTS})


#: The most observations one report holds.
MAX_OBSERVATIONS = 200
#: Observations: those written, and two empty rows for new ones.
ObservationFormSet = forms.formset_factory(
    ObservationForm, extra=2, max_num=MAX_OBSERVATIONS, absolute_max=MAX_OBSERVATIONS, validate_max=True
)
#: The rows as typed, shown again with one more: no empty rows beyond the added one.
GrownObservationFormSet = forms.formset_factory(
    ObservationForm, extra=0, max_num=MAX_OBSERVATIONS, absolute_max=MAX_OBSERVATIONS, validate_max=True
)
#: The ``action`` of the "Add an observation" button: show the form again with a row more.
ADD_OBSERVATION = "add-observation"


def observation_formset(data: Any, report: AfterActionReport | None) -> forms.BaseFormSet:
    initial = (
        [{part: getattr(o, part) for part in reports.OBSERVATION_PARTS} for o in report.observations.all()]
        if report is not None
        else []
    )
    return ObservationFormSet(data, prefix="obs", initial=initial)


def observations_with_a_row_more(data: Mapping[str, Any]) -> forms.BaseFormSet:
    """The observations as posted (text, unchecked) and one empty row after them (none past
    ``MAX_OBSERVATIONS``); a tampered row count reads as none."""
    try:
        total = min(max(int(data.get("obs-TOTAL_FORMS", 0)), 0), MAX_OBSERVATIONS)
    except (TypeError, ValueError):
        total = 0
    rows = [{part: data.get(f"obs-{i}-{part}", "") for part in reports.OBSERVATION_PARTS} for i in range(total)]
    if len(rows) < MAX_OBSERVATIONS:
        rows.append({})
    return GrownObservationFormSet(prefix="obs", initial=rows)


def parse_feedback(text: str) -> list[reports.FeedbackInput]:
    """Read the feedback lines (``ISO3: text``), naming each faulty line."""
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    codes = {line.partition(":")[0].strip().upper() for _, line in lines}
    states = {s.iso3: s for s in State.objects.filter(iso3__in=codes)}
    parsed, errors = [], []
    for number, line in lines:
        code, colon, said = (part.strip() for part in line.partition(":"))
        code = code.upper()
        if not colon or not said:
            errors.append(f"line {number}: write the nation's ISO3 code, a colon, then its feedback")
        elif code not in states:
            errors.append(f"line {number}: {code!r} is not a state in the registry (use its ISO3 code)")
        else:
            parsed.append(reports.FeedbackInput(state=states[code], text=said))
    if errors:
        raise forms.ValidationError(errors)
    return parsed


class ReportForm(RefusedFormRollsBack, forms.Form):
    """The report of one engagement (``report`` None: a new one)."""

    summary = forms.CharField(max_length=MAX_TEXT, widget=_area(5), help_text="What happened, in a few sentences.")
    label = LabelField(
        help_text="At least the engagement's label (a report is never labelled below what it reports on), "
        "and one you may read yourself."
    )

    def __init__(
        self,
        data: Any = None,
        *,
        user: User | AnonymousUser,
        engagement: Engagement,
        report: AfterActionReport | None,
    ) -> None:
        self.engagement, self.report = engagement, report
        self.objectives = list(engagement.objectives.visible_to(user).select_related("label").order_by("code"))
        initial: dict[str, Any] = {"label": report.label if report else engagement.label}
        if report is not None:
            initial["summary"] = report.summary
            for achievement in report.achievements.all():  # prefetched: visible objectives only
                initial[f"rating-{achievement.objective.code}"] = achievement.rating
                initial[f"achievement-{achievement.objective.code}"] = achievement.text
            initial["feedback"] = "\n".join(f"{f.state.iso3}: {f.text}" for f in report.feedback.all())
        super().__init__(data, initial=initial)
        for objective in self.objectives:
            self.fields[f"rating-{objective.code}"] = forms.ChoiceField(
                choices=Achievement.choices, initial=Achievement.NOT_ASSESSED, label=objective.title
            )
            self.fields[f"achievement-{objective.code}"] = forms.CharField(
                max_length=MAX_TEXT, required=False, widget=_area(2), label=f"Why: {objective.title}"
            )
        if engagement.kind == EngagementKind.PROGRAMME:
            self.fields["feedback"] = forms.CharField(
                required=False,
                max_length=MAX_TEXT,
                widget=_area(4),
                label="Participants' feedback",
                help_text=FEEDBACK_HELP,
            )
        self.fields["label"].offer(user)  # type: ignore[attr-defined]

    def clean_feedback(self) -> list[reports.FeedbackInput]:
        return parse_feedback(self.cleaned_data["feedback"])

    def objective_rows(self) -> list[tuple[Objective, forms.BoundField, forms.BoundField]]:
        """One row per visible objective: the objective, its rating and its reason."""
        return [(o, self[f"rating-{o.code}"], self[f"achievement-{o.code}"]) for o in self.objectives]

    def achievements(self) -> list[reports.AchievementInput]:
        data = self.cleaned_data
        return [
            reports.AchievementInput(
                objective=o, rating=data[f"rating-{o.code}"], text=data.get(f"achievement-{o.code}", "")
            )
            for o in self.objectives
        ]

    def feedback_inputs(self) -> list[reports.FeedbackInput] | None:
        return self.cleaned_data.get("feedback") if "feedback" in self.fields else None

    def label_changed(self) -> bool:
        return self.report is None or "label" in self.changed_data

    def show_unchecked(self) -> None:
        """Show what was typed without judging it: a row was added and nothing is saved yet, so a
        summary not written yet is no error. The form must not be saved from after this."""
        self._errors = ErrorDict()
