"""Loading the shipped posture records: Baltic Air Policing rotations, the enhanced Forward
Presence battlegroups and the Readiness Action Plan measures of the 2014 Wales Summit.

Each becomes an engagement of kind ``posture`` (PUBLIC, with its source), so the calendar, the
map, the network and the country profiles show them beside the exercises. Their status follows
the calendar (``calendar_status``): a rotation's end, where no source gives it, is its
successor's start, and the record's notes say so.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from comity.core.labels import public_label
from comity.engagements.calendar_status import Detachment, settle_rotations, status_from_dates
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

    def open_status(self, start: date | None, precision: str) -> str:
        """The status of open-ended presence (a battlegroup, a standing measure): no end date."""
        return status_from_dates(start=start, end=None, precision=precision, today=self.today, bounded=False) or (
            Status.PLANNED
        )

    def save(self, key: str, values: dict[str, Any], participants: set[tuple[int, str]], report: ImportReport) -> None:
        engagement_upsert(
            model=Engagement,
            key=key,
            values={
                "kind": EngagementKind.POSTURE,
                "label": self.label,
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


@dataclass(frozen=True)
class _Rotation:
    """A checked air-policing row, waiting for its successor to settle its end and status."""

    row: dict[str, str]
    detachment: Detachment
    participants: set[tuple[int, str]]
    lead: tuple[str, ...]


def _bap(path: Path, context: _Context, report: ImportReport) -> None:
    rotations = []
    for line, row in _rows(path):
        try:
            lead = parse_codes(row["lead_nation"], "lead_nation")
            start, precision_start = parse_date(row["start_date"], "start_date")
            end, precision_end = parse_date(row["end_date"], "end_date")
            host = BAP_BASE_HOSTS.get(row["base"])
            participants = context.roles(
                lead=lead,
                host=(host,) if host else (),
                participant=parse_codes(row["augmenting_nations"], "augmenting_nations"),
            )
        except RowError as exc:
            report.rejects.append(_reject(path, line, str(exc)))
            continue
        detachment = Detachment(row["rotation"], row["base"], start, precision_start, end, precision_end)
        rotations.append(_Rotation(row, detachment, participants, lead))
    settled = settle_rotations([rotation.detachment for rotation in rotations], context.today)
    for rotation, outcome in zip(rotations, settled, strict=True):
        row, base, lead = rotation.row, rotation.detachment.base, rotation.lead
        derived = (
            f"End date derived from the start of the next rotation at {base} ({outcome.successor}); no source gives it."
            if outcome.successor
            else ""
        )
        context.save(
            f"bap-{slugify(row['rotation'])}-{slugify(base)}",
            {
                "title": f"Baltic Air Policing {row['rotation']}: {', '.join(lead) or 'lead not recorded'} at {base}",
                "start_date": rotation.detachment.start,
                "end_date": outcome.end,
                "date_precision": outcome.precision,
                "status": outcome.status or Status.PLANNED,
                "location": base,
                "lead_state": context.state_rows[lead[0]] if lead else None,
                "source": row["source"],
                "notes": "; ".join(part for part in (row["aircraft"], row["notes"], derived) if part),
            },
            rotation.participants,
            report,
        )


def _efp(path: Path, context: _Context, report: ImportReport) -> None:
    for line, row in _rows(path):
        try:
            host = parse_codes(row["host"], "host")
            framework = parse_codes(row["framework_nation"], "framework_nation")
            start, precision = parse_date(row["established"], "established")
            # The framework nation may have taken over after the battlegroup was set up (Italy
            # in Bulgaria on 2022-10-17, Bulgaria leading until then): say since when.
            since = row.get("framework_since", "")
            if since:
                parse_date(since, "framework_since")
            lead_text = f"Framework nation {', '.join(framework)}" + (f" since {since}" if since else "")
            context.save(
                f"efp-battlegroup-{host[0].lower()}",
                {
                    "title": f"enhanced Forward Presence battlegroup {context.state_rows[host[0]].name}",
                    "start_date": start,
                    "end_date": None,
                    "date_precision": precision,
                    "status": context.open_status(start, precision),
                    "location": context.state_rows[host[0]].name,
                    "lead_state": context.state_rows[framework[0]] if framework else None,
                    "source": row["source"],
                    "notes": f"{lead_text}; contributors as of "
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
                    "status": context.open_status(agreed, precision),
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
