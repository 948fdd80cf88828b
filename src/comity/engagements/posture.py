"""Loading the shipped posture records: Baltic Air Policing rotations, the enhanced Forward
Presence battlegroups and the Readiness Action Plan measures of the 2014 Wales Summit.

Each becomes an engagement of kind ``posture`` (PUBLIC, with its source), so the calendar, the
map, the network and the country profiles show them beside the exercises.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from comity.core.labels import public_label
from comity.engagements.choices import EngagementKind, Status
from comity.engagements.importing import Reject, RowError, parse_codes, parse_date
from comity.engagements.models import Engagement, Objective
from comity.engagements.services import ImportReport, engagement_upsert
from comity.registry.models import Organisation, State

#: The host nation of each Baltic Air Policing base.
BAP_BASE_HOSTS = {"Siauliai": "LTU", "Amari": "EST", "Malbork": "POL"}


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items()}


def _status(start: date | None, end: date | None, today: date) -> str:
    if end is not None and end < today:
        return Status.COMPLETED
    if start is not None and start <= today:
        return Status.ONGOING
    return Status.PLANNED


class _Context:
    def __init__(self) -> None:
        self.state_rows = {s.iso3: s for s in State.objects.all()}
        self.nato = Organisation.objects.get(code="NATO")
        self.label = public_label()
        self.deterrence = list(Objective.objects.filter(code="deterrence"))
        self.today = timezone.localdate()

    def roles(self, **codes: tuple[str, ...]) -> set[tuple[int, str]]:
        result = set()
        for role, values in codes.items():
            for code in values:
                if code not in self.state_rows:
                    raise RowError(f"{code} is not a state in the registry")
                result.add((self.state_rows[code].pk, role))
        return result

    def save(self, key: str, values: dict[str, Any], participants: set[tuple[int, str]], report: ImportReport) -> None:
        start, end = values.get("start_date"), values.get("end_date")
        engagement_upsert(
            model=Engagement,
            key=key,
            values={
                "kind": EngagementKind.POSTURE,
                "label": self.label,
                "status": _status(start, end, self.today),
                "lead_state": None,
                "lead_organisation": None,
                "owner": "NATO",  # the alliance's own posture, as NATO publishes it
                **values,
            },
            participants=participants,
            objectives=self.deterrence,
            acting_user=None,
            report=report,
        )


def _bap(path: Path, context: _Context, report: ImportReport) -> None:
    for line, row in _rows(path):
        try:
            base = row["base"]
            lead = parse_codes(row["lead_nation"], "lead_nation")
            start, precision_start = parse_date(row["start_date"], "start_date")
            end, precision_end = parse_date(row["end_date"], "end_date")
            host = BAP_BASE_HOSTS.get(base)
            participants = context.roles(
                lead=lead,
                host=(host,) if host else (),
                participant=parse_codes(row["augmenting_nations"], "augmenting_nations"),
            )
            label = f"{', '.join(lead) or 'lead not recorded'} at {base}"
            context.save(
                f"bap-{slugify(row['rotation'])}-{slugify(base)}",
                {
                    "title": f"Baltic Air Policing {row['rotation']}: {label}",
                    "start_date": start,
                    "end_date": end,
                    "date_precision": "month" if "month" in (precision_start, precision_end) else "day",
                    "location": base,
                    "lead_state": context.state_rows[lead[0]] if lead else None,
                    "source": row["source"],
                    "notes": "; ".join(part for part in (row["aircraft"], row["notes"]) if part),
                },
                participants,
                report,
            )
        except RowError as exc:
            report.rejects.append(_reject(path, line, str(exc)))


def _efp(path: Path, context: _Context, report: ImportReport) -> None:
    for line, row in _rows(path):
        try:
            host = parse_codes(row["host"], "host")
            framework = parse_codes(row["framework_nation"], "framework_nation")
            start, precision = parse_date(row["established"], "established")
            context.save(
                f"efp-battlegroup-{host[0].lower()}",
                {
                    "title": f"enhanced Forward Presence battlegroup {context.state_rows[host[0]].name}",
                    "start_date": start,
                    "end_date": None,
                    "date_precision": precision,
                    "location": context.state_rows[host[0]].name,
                    "lead_state": context.state_rows[framework[0]] if framework else None,
                    "source": row["source"],
                    "notes": f"Framework nation {', '.join(framework)}; contributors as of "
                    f"{row['contributors_as_of'] or 'date not recorded'}. {row['notes']}".strip(),
                },
                context.roles(
                    host=host, lead=framework, participant=parse_codes(row["contributing_nations"], "contributing")
                ),
                report,
            )
        except RowError as exc:
            report.rejects.append(_reject(path, line, str(exc)))


def _rap(path: Path, context: _Context, report: ImportReport) -> None:
    for line, row in _rows(path):
        try:
            agreed, precision = parse_date(row["agreed"], "agreed")
            context.save(
                f"rap-{slugify(row['key'])}",
                {
                    "title": f"Readiness Action Plan: {row['title']}",
                    "start_date": agreed,
                    "end_date": None,
                    "date_precision": precision,
                    "lead_organisation": context.nato,
                    "source": row["source"],
                    "notes": f"{row['category'].capitalize()} measure. {row['description']} {row['notes']}".strip(),
                },
                set(),
                report,
            )
        except RowError as exc:
            report.rejects.append(_reject(path, line, str(exc)))


def _reject(path: Path, line: int, reason: str) -> Reject:
    return Reject(line, f"{path.name}: {reason}")


def posture_load(directory: Path) -> ImportReport:
    """Load the three posture files (idempotent); rejects name file and line."""
    report = ImportReport()
    context = _Context()
    for name, loader in (("baltic_air_policing.csv", _bap), ("efp_battlegroups.csv", _efp), ("rap_measures.csv", _rap)):
        path = directory / name
        if path.exists():
            loader(path, context, report)
    return report
