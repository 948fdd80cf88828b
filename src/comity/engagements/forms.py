"""Forms of the engagement pages: create and edit a record of any kind with its own fields.

One form class serves every kind: the base fields every engagement has, then the kind's own
(``kinds.kind_fields``), built from the kind's model. The form only reads and checks what was
typed; the write itself, with the write rule and the change log, is the service's
(``services.engagement_create`` / ``engagement_update``), the same the API calls.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import models

from comity.core.authority import WriteAction
from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT
from comity.core.forms import LabelField, RefusedFormRollsBack
from comity.core.permissions import default_owner, writable_owners
from comity.engagements.choices import EngagementKind, ParticipantRole
from comity.engagements.kinds import KIND_MODELS, kind_fields
from comity.engagements.models import Engagement, Exercise, Objective
from comity.engagements.selectors import lead_columns
from comity.registry.models import State

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from comity.core.models import User

#: A parsed participant line: the nation, its role and its personnel (None when not given).
Participant = tuple[State, str, int | None]

PARTICIPANT_HELP = (
    "One nation per line: ISO3 code, role, personnel, separated by colons, e.g. "
    "GEO:host:300 or FIN:participant (personnel may be left out). "
    f"Roles: {', '.join(ParticipantRole.values)}."
)


#: The kinds the pages create and edit: all but partnership activities, which the PRIME
#: workflow proposes and runs (``programme_views``).
FORM_KINDS = {code: model for code, model in KIND_MODELS.items() if code != EngagementKind.PROGRAMME}


def creatable_kinds(user: User | AnonymousUser) -> list[tuple[str, str]]:
    """The kinds ``user`` may create, as (code, name); empty when they edit for no scope."""
    if not writable_owners(user, WriteAction.CREATE):
        return []
    return [(code, EngagementKind(code).label) for code in FORM_KINDS]


def may_edit(user: User | AnonymousUser, record: Engagement) -> bool:
    """Whether the edit page is offered: a kind the pages edit, and the write rule in SQL."""
    return record.kind in FORM_KINDS and Engagement.objects.editable_by(user).filter(pk=record.pk).exists()


def participant_lines(participants: list[Participant]) -> str:
    """Participants as the form's text: one ``ISO3:role[:personnel]`` line each."""
    return "\n".join(
        f"{state.iso3}:{role}" + ("" if count is None else f":{count}") for state, role, count in participants
    )


def parse_participants(text: str) -> list[Participant]:
    """Read the participant lines, naming each faulty line and what is wrong with it."""
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    codes = {part.split(":")[0].strip().upper() for _, part in lines}
    states = {s.iso3: s for s in State.objects.filter(iso3__in=codes)}
    errors: list[str] = []
    parsed: list[Participant] = []
    seen: set[tuple[str, str]] = set()
    for number, line in lines:
        parts = [part.strip() for part in re.split(r"\s*:\s*", line)]
        if len(parts) > 3:
            errors.append(f"line {number} ({line}): write ISO3:role:personnel, with at most two colons")
            continue
        iso3, role, personnel = [*parts, "", ""][:3]
        iso3, role = iso3.upper(), (role.lower() or ParticipantRole.PARTICIPANT.value)
        if iso3 not in states:
            errors.append(f"line {number}: {iso3!r} is not a state in the registry (use its ISO3 code)")
            continue
        if role not in ParticipantRole.values:
            errors.append(f"line {number}: {role!r} is not a role; roles are {', '.join(ParticipantRole.values)}")
            continue
        if personnel and not personnel.isdigit():
            errors.append(f"line {number}: personnel {personnel!r} is not a whole number")
            continue
        if (iso3, role) in seen:
            errors.append(f"line {number}: {iso3} is listed twice as {role}")
            continue
        seen.add((iso3, role))
        parsed.append((states[iso3], role, int(personnel) if personnel else None))
    if errors:
        raise forms.ValidationError(errors)
    return parsed


def _lead_code(record: Engagement) -> str:
    if record.lead_organisation_id:
        return record.lead_organisation.code  # type: ignore[union-attr]
    return record.lead_state.iso3 if record.lead_state_id else ""  # type: ignore[union-attr]


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ``YYYY-MM-DD``."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ExerciseKeyField(forms.ModelChoiceField):
    """An exercise named by its key, among those the user may see."""

    widget = forms.TextInput(attrs={"placeholder": "the exercise's key, e.g. steadfast-defender-2024", "size": 40})
    default_error_messages = {"invalid_choice": "No exercise you may see has this key."}


def _kind_formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """A form field for a kind's own column: nations by ISO3, dates with the date picker."""
    related = getattr(field, "related_model", None)
    if related is State:
        return forms.ModelChoiceField(
            queryset=State.objects.order_by("name"),
            to_field_name="iso3",
            required=not field.blank,
            label=str(field.verbose_name).capitalize(),
            help_text=field.help_text,
        )
    if related is Exercise:
        return ExerciseKeyField(
            queryset=Exercise.objects.none(),
            to_field_name="key",
            required=not field.blank,
            label=str(field.verbose_name).capitalize(),
        )
    if isinstance(field, models.DateField):
        kwargs["widget"] = DateInput()
    return field.formfield(**kwargs)


