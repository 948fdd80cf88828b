"""Measurements of the indicators of objectives: the figures AM&E (assessment, monitoring and
evaluation) reads progress from.

A measurement lives here, not in ``engagements`` beside ``Indicator``, because it is an
assessment: a value of an indicator on a date, either entered by a person with the evidence it
rests on (an after-action report, an attached document or an engagement) or computed by one of
comity's indicator functions (its name and the provenance of its inputs). ``engagements`` owns
the objectives and their indicators; ``assessment`` depends on it, never the other way.

A measurement is a record of its own, labelled (``LabelledModel``) and never below its sources:
the objective it measures and every piece of evidence (``core.derivation``; the service refuses a
lower label). It is owned by the objective's owner, whose editors write it.
"""

from __future__ import annotations

from django.db import models

from comity.assessment.choices import MeasurementOrigin
from comity.core.models import Attachment, LabelledModel
from comity.engagements.models import AfterActionReport, Engagement, Indicator

#: The evidence a measurement may name, by field: what the page and the API link to.
EVIDENCE_FIELDS = ("report", "engagement", "attachment")


class Measurement(LabelledModel):
    """One value of one indicator on one date, with its evidence or the function that computed it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="measurements")
    date = models.DateField(help_text="The day the value describes.")
    value = models.FloatField(help_text="In the indicator's unit.")
    origin = models.CharField(max_length=16, choices=MeasurementOrigin.choices, default=MeasurementOrigin.ENTERED)
    report = models.ForeignKey(
        AfterActionReport, on_delete=models.PROTECT, null=True, blank=True, related_name="measurements"
    )
    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    attachment = models.ForeignKey(Attachment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    computed_by = models.CharField(
        max_length=100, blank=True, help_text="The indicator function that computed the value (computed only)."
    )
    provenance = models.TextField(blank=True, help_text="Where the computed value's inputs come from.")
    note = models.TextField(blank=True, help_text="What the value rests on, in words.")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator_id", "date", "pk"]
        constraints = [
            models.CheckConstraint(
                name="measurement_entered_has_evidence",
                condition=~models.Q(origin=MeasurementOrigin.ENTERED)
                | (
                    models.Q(computed_by="")
                    & (
                        models.Q(report__isnull=False)
                        | models.Q(engagement__isnull=False)
                        | models.Q(attachment__isnull=False)
                    )
                ),
            ),
            models.CheckConstraint(
                name="measurement_computed_names_function",
                condition=~models.Q(origin=MeasurementOrigin.COMPUTED)
                | (~models.Q(computed_by="") & ~models.Q(provenance="")),
            ),
        ]

    def __str__(self) -> str:
        return f"Measurement of indicator {self.indicator_id} on {self.date}"
