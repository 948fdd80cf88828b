"""Engagement imports as a hypothesis state machine: batches of good and bad rows, again and again.

Three importers (the system, an editor of NLD, a viewer of NLD: ``comity engagements import``
without and with ``--as``) import CSV batches over a few keys, mixing valid rows with bad numbers,
unknown statuses, keys repeated within the file and ``status: assessed`` (which needs a report no
import brings), and re-import a batch they imported before. The model keeps what should be
stored. After every batch: the valid rows are stored as the model says; every reject is reported
with its line and field; the counts and the change log agree (one entry per created or changed
record, none for an unchanged or rejected one); a re-import of the same file changes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pytest
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule, run_state_machine_as_test

from comity.core.models.audit import AuditAction
from comity.engagements.choices import EngagementKind, Status
from comity.engagements.importing import parse_text
from comity.engagements.lifecycle import TRANSITIONS
from comity.engagements.models import Engagement
from comity.engagements.services import engagements_import
from comity.engagements.tests.stateful import Person, RolledBackMachine, database_state, machine_settings

pytestmark = pytest.mark.django_db

COLUMNS = ("key", "title", "start_date", "end_date", "lead", "personnel", "status", "label")
KEYS = ["im-a", "im-b", "im-c", "im-d"]
#: Statuses a row may carry: every valid one, ``assessed`` (refused: no report) and an unknown one.
STATUSES = [*(str(status) for status in Status.values), "done"]
BAD_NUMBERS = ["²", "1" * 30, "-5", "12a"]
IMPORTERS = ["system", "editor", "viewer"]


@dataclass(frozen=True)
class Row:
    key: str
    title: str
    personnel: str
    status: str

    def cells(self) -> dict[str, str]:
        return {
            "key": self.key,
            "title": self.title,
            "start_date": "2020-01-01",
            "end_date": "2020-01-05",
            "lead": "NLD",
            "personnel": self.personnel,
            "status": self.status,
            "label": "PUBLIC",
        }


rows = st.builds(
    Row,
    key=st.sampled_from(KEYS),
    title=st.sampled_from(["Alpha", "Bravo"]),
    personnel=st.one_of(st.sampled_from(["", "0", "40", "2147483647"]), st.sampled_from(BAD_NUMBERS)),
    status=st.sampled_from(STATUSES),
)


def csv_text(batch: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(row.cells() for row in batch)
    return out.getvalue()


@dataclass(frozen=True)
class Outcome:
    """What the model expects of one batch."""

    stored: dict[str, tuple[str, int | None, str]]
    imported: int
    updated: int
    unchanged: int
    rejects: set[tuple[int, str]]


class ImportMachine(RolledBackMachine):
    PEOPLE = {"editor": Person("NLD", "SECRET", ("editor",)), "viewer": Person("NLD", "SECRET", ("viewer",))}

    def __init__(self) -> None:
        super().__init__()
        self.stored: dict[str, tuple[str, int | None, str]] = {}  # key -> title, personnel, status
        self.last: tuple[str, str, set[tuple[int, str]]] | None = None  # importer, text, rejects

    def expected(self, importer: str, batch: list[Row]) -> Outcome:
        """The model: the file's checks, then the service's, row by row (new keys go in at the end)."""
        stored, rejects = dict(self.stored), set()
        imported = updated = unchanged = 0
        seen: set[str] = set()
        for line, row in enumerate(batch, start=2):
            if row.personnel in BAD_NUMBERS:
                rejects.add((line, "personnel"))
                continue
            if row.status == "done":
                rejects.add((line, "status"))
                continue
            if row.key in seen:
                rejects.add((line, "key"))
                continue
            seen.add(row.key)
            values = (row.title, int(row.personnel) if row.personnel else None, row.status)
            if importer == "viewer":
                rejects.add((line, ""))  # the write rule: a viewer creates and changes nothing
                continue
            current = self.stored.get(row.key)
            moving = current is not None and current[2] != row.status
            if row.status == Status.ASSESSED and (current is None or moving):
                rejects.add((line, "status"))  # no import brings the report that assessed needs
            elif moving and importer == "editor" and row.status == Status.APPROVED:
                rejects.add((line, ""))  # approval needs an approver
            elif moving and importer == "editor" and row.status not in TRANSITIONS[current[2]]:  # type: ignore[index]
                rejects.add((line, "status"))  # the lifecycle table binds a user, not the system
            elif current is None:
                imported += 1
                stored[row.key] = values
            elif current != values:
                updated += 1
                stored[row.key] = values
            else:
                unchanged += 1
        return Outcome(stored, imported, updated, unchanged, rejects)

    def state(self) -> list[list[object]]:
        return database_state(
            Engagement.objects.filter(key__startswith="im-")
            .order_by("key")
            .values_list("key", "title", "personnel", "status", "owner", "label", "updated")
        )

    def run_import(self, importer: str, text: str):  # type: ignore[no-untyped-def]
        user = None if importer == "system" else self.users[importer]
        parsed = parse_text(text, ".csv", timezone.localdate())
        return engagements_import(acting_user=user, kind=EngagementKind.EXERCISE, parsed=parsed)

    @rule(importer=st.sampled_from(IMPORTERS), batch=st.lists(rows, min_size=1, max_size=6))
    def import_batch(self, importer: str, batch: list[Row]) -> None:
        outcome = self.expected(importer, batch)
        text = csv_text(batch)
        report = self.run_import(importer, text)
        assert {(reject.line, reject.field) for reject in report.rejects} == outcome.rejects
        assert len(report.rejects) == len(outcome.rejects)  # one reject per bad row, each with a reason
        assert all(reject.reason for reject in report.rejects)
        assert (report.imported, report.updated, report.unchanged) == (
            outcome.imported,
            outcome.updated,
            outcome.unchanged,
        )
        entries = [(entry.action, entry.username) for entry in self.new_entries()]
        actor = "" if importer == "system" else f"sm-{importer}"
        assert sorted(entries) == sorted(
            [(AuditAction.CREATE, actor)] * outcome.imported + [(AuditAction.UPDATE, actor)] * outcome.updated
        )
        self.stored = outcome.stored
        self.last = (importer, text, outcome.rejects)

    @precondition(lambda self: self.last is not None)
    @rule()
    def reimport(self) -> None:
        """The last batch again, by the same importer: the same rejects, and nothing changes."""
        assert self.last is not None
        importer, text, rejects = self.last
        before = self.state()
        report = self.run_import(importer, text)
        assert (report.imported, report.updated) == (0, 0)
        assert {(reject.line, reject.field) for reject in report.rejects} == rejects
        assert self.state() == before
        assert self.new_entries() == []

    @invariant()
    def the_database_is_the_model(self) -> None:
        stored = {
            key: (title, personnel, status)
            for key, title, personnel, status in Engagement.objects.filter(key__startswith="im-").values_list(
                "key", "title", "personnel", "status"
            )
        }
        assert stored == self.stored
        assert not Engagement.objects.filter(key__startswith="im-", status=Status.ASSESSED).exists()


def test_the_import_machine() -> None:
    run_state_machine_as_test(ImportMachine, settings=machine_settings(examples=40, steps=10))
