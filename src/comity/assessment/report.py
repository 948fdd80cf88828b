"""The annual assessment report: one year's indicators, scorecard, objectives and their evidence,
built for one reader from what that reader may see, and labelled with the least upper bound of
everything it contains.

A reader who may not see a record gets a report built without it, never a redacted copy of a
fuller one: the evidence lists, the interoperability figures and the objectives are read through
the same label filter as every page. Whether other records exist is not said (that would tell the
reader that something is hidden); every report says instead that it is built from the records its
reader may see and that readers with other access get a different report. The public figures
(burden sharing, UN votes) are PUBLIC; the report's label is the bound of PUBLIC and the labels of
every engagement and objective it lists, so it is never lower than any part (``core.banner.
bound_marking``, the rule exports use).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch
from django.utils import timezone

from comity.assessment import report_charts
from comity.assessment.burden import GDP_GUIDELINE
from comity.assessment.choices import ProgressStatus
from comity.assessment.cohesion import GroupCohesion
from comity.assessment.cohesion_selectors import DEFAULT_OTHERS, CohesionTable, cohesion_series, cohesion_table
from comity.assessment.interoperability import YearNetwork
from comity.assessment.interoperability_selectors import network_visible
from comity.assessment.objective_selectors import IndicatorProgress, indicators_progress, summary_status
from comity.assessment.scorecard import RankRange
from comity.assessment.scorecard_selectors import AllyScores, ScorecardPage, scorecard_page
from comity.assessment.selectors import BurdenPage, burden_page
from comity.core.banner import LABEL_PREFETCH, LABEL_SELECT, bound_marking
from comity.core.models import ConfidentialityLabel, User
from comity.engagements.models import Engagement, Objective
from comity.engagements.selectors import in_year

#: How many of a year's most central nations the report lists.
TOP_NATIONS = 10


@dataclass(frozen=True)
class ObjectiveSection:
    objective: Objective
    engagements: list[Engagement]
    progress: list[IndicatorProgress]
    status: ProgressStatus


@dataclass(frozen=True)
class Report:
    year: int
    reader: str
    prepared: date
    marking: str
    labels: list[ConfidentialityLabel]
    burden: BurdenPage
    burden_chart: str
    cohesion: CohesionTable
    cohesion_chart: str
    network: YearNetwork
    top_nations: list[tuple[str, int, float]]
    evidence: list[Engagement]
    scorecard: ScorecardPage
    objectives: list[ObjectiveSection]

    @property
    def cohesion_against(self) -> list[tuple[str, GroupCohesion]]:
        """(name, the Allies' cohesion with that state) for each compared state, in order."""
        return [(self.cohesion.others[code], group) for code, group in self.cohesion.against.items()]

    @property
    def ranks(self) -> list[tuple[AllyScores, RankRange]]:
        """Each ranked Ally with its rank and range, best first (empty without a scorecard)."""
        card = self.scorecard.card
        return [(scores, card.ranks[scores.iso3]) for scores in self.scorecard.ranked] if card else []


def _evidence(user: User | AnonymousUser, year: int) -> list[Engagement]:
    """The visible multinational engagements running in ``year``: the interoperability figures' records."""
    visible = in_year(Engagement.objects.visible_to(user), year).annotate(nations=Count("participants", distinct=True))
    return list(
        visible.filter(nations__gte=2)
        .select_related(*LABEL_SELECT)
        .prefetch_related(*LABEL_PREFETCH, "participants__state")
        .order_by("start_date", "key")
    )


def _objectives(user: User | AnonymousUser, year: int) -> list[ObjectiveSection]:
    """Every objective the reader may see, with the visible engagements of ``year`` that serve it
    and its indicators' status on 31 December from the measurements the reader may see."""
    objectives = (
        Objective.objects.visible_to(user)
        .select_related(*LABEL_SELECT)
        .prefetch_related(*LABEL_PREFETCH, "indicators")
        .order_by("code")
    )
    serving = (
        in_year(Engagement.objects.visible_to(user), year)
        .select_related(*LABEL_SELECT)
        .prefetch_related(*LABEL_PREFETCH)
        .order_by("start_date", "key")
    )
    found = list(objectives.prefetch_related(Prefetch("engagements", queryset=serving, to_attr="serving")))
    progress = indicators_progress(user, found, date(year, 12, 31))
    return [ObjectiveSection(o, list(o.serving), progress[o.pk], summary_status(progress[o.pk])) for o in found]


def _cohesion_chart(series: list[dict[str, object]], others: dict[str, str]) -> str:
    """The Allies' agreement among themselves and with each compared state, by year."""
    lines = [("Among the Allies", "alliance_agreement")]
    lines += [(f"Allies with {name}", f"agreement_{code}") for code, name in others.items()]
    return report_charts.line_chart(
        tuple(int(str(row["year"])) for row in series),
        tuple((name, tuple(_number(row.get(key)) for row in series)) for name, key in lines),
        ylabel="Agreement in UN votes",
    )


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]  # the series' figures


def build_report(user: User | AnonymousUser, year: int) -> Report:
    """The report of ``year`` for ``user`` (``year`` checked by the caller against the scorecard years)."""
    burden = burden_page(year)
    cohesion = cohesion_table(year, DEFAULT_OTHERS)
    series = cohesion_series(DEFAULT_OTHERS)
    network = network_visible(user, year)
    evidence = _evidence(user, year)
    objectives = _objectives(user, year)
    labels = [e.label for e in evidence] + [s.objective.label for s in objectives]
    labels += [e.label for s in objectives for e in s.engagements]
    labels += [m.label for s in objectives for p in s.progress for m in p.measurements]
    marking, _ = bound_marking(labels)
    ranked = network.most_central()[:TOP_NATIONS]
    return Report(
        year=year,
        reader=getattr(user, "username", "") or "anonymous",
        prepared=timezone.localdate(),
        marking=marking,
        labels=labels,
        burden=burden,
        burden_chart=report_charts.bar_chart(
            tuple(str(bar["iso3"]) for bar in burden.chart),
            tuple(float(bar["value"]) for bar in burden.chart),  # type: ignore[arg-type]  # a bar has a figure
            guideline=GDP_GUIDELINE,
            ylabel="Defence expenditure, % of GDP",
        ),
        cohesion=cohesion,
        cohesion_chart=_cohesion_chart(series, cohesion.others),
        network=network,
        top_nations=[(n.iso3, n.strength, n.centrality) for n in ranked],
        evidence=evidence,
        scorecard=scorecard_page(user, year),
        objectives=objectives,
    )
