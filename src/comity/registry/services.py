"""Writes of the registry: loading the shipped reference data, and labelled country notes.

``registry_load`` is idempotent and all-or-nothing: it reads and checks every file first, then
writes inside one transaction, creating, updating and deleting only what differs, with one
change-log row per change.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from comity.core.audit import audit_create, audit_delete, audit_entry, audit_record, audit_update, snapshot
from comity.core.authority import WriteAction
from comity.core.models import AuditEntry, ConfidentialityLabel
from comity.core.models.audit import AuditAction
from comity.core.permissions import default_owner, require_write
from comity.core.selectors import access_or_404, may_see_label
from comity.registry.loader import REGISTRY_DIR, read_registry
from comity.registry.models import (
    CountryNote,
    Membership,
    Organisation,
    Participation,
    PartnershipFramework,
    State,
    StateName,
)

if TYPE_CHECKING:
    from comity.core.models import User


@dataclass
class LoadReport:
    """What a load changed, per model: created, updated, deleted, unchanged."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, model: str, outcome: str) -> None:
        self.counts.setdefault(model, {"created": 0, "updated": 0, "deleted": 0, "unchanged": 0})[outcome] += 1

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] + c["deleted"] for c in self.counts.values())


def _fields(record: Any, **relations: models.Model) -> dict[str, Any]:
    """A loader record as model field values, with codes swapped for the related rows."""
    values = {k: v for k, v in asdict(record).items() if k != "iso3"}
    values.update(relations)
    return values


def _sync(
    model: type[models.Model],
    key_fields: tuple[str, ...],
    wanted: list[dict[str, Any]],
    report: LoadReport,
    acting_user: User | None,
    label: ConfidentialityLabel,
) -> None:
    """Make the table equal ``wanted`` by natural key, logging each change."""
    existing = {tuple(getattr(obj, f) for f in key_fields): obj for obj in model.objects.all()}
    entries: list[AuditEntry] = []
    seen = set()
    name = model.__name__
    for values in wanted:
        key = tuple(values[f] for f in key_fields)
        seen.add(key)
        obj = existing.get(key)
        if obj is None:
            obj = model(**values)
            obj.save()
            entries.append(
                audit_entry(
                    acting_user=acting_user,
                    action=AuditAction.CREATE,
                    instance=obj,
                    before=None,
                    after=snapshot(obj),
                    label=label,
                )
            )
            report.add(name, "created")
            continue
        before = snapshot(obj)
        for attr, value in values.items():
            setattr(obj, attr, value)
        after = snapshot(obj)
        if after == before:
            report.add(name, "unchanged")
            continue
        obj.save()
        entries.append(
            audit_entry(
                acting_user=acting_user,
                action=AuditAction.UPDATE,
                instance=obj,
                before=before,
                after=after,
                label=label,
            )
        )
        report.add(name, "updated")
    for key, obj in existing.items():
        if key not in seen:
            entries.append(
                audit_entry(
                    acting_user=acting_user,
                    action=AuditAction.DELETE,
                    instance=obj,
                    before=snapshot(obj),
                    after=None,
                    label=label,
                )
            )
            obj.delete()
            report.add(name, "deleted")
    audit_record(*entries)


def registry_load(*, acting_user: User | None = None, directory: Path = REGISTRY_DIR) -> LoadReport:
    """Load (or refresh) the registry from the shipped files; nothing changes on any error."""
    from comity.core.labels import public_label

    data = read_registry(directory)  # raises DataFileError before any write
    report = LoadReport()
    with transaction.atomic():
        label = public_label()
        _sync(State, ("iso3",), [asdict(s) for s in data.states], report, acting_user, label)
        states = {s.iso3: s for s in State.objects.all()}
        _sync(
            StateName,
            ("state", "start"),
            [_fields(n, state=states[n.iso3]) for n in data.state_names],
            report,
            acting_user,
            label,
        )
        _sync(Organisation, ("code",), [asdict(o) for o in data.organisations], report, acting_user, label)
        organisations = {o.code: o for o in Organisation.objects.all()}
        _sync(
            PartnershipFramework,
            ("code",),
            [_fields(f, organisation=organisations[f.organisation]) for f in data.frameworks],
            report,
            acting_user,
            label,
        )
        frameworks = {f.code: f for f in PartnershipFramework.objects.all()}
        _sync(
            Membership,
            ("organisation", "state", "joined"),
            [_fields(m, organisation=organisations[m.organisation], state=states[m.iso3]) for m in data.memberships],
            report,
            acting_user,
            label,
        )
        _sync(
            Participation,
            ("framework", "state", "start"),
            [_fields(p, framework=frameworks[p.framework], state=states[p.iso3]) for p in data.participations],
            report,
            acting_user,
            label,
        )
    return report


def _check_label(acting_user: User, label: ConfidentialityLabel) -> None:
    """Nobody may give a note a label they could not read themselves."""
    if not may_see_label(acting_user, label):
        raise ValidationError({"label": "you may not give a note a label above what you may see"})


@transaction.atomic
def country_note_create(
    *, acting_user: User, state: State, title: str, body: str, label: ConfidentialityLabel, source: str = ""
) -> CountryNote:
    """Record a labelled note on a country (e.g. an attaché's assessment), owned by the scope the
    author edits for; the author is always the acting user."""
    owner = default_owner(acting_user)
    require_write(acting_user, WriteAction.CREATE, None, owner)
    _check_label(acting_user, label)
    note = CountryNote(state=state, title=title, body=body, label=label, source=source, author=acting_user, owner=owner)
    note.full_clean()
    note.save()
    audit_create(note, acting_user=acting_user)
    return note


@transaction.atomic
def country_note_update(*, acting_user: User, note: CountryNote, **changes: Any) -> CountryNote:
    """Change a note's title, body, source or label: an editor of the note's owner (403 otherwise)."""
    allowed = {"title", "body", "source", "label"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    note = access_or_404(CountryNote.objects.select_for_update(), acting_user, pk=note.pk)
    require_write(acting_user, WriteAction.CHANGE, note, note.owner)
    if "label" in changes and changes["label"].pk != note.label_id:
        _check_label(acting_user, changes["label"])
    before = snapshot(note)
    for attr, value in changes.items():
        setattr(note, attr, value)
    note.full_clean()
    note.save()
    audit_update(note, before, acting_user=acting_user)
    return note


@transaction.atomic
def country_note_delete(*, acting_user: User, note: CountryNote) -> None:
    """Delete a note: an editor of the note's owner (403 otherwise; 404 for a note one may not see)."""
    note = access_or_404(CountryNote.objects.select_for_update(), acting_user, pk=note.pk)
    require_write(acting_user, WriteAction.DELETE, note, note.owner)
    audit_delete(note, acting_user=acting_user)
    note.delete()
