"""Writes of engagements: import (idempotent by natural key), create and change, lifecycle
transitions, objectives.

Every write runs in a transaction with its change-log rows. An import keeps every valid row and
reports each rejected one with its line and reason; running the same file again changes nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction

from comity.core.audit import audit_create, audit_entry, audit_update, snapshot
from comity.core.labels import LabelError, label_from_marking
from comity.core.models.audit import AuditAction
from comity.core.selectors import access_or_404, may_see_label, visible_label_ids
from comity.engagements.bulk import NewRecord, bulk_create_engagements
from comity.engagements.choices import EngagementKind, ObjectiveLevel, ParticipantRole
from comity.engagements.importing import ExerciseRow, ParsedFile, Reject
from comity.engagements.kinds import KIND_MODELS
from comity.engagements.lifecycle import TransitionError, check_transition
from comity.engagements.models import Engagement, EngagementParticipant, Exercise, Objective
from comity.registry.models import Organisation, State

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date

    from comity.core.models import ConfidentialityLabel, User


@dataclass
class ImportReport:
    """The CLI prints ``imported``, ``updated``, ``rejected`` (a count) and ``rejects`` (details)."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejects: list[Reject] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.rejects),
            "rejects": [asdict(r) for r in sorted(self.rejects, key=lambda r: r.line)],
        }


class _Resolver:
    """Codes to rows, loaded once per import."""

    def __init__(self, acting_user: User | None) -> None:
        self.states = {s.iso3: s for s in State.objects.all()}
        self.organisations = {o.code: o for o in Organisation.objects.all()}
        objectives = Objective.objects.all() if acting_user is None else Objective.objects.visible_to(acting_user)
        self.objectives = {o.code: o for o in objectives}
        self.labels: dict[str, ConfidentialityLabel] = {}
        self.visible_labels = None if acting_user is None else set(visible_label_ids(acting_user))

    def state(self, code: str, column: str) -> State:
        if code not in self.states:
            raise LookupError(f"{column} {code!r} is not a state in the registry")
        return self.states[code]

    def label(self, marking: str) -> ConfidentialityLabel:
        if marking not in self.labels:
            try:
                self.labels[marking] = label_from_marking(marking)
            except LabelError as exc:
                raise LookupError(f"label: {exc}") from exc
        label = self.labels[marking]
        if self.visible_labels is not None and label.pk not in self.visible_labels:
            raise LookupError(f"label {label.marking!r} is above what you may see, so you may not assign it")
        return label


#: The columns of an import row that only exercises have.
EXERCISE_ONLY = ("series", "domain", "scenario", "battle_tanks", "armoured_combat_vehicles", "artillery_pieces")


def _fields(row: ExerciseRow, resolver: _Resolver) -> dict[str, Any]:
    """The base fields every kind shares, with codes resolved."""
    lead_state = lead_org = None
    if len(row.leads) == 1 and row.leads[0] in resolver.organisations:
        lead_org = resolver.organisations[row.leads[0]]
    elif row.leads:
        lead_state = resolver.state(row.leads[0], "lead")
        for code in row.leads[1:]:
            resolver.state(code, "lead")
    return {
        "title": row.title,
        "start_date": row.start_date,
        "end_date": row.end_date,
        "date_precision": row.date_precision,
        "location": row.location,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "lead_state": lead_state,
        "lead_organisation": lead_org,
        "personnel": row.personnel,
        "status": row.status,
        "label": resolver.label(row.label),
        "source": row.source,
        "notes": row.notes,
    }


def _participants(row: ExerciseRow, resolver: _Resolver) -> set[tuple[int, str]]:
    wanted = {(resolver.state(code, "host").pk, ParticipantRole.HOST.value) for code in row.hosts}
    wanted |= {
        (resolver.state(code, "participants").pk, ParticipantRole.PARTICIPANT.value) for code in row.participants
    }
    wanted |= {(resolver.states[code].pk, ParticipantRole.LEAD.value) for code in row.leads if code in resolver.states}
    return wanted


def _objectives(row: ExerciseRow, resolver: _Resolver) -> list[Objective]:
    unknown = [code for code in row.objectives if code not in resolver.objectives]
    if unknown:
        raise LookupError(f"objectives {', '.join(unknown)} are unknown")
    return [resolver.objectives[code] for code in row.objectives]


