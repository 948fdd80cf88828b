"""Writes of measurements: one path each for entering, changing and computing them.

The rules, checked here whichever path (API, page, demo) asks:

* a measurement is written by an editor of its objective's owner (``core.authority``), on an
  indicator of an objective the writer may see (a hidden one answers 404, as reading it does);
  it is owned by that objective's owner;
* an entered measurement names at least one piece of evidence (an after-action report, an
  attached document, an engagement), each one the writer may see: a hidden one is refused in
  exactly the words of a missing one, so the answer does not confirm it exists;
* its label is one the writer may read and covers the objective's and every piece of evidence's
  (``core.derivation``: a figure taken from a record is never kept below it); a lower one is refused
  with the marking it needs;
* a computed measurement names a function of ``indicator_functions.FUNCTIONS`` and the provenance
  of its inputs;
* the value is a finite number within ``MAX_MAGNITUDE``, the date one that has come.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from comity.assessment.choices import MeasurementOrigin
from comity.assessment.indicator_functions import FUNCTIONS
from comity.assessment.models import Measurement
from comity.assessment.objective_selectors import evidence_reports, measurement_or_404
from comity.core.attachments.selectors import attachments_visible, record_of
from comity.core.audit import audit_create, audit_update, snapshot
from comity.core.authority import WriteAction
from comity.core.derivation import uncovered_by
from comity.core.permissions import require_write
from comity.core.selectors import access_or_404, may_see_label
from comity.engagements.models import AfterActionReport, Engagement, Indicator, Objective
from comity.engagements.objectives import ObjectiveError, check_number

if TYPE_CHECKING:
    from comity.core.models import Attachment, ConfidentialityLabel, User

#: The answer to evidence that is missing or hidden from the writer: the same words for both.
NO_EVIDENCE = "no {what} you may see is this one"


class MeasurementError(ObjectiveError):
    """A measurement that may not be written as asked; ``field`` names the value at fault."""


@dataclass(frozen=True)
class Evidence:
    """What an entered measurement rests on; at least one is given."""

    report: AfterActionReport | None = None
    engagement: Engagement | None = None
    attachment: Attachment | None = None

    def records(self) -> list[Model]:
        return [r for r in (self.report, self.engagement, self.attachment) if r is not None]

    def sources(self) -> list[Model]:
        """Every record whose label the measurement must cover: the evidence, a report's
        engagement and the record a document is attached to."""
        extra: list[Model] = []
        if self.report is not None:
            extra.append(self.report.engagement)
        if self.attachment is not None:
            extra.append(record_of(self.attachment))
        return [*self.records(), *extra]


def _evidence_querysets(user: User) -> dict[str, tuple[str, QuerySet]]:
    return {
        "report": ("after-action report", evidence_reports(user).select_related("engagement__label")),
        "engagement": ("engagement", Engagement.objects.visible_to(user)),
        "attachment": ("attached document", attachments_visible(user)),
    }


def _checked_evidence(acting_user: User | None, evidence: Evidence) -> Evidence:
    """The evidence as the writer may see it, fetched afresh; hidden answers like missing."""
    if not evidence.records():
        raise MeasurementError("evidence", "name the evidence: an after-action report, a document or an engagement")
    if acting_user is None:
        return evidence
    found = {}
    for name, (what, queryset) in _evidence_querysets(acting_user).items():
        record = getattr(evidence, name)
        if record is None:
            found[name] = None
            continue
        found[name] = queryset.filter(pk=record.pk).first()
        if found[name] is None:
            raise MeasurementError(name, NO_EVIDENCE.format(what=what))
    return Evidence(**found)


def _indicator_for_writing(acting_user: User | None, indicator: Indicator, action: WriteAction) -> Indicator:
    """The indicator with its objective, through the writer's access, and the write rule applied."""
    if acting_user is None:
        return Indicator.objects.select_related("objective__label").get(pk=indicator.pk)
    objective = access_or_404(Objective.objects.select_related("label"), acting_user, pk=indicator.objective_id)
    require_write(acting_user, action, None, objective.owner)
    record = Indicator.objects.get(pk=indicator.pk)
    record.objective = objective
    return record


def _check_label(
    acting_user: User | None, label: ConfidentialityLabel, objective: Objective, sources: list[Model]
) -> None:
    if acting_user is not None and not may_see_label(acting_user, label):
        raise MeasurementError("label", "you may not give a measurement a label above what you may see")
    needed = uncovered_by(label, [objective.label, *(source.label for source in sources)])  # type: ignore[attr-defined]
    if needed is not None:
        raise MeasurementError(
            "label",
            f"a measurement is labelled at least as high as its objective and evidence: give it at least "
            f"{needed} (you chose {label.marking})",
        )