class EngagementForm(RefusedFormRollsBack, forms.Form):
    """A record of one kind: its base fields, its kind's own, its owner and its label.

    ``record`` None is a new record (the key is asked for); otherwise the form edits it and the
    key, which identifies the record, is not shown. Choices are the user's own: objectives they
    may see, owners they edit for, classifications up to their clearance.
    """

    key = forms.SlugField(
        max_length=100,
        help_text="A short unique name: lower case and hyphens, e.g. steadfast-defender-2031. It cannot change later.",
    )
    title = forms.CharField(max_length=200)
    start_date = forms.DateField(required=False, widget=DateInput(), label="Starts")
    end_date = forms.DateField(required=False, widget=DateInput(), label="Ends")
    date_precision = forms.ChoiceField(
        choices=[("day", "to the day"), ("month", "to the month only")],
        initial="day",
        label="Dates known",
        help_text="When the source gives only the month, choose month: the dates are kept as the 1st of it.",
    )
    location = forms.CharField(max_length=200, required=False)
    lead = forms.CharField(
        max_length=16,
        required=False,
        help_text="The leading organisation's code (NATO) or nation's ISO3 code (USA); empty if none.",
    )
    participants = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 40, "spellcheck": "false", "placeholder": "GEO:host:300"}),
        help_text=PARTICIPANT_HELP,
    )
    personnel = forms.IntegerField(min_value=0, required=False, help_text="Total personnel, where public.")
    objectives = forms.ModelMultipleChoiceField(
        queryset=Objective.objects.none(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The objectives this engagement serves (only those you may see are listed).",
    )
    source = forms.CharField(max_length=1000, required=False, help_text="Where the facts come from (a link).")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 40}))
    owner = forms.ChoiceField(
        help_text="The nation or organisation the record is entered for: its editors may change it."
    )
    label = LabelField()

    #: The base fields the services take as values, as they are named on the model.
    BASE_VALUES = ("title", "start_date", "end_date", "date_precision", "location", "personnel", "source", "notes")

    def __init__(
        self,
        data: Any = None,
        *,
        user: User | AnonymousUser,
        model: type[Engagement],
        record: Engagement | None = None,
    ) -> None:
        self.model, self.record, self.kind_names = model, record, kind_fields(model)
        super().__init__(data, initial=self._initial(user, record))
        for name in self.kind_names:
            formfield = _kind_formfield(model._meta.get_field(name))
            if formfield is not None:
                self.fields[name] = formfield
        if "related_exercise" in self.fields:
            self.fields["related_exercise"].queryset = Exercise.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["objectives"].queryset = (  # each option shows its label: fetched with it
            Objective.objects.visible_to(user).select_related(*LABEL_SELECT).prefetch_related(*LABEL_PREFETCH)  # type: ignore[attr-defined]
        )
        owners = writable_owners(user, "create")
        if record is not None:
            del self.fields["key"]
            owners = sorted({*owners, record.owner} - {""}) if record.owner else owners
        self.fields["owner"].choices = [(owner, owner) for owner in owners]  # type: ignore[attr-defined]
        self.fields["label"].offer(user)  # type: ignore[attr-defined]

    def _initial(self, user: User | AnonymousUser, record: Engagement | None) -> dict[str, Any]:
        if record is None:
            return {"owner": default_owner(user) if getattr(user, "is_authenticated", False) else ""}  # type: ignore[arg-type]
        participants = [(p.state, p.role, p.personnel) for p in record.participants.select_related("state")]
        initial: dict[str, Any] = {name: getattr(record, name) for name in (*self.BASE_VALUES, *self.kind_names)}
        initial.update(
            lead=_lead_code(record),
            participants=participant_lines(participants),
            objectives=list(record.objectives.filter(pk__in=Objective.objects.visible_to(user).values("pk"))),
            owner=record.owner,
            label=record.label,
        )
        return initial

    def clean_lead(self) -> dict[str, Any]:
        """The lead as the two columns it fills: an organisation or a state (or neither)."""
        try:
            return lead_columns(self.cleaned_data["lead"])
        except LookupError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_participants(self) -> list[Participant]:
        return parse_participants(self.cleaned_data["participants"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if cleaned.get("date_precision") == "month":
            start, end = (day.replace(day=1) if isinstance(day, date) else day for day in (start, end))
            cleaned["start_date"], cleaned["end_date"] = start, end
        if start and end and end < start:
            self.add_error("end_date", f"The record ends ({end}) before it starts ({start}).")
        return cleaned

    def values(self) -> dict[str, Any]:
        """The columns to write, as the services take them.

        On an edit the label goes only when the picker changed (so a label with categories the
        picker cannot show stays whole), and the owner only when it changed.
        """
        data = self.cleaned_data
        values = {name: data[name] for name in (*self.BASE_VALUES, *self.kind_names) if name in self.fields}
        values.update(data["lead"])
        if self.record is None or "label" in self.changed_data:
            values["label"] = data["label"]
        if self.record is None or data["owner"] != self.record.owner:
            values["owner"] = data["owner"]
        return values

    def links(self) -> tuple[list[Participant] | None, list[Objective] | None]:
        """Participants and objectives to write; on an edit, None for what was not changed (so
        what the form does not show, such as a participant's platforms, stays)."""
        changed = self.record is None or "participants" in self.changed_data
        participants = self.cleaned_data["participants"] if changed else None
        changed = self.record is None or "objectives" in self.changed_data
        objectives = list(self.cleaned_data["objectives"]) if changed else None
        return participants, objectives

    def field_sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields in the groups the page shows: what and when, who, the kind's own, access."""
        groups = (
            ("The record", ("key", "title", "start_date", "end_date", "date_precision", "location", "source", "notes")),
            ("Who takes part", ("lead", "participants", "personnel", "objectives")),
            (self.model._meta.verbose_name.capitalize(), tuple(self.kind_names)),
            ("Ownership and label", ("owner", "label")),
        )
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in groups if names]