def engagement_upsert(
    *,
    model: type[Engagement],
    key: str,
    values: dict[str, Any],
    participants: set[tuple[int, str]],
    objectives: list[Objective],
    acting_user: User | None,
    report: ImportReport,
    visible_labels: set[int] | None = None,
) -> Engagement:
    """Create or update one engagement by natural key, with its participants and objectives.

    Counts the outcome in ``report`` (nothing is written when nothing changed) and logs the
    change, with the participant list beside the fields so a changed list shows in history.
    """
    existing = Engagement.objects.filter(key=key).first()
    if existing is not None and (
        existing.kind != values["kind"] or (visible_labels is not None and existing.label_id not in visible_labels)
    ):
        raise LookupError(f"key {key!r} is already used by another record")
    with transaction.atomic():
        if existing is None:
            record = model.objects.create(key=key, **values)
            record.objectives.set(objectives)
            EngagementParticipant.objects.bulk_create(
                EngagementParticipant(engagement=record, state_id=state, role=role) for state, role in participants
            )
            audit_create(record, acting_user=acting_user)
            report.imported += 1
            return record
        record = model.objects.get(pk=existing.pk)
        before = snapshot(record)
        for attr, value in values.items():
            setattr(record, attr, value)
        current = set(EngagementParticipant.objects.filter(engagement=record).values_list("state_id", "role"))
        same_links = current == participants and {o.pk for o in record.objectives.all()} == {o.pk for o in objectives}
        if snapshot(record) == before and same_links:
            report.unchanged += 1
            return record
        record.save()
        record.objectives.set(objectives)
        for stale in EngagementParticipant.objects.filter(engagement=record):
            if (stale.state_id, stale.role) not in participants:
                stale.delete()
        EngagementParticipant.objects.bulk_create(
            EngagementParticipant(engagement=record, state_id=state, role=role)
            for state, role in participants - current
        )
        before["participants"] = sorted(f"{state}:{role}" for state, role in current)
        after = snapshot(record)
        after["participants"] = sorted(f"{state}:{role}" for state, role in participants)
        audit_entry(
            acting_user=acting_user, action=AuditAction.UPDATE, instance=record, before=before, after=after
        ).save()
        report.updated += 1
        return record


def _kind_values(row: ExerciseRow, kind: str, resolver: _Resolver, acting_user: User | None) -> dict[str, Any]:
    """Base values and the kind's own, with state codes and exercise keys resolved."""
    model = KIND_MODELS[kind]
    values = {**_fields(row, resolver), "kind": kind}
    if kind == EngagementKind.EXERCISE:
        values.update({name: getattr(row, name) for name in EXERCISE_ONLY})
    for name, value in row.extra.items():
        related = getattr(model._meta.get_field(name), "related_model", None)
        if related is State:
            values[name] = resolver.state(value, name)
        elif related is Exercise:
            visible = Exercise.objects.all() if acting_user is None else Exercise.objects.visible_to(acting_user)
            exercise = visible.filter(key=value).first()
            if exercise is None:
                raise LookupError(f"{name} {value!r} is not an exercise you may see")
            values[name] = exercise
        else:
            values[name] = value
    return values


def engagements_import(*, acting_user: User | None, kind: str, parsed: ParsedFile) -> ImportReport:
    """Import checked rows of one kind: create new keys, update changed ones, report rejects.

    New keys go in bulk (one transaction); existing keys are compared and updated one by one.
    ``acting_user`` None is the system (loading shipped data); a user may only assign labels they
    can see and may only update records they can see.
    """
    model = KIND_MODELS[kind]
    report = ImportReport(rejects=list(parsed.rejects))
    resolver = _Resolver(acting_user)
    keys = [row.key for row in parsed.rows]
    existing: set[str] = set()
    for start in range(0, len(keys), 5000):  # stay under SQLite's limit on query parameters
        existing.update(Engagement.objects.filter(key__in=keys[start : start + 5000]).values_list("key", flat=True))
    new: list[NewRecord] = []
    for row in parsed.rows:
        try:
            values = _kind_values(row, kind, resolver, acting_user)
            participants, objectives = _participants(row, resolver), _objectives(row, resolver)
            if row.key in existing:
                engagement_upsert(
                    model=model,
                    key=row.key,
                    values=values,
                    participants=participants,
                    objectives=objectives,
                    acting_user=acting_user,
                    report=report,
                    visible_labels=resolver.visible_labels,
                )
            else:
                new.append(NewRecord(row.key, values, participants, objectives))
        except LookupError as exc:
            report.rejects.append(Reject(row.line, str(exc.args[0])))
    with transaction.atomic():
        bulk_create_engagements(model=model, records=new, acting_user=acting_user)
    report.imported += len(new)
    return report


def exercises_import(*, acting_user: User | None, parsed: ParsedFile) -> ImportReport:
    """``engagements_import`` of exercises (the shipped data, the demo and the benchmark use it)."""
    return engagements_import(acting_user=acting_user, kind=EngagementKind.EXERCISE, parsed=parsed)


@transaction.atomic
def engagement_transition(*, acting_user: User | None, engagement: Engagement, to: str) -> Engagement:
    """Move an engagement along its lifecycle; refuse moves the state machine does not allow."""
    check_transition(engagement.status, to)
    before = snapshot(engagement)
    engagement.status = to
    engagement.save(update_fields=["status", "updated"])
    audit_update(engagement, before, acting_user=acting_user)
    return engagement


#: The alliance's strategic goals of military diplomacy, the roots of the objective tree.
ROOT_GOALS = (
    ("interoperability", "Interoperability", "Forces of allies and partners able to operate together."),
    ("deterrence", "Deterrence and defence posture", "A credible deterrence and defence posture."),
    ("partnerships", "Partnerships beyond the members", "Cooperation and dialogue with partner nations."),
    ("capacity-building", "Capacity building", "Defence capacity of allies and partners."),
)