def _check_day(day: date) -> date:
    if day > timezone.localdate():
        raise MeasurementError("date", "a measurement describes a day that has come; a later one is a forecast")
    return day


def _value(value: float) -> float:
    checked = check_number("value", value)
    if checked is None:
        raise MeasurementError("value", "give the value")
    return checked


@transaction.atomic
def measurement_create(
    *,
    acting_user: User | None,
    indicator: Indicator,
    day: date,
    value: float,
    evidence: Evidence,
    label: ConfidentialityLabel,
    note: str = "",
) -> Measurement:
    """Enter a measurement with its evidence.

    Raises ``Http404`` for an indicator of an objective the writer may not see, ``WriteDenied``
    (403) when they are no editor of its owner, ``MeasurementError`` (400, naming the field)
    otherwise. ``acting_user`` None is the system (the demo step): no write rule, the label floor
    and evidence rule still hold.
    """
    record = _indicator_for_writing(acting_user, indicator, WriteAction.CREATE)
    evidence = _checked_evidence(acting_user, evidence)
    _check_label(acting_user, label, record.objective, evidence.sources())
    measurement = Measurement.objects.create(
        indicator=record,
        date=_check_day(day),
        value=_value(value),
        origin=MeasurementOrigin.ENTERED,
        report=evidence.report,
        engagement=evidence.engagement,
        attachment=evidence.attachment,
        note=note.strip(),
        label=label,
        owner=record.objective.owner,
    )
    audit_create(measurement, acting_user=acting_user)
    return measurement


@transaction.atomic
def measurement_update(
    *,
    acting_user: User,
    measurement: Measurement,
    day: date | None = None,
    value: float | None = None,
    evidence: Evidence | None = None,
    label: ConfidentialityLabel | None = None,
    note: str | None = None,
) -> Measurement:
    """Change an entered measurement the writer may see; what is None stays as it is."""
    measurement_or_404(acting_user, measurement.pk)  # its evidence too: hidden evidence is a hidden measurement
    record = Measurement.objects.select_for_update().select_related("label").get(pk=measurement.pk)
    indicator = _indicator_for_writing(acting_user, record.indicator, WriteAction.CHANGE)
    if record.origin != MeasurementOrigin.ENTERED:
        raise MeasurementError("origin", "a computed measurement is computed again, not changed by hand")
    if evidence is None:
        evidence = Evidence(record.report, record.engagement, record.attachment)
    evidence = _checked_evidence(acting_user, evidence)
    label = label or record.label
    _check_label(acting_user, label, indicator.objective, evidence.sources())
    before = snapshot(record)
    record.date = _check_day(day or record.date)
    record.value = _value(record.value if value is None else value)
    record.report, record.engagement, record.attachment = evidence.report, evidence.engagement, evidence.attachment
    record.label = label
    if note is not None:
        record.note = note.strip()
    record.save()
    audit_update(record, before, acting_user=acting_user)
    return record


@transaction.atomic
def measurements_compute(
    *,
    acting_user: User | None,
    indicator: Indicator,
    function: str,
    argument: str,
    label: ConfidentialityLabel | None = None,
    since: date | None = None,
) -> list[Measurement]:
    """Compute an indicator's measurements with one of ``FUNCTIONS`` (e.g. a nation's defence
    expenditure from NATO's tables), one per date it gives up to today; a date already computed by
    the same function is brought up to date rather than doubled. The label defaults to the
    objective's (the inputs are comity's shipped public data); ``since`` leaves out earlier dates."""
    if function not in FUNCTIONS:
        raise MeasurementError("computed_by", f"{function!r} is not one of comity's indicator functions")
    record = _indicator_for_writing(acting_user, indicator, WriteAction.CREATE)
    label = label or record.objective.label
    _check_label(acting_user, label, record.objective, [])
    written = []
    for point in FUNCTIONS[function](argument):
        if point.day > timezone.localdate() or (since is not None and point.day < since):
            continue
        existing = Measurement.objects.filter(indicator=record, date=point.day, computed_by=function).first()
        values = {"value": _value(point.value), "provenance": point.provenance, "label": label}
        if existing is None:
            measurement = Measurement.objects.create(
                indicator=record,
                date=point.day,
                origin=MeasurementOrigin.COMPUTED,
                computed_by=function,
                owner=record.objective.owner,
                **values,
            )
            audit_create(measurement, acting_user=acting_user)
        else:
            before = snapshot(existing)
            for name, value in values.items():
                setattr(existing, name, value)
            existing.save()
            audit_update(existing, before, acting_user=acting_user)
            measurement = existing
        written.append(measurement)
    return written
