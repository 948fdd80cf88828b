"""The assessment app's demo step: demo objectives with indicators and measurements (see
``core.steps``). Every record names itself as demonstration content.

Two kinds of figure, kept apart:

* the Netherlands' defence expenditure as a share of GDP is **real**: computed by
  ``indicator_functions.nato_defence_share_gdp`` from NATO's tables as shipped for burden sharing,
  each measurement with its provenance; the target (2% by 2024) is the Wales Summit guideline.
  Only the objective that holds it is a demo record;
* the staff-procedures figures are **illustrative**, and say so in their indicator's name and
  their notes; their evidence is the demo after-action report and a demo engagement, so their
  labels (NATO CONFIDENTIAL, NATO SECRET REL TO NLD) show who reads which figure.
"""

from __future__ import annotations

from datetime import date, timedelta

from comity.assessment import services
from comity.assessment.indicator_functions import nato_defence_share_gdp
from comity.assessment.models import Measurement
from comity.core.labels import public_label
from comity.engagements.choices import ObjectiveLevel
from comity.engagements.demo import DEMO_REPORTED
from comity.engagements.models import AfterActionReport, Engagement, Indicator, Objective
from comity.engagements.objectives import IndicatorInput, ObjectiveInput, indicator_create, objective_create
from comity.registry.models import State

#: The year of the Wales Summit's baseline and the guideline's horizon.
WALES_BASELINE, WALES_HORIZON = 2014, 2024


def _objective(code: str, parent_code: str, values: ObjectiveInput) -> Objective:
    existing = Objective.objects.filter(code=code).first()
    if existing is not None:
        return existing
    parent = Objective.objects.get(code=parent_code)
    values = ObjectiveInput(**{**values.__dict__, "parent": parent})
    return objective_create(acting_user=None, code=code, values=values, label=public_label(), owner="NLD")


def _indicator(objective: Objective, values: IndicatorInput) -> Indicator:
    existing = objective.indicators.filter(name=values.name).first()
    return existing or indicator_create(acting_user=None, objective=objective, values=values)


def _defence_expenditure() -> None:
    """Real figures under a demo objective: NLD against the 2% guideline, 2014 to 2024."""
    line = _objective(
        "demo-loe-fair-share",
        "deterrence",
        ObjectiveInput(title="Demo: a fair share of the common defence", level=ObjectiveLevel.LINE_OF_EFFORT),
    )
    objective = _objective(
        "demo-nld-two-percent",
        line.code,
        ObjectiveInput(
            title="Demo: the Netherlands spends 2% of GDP on defence by 2024",
            description="A demo objective holding real figures: NATO's, as shipped for burden sharing. "
            "The target is the Wales Summit guideline (2014).",
            state=State.objects.get(iso3="NLD"),
        ),
    )
    baseline = next(p for p in nato_defence_share_gdp("NLD") if p.day.year == WALES_BASELINE)
    indicator = _indicator(
        objective,
        IndicatorInput(
            name="Defence expenditure, % of GDP (NATO)",
            unit="% of GDP",
            baseline=baseline.value,
            target=2.0,
            due=date(WALES_HORIZON, 12, 31),
        ),
    )
    services.measurements_compute(
        acting_user=None,
        indicator=indicator,
        function="nato_defence_share_gdp",
        argument="NLD",
        since=date(WALES_BASELINE, 12, 31),
    )


def _staff_procedures() -> None:
    """Illustrative figures whose evidence is the demo report and a demo engagement."""
    line = _objective(
        "demo-loe-staff-interoperability",
        "interoperability",
        ObjectiveInput(title="Demo: staffs that work together", level=ObjectiveLevel.LINE_OF_EFFORT),
    )
    objective = _objective(
        "demo-nld-procedures",
        line.code,
        ObjectiveInput(title="Demo: shared staff procedures in NLD-led exercises", region="Demo region"),
    )
    indicator = _indicator(
        objective,
        IndicatorInput(
            name="Demo: share of the demo procedures exercised (illustrative)",
            unit="%",
            baseline=0.0,
            target=100.0,
            due=date(date.today().year + 1, 12, 31),
        ),
    )
    if Measurement.objects.filter(indicator=indicator).exists():
        return
    report = AfterActionReport.objects.select_related("engagement", "label").get(engagement__key=DEMO_REPORTED)
    services.measurement_create(
        acting_user=None,
        indicator=indicator,
        day=report.engagement.end_date or date.today(),
        value=40.0,
        evidence=services.Evidence(report=report),
        label=report.label,
        note="Demo figure (illustrative, not a real measurement), read from the demo after-action report.",
    )
    conference = Engagement.objects.select_related("label").get(key="demo-secret-planning-conference")
    services.measurement_create(
        acting_user=None,
        indicator=indicator,
        day=date.today() - timedelta(days=30),
        value=55.0,
        evidence=services.Evidence(engagement=conference),
        label=conference.label,
        note="Demo figure (illustrative, not a real measurement), from the demo planning conference's preparation.",
    )


def demo_objectives_load() -> str:
    """Create the demo objectives, indicators and measurements (idempotent)."""
    _defence_expenditure()
    _staff_procedures()
    count = Measurement.objects.filter(indicator__objective__code__startswith="demo-").count()
    return f"assessment: {count} demo measurements"