@transaction.atomic
def objectives_seed(*, acting_user: User | None) -> int:
    """Create the four root goals (PUBLIC) when missing; returns how many were created."""
    from comity.core.labels import public_label

    created = 0
    for code, title, description in ROOT_GOALS:
        if not Objective.objects.filter(code=code).exists():
            goal = Objective.objects.create(
                code=code, title=title, description=description, level=ObjectiveLevel.GOAL, label=public_label()
            )
            audit_create(goal, acting_user=acting_user)
            created += 1
    return created


class EngagementChangeError(ValueError):
    """A change to an engagement that is not allowed; ``field`` names the value at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _check_dates(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise EngagementChangeError("end_date", f"the record ends ({end}) before it starts ({start})")


@transaction.atomic
def engagement_create(
    *,
    acting_user: User,
    model: type[Engagement],
    kind: str,
    key: str,
    values: dict[str, Any],
    participants: list[tuple[State, str, int | None]],
    objectives: list[Objective],
) -> Engagement:
    """Record a new engagement of any kind, with participants (state, role, personnel)."""
    if not may_see_label(acting_user, values["label"]):
        raise LookupError("you may not give a record a label above what you may see")
    if Engagement.objects.filter(key=key).exists():
        raise LookupError(f"key {key!r} is already used by another record")
    _check_dates(values.get("start_date"), values.get("end_date"))
    record = model.objects.create(key=key, kind=kind, **values)
    record.objectives.set(objectives)
    EngagementParticipant.objects.bulk_create(
        EngagementParticipant(engagement=record, state=state, role=role, personnel=personnel)
        for state, role, personnel in participants
    )
    audit_create(record, acting_user=acting_user)
    return record


#: What identifies a record and so never changes: the natural key and the kind.
IMMUTABLE_FIELDS = ("key", "kind")


def _participant_codes(participants: Iterable[tuple[str, str, int | None]]) -> list[str]:
    """Participants as the change log shows them: ``ISO3:role`` or ``ISO3:role:personnel``."""
    return sorted(f"{iso3}:{role}" + ("" if n is None else f":{n}") for iso3, role, n in participants)


@transaction.atomic
def engagement_update(
    *,
    acting_user: User,
    engagement: Engagement,
    values: dict[str, Any],
    participants: list[tuple[State, str, int | None]] | None = None,
    objectives: list[Objective] | None = None,
) -> Engagement:
    """Change an engagement of any kind; ``key`` and ``kind`` stay as they are.

    A record the user may not see answers ``Http404``, as reading it does. A new label must be one
    the user may see (as for ``engagement_create``); a new status must be a move the lifecycle
    table allows; the record may not end before it starts. Participants (state, role, personnel)
    and objectives are replaced only when given. One change-log entry holds the fields before and
    after, with the given links beside them; nothing is written when nothing changed.
    """
    model = KIND_MODELS.get(engagement.kind, Engagement)
    record = access_or_404(model.objects.select_for_update(), acting_user, pk=engagement.pk)
    changeable = {f.name for f in model._meta.concrete_fields} - {"id", "engagement_ptr", "created", "updated"}
    unknown = set(values) - changeable
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    for name in IMMUTABLE_FIELDS:
        if name in values and values[name] != getattr(record, name):
            raise EngagementChangeError(name, f"the {name} of a record cannot change")
    label = values.get("label")
    if label is not None and label.pk != record.label_id and not may_see_label(acting_user, label):
        raise EngagementChangeError("label", "you may not give a record a label above what you may see")
    if values.get("status", record.status) != record.status:
        try:
            check_transition(record.status, values["status"])
        except TransitionError as exc:
            raise EngagementChangeError("status", str(exc)) from exc

    before = snapshot(record)
    for name, value in values.items():
        setattr(record, name, value)
    _check_dates(record.start_date, record.end_date)
    links_before: dict[str, list[str]] = {}
    links_after: dict[str, list[str]] = {}
    if participants is not None:
        current = EngagementParticipant.objects.filter(engagement=record)
        links_before["participants"] = _participant_codes(current.values_list("state__iso3", "role", "personnel"))
        links_after["participants"] = _participant_codes((s.iso3, role, n) for s, role, n in participants)
    if objectives is not None:
        links_before["objectives"] = sorted(record.objectives.values_list("code", flat=True))
        links_after["objectives"] = sorted(o.code for o in objectives)
    if snapshot(record) == before and links_after == links_before:
        return record

    record.save()
    if participants is not None and links_after["participants"] != links_before["participants"]:
        EngagementParticipant.objects.filter(engagement=record).delete()
        EngagementParticipant.objects.bulk_create(
            EngagementParticipant(engagement=record, state=state, role=role, personnel=personnel)
            for state, role, personnel in participants
        )
    if objectives is not None:
        record.objectives.set(objectives)
    audit_entry(
        acting_user=acting_user,
        action=AuditAction.UPDATE,
        instance=record,
        before={**before, **links_before},
        after={**snapshot(record), **links_after},
    ).save()
    return record
