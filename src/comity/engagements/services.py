"""Writes of engagements: import (idempotent by natural key), create and change, lifecycle
transitions, objectives.

Every write runs in a transaction with its change-log rows. An import keeps every valid row and
reports each rejected one with its line and reason; running the same file again changes nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from comity.core.audit import audit_create, audit_entry, audit_record, snapshot
from comity.core.authority import WriteAction
from comity.core.labels import LabelError, label_from_marking
from comity.core.models.audit import AuditAction
from comity.core.permissions import WriteDenied, default_owner, require_write, write_decision
from comity.core.selectors import access_or_404, may_see_label, visible_label_ids
from comity.engagements.bulk import NewRecord, bulk_create_engagements
from comity.engagements.choices import EngagementKind, ObjectiveLevel, ParticipantRole, Status
from comity.engagements.importing import ExerciseRow, ParsedFile, Reject
from comity.engagements.kinds import KIND_MODELS
from comity.engagements.lifecycle import (
    TransitionError,
    allowed_from,
    check_report,
    check_timing,
    check_transition,
)
from comity.engagements.models import AfterActionReport, Engagement, EngagementParticipant, Exercise, Objective
from comity.engagements.reports import ReportError, report_follows
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
        self.owner = "" if acting_user is None else default_owner(acting_user)

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
    """The base fields every kind shares, with codes resolved.

    The owner of a row a user imports is the scope they edit for (``default_owner``); a shipped
    row (the system imports it) is owned by the organisation or nation its source names as the
    lead, and by nobody when the source names none.
    """
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
        "owner": resolver.owner or (row.leads[0] if row.leads else ""),
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


class RowRefusedError(LookupError):
    """An import row a write check refused, naming the column at fault (``Reject.field``)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


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
    """Create or update one engagement of an import by natural key, counting the outcome.

    A thin adapter: a new key goes through ``engagement_create``'s checks and writer, an existing
    one through ``engagement_update``'s, so an imported change is checked and logged exactly as
    the same change made in the API. ``acting_user`` None is the system loading shipped data.
    """
    existing = Engagement.objects.filter(key=key).first()
    hidden = existing is not None and visible_labels is not None and existing.label_id not in visible_labels
    if existing is not None and (hidden or existing.kind != values["kind"]):
        raise LookupError(KEY_TAKEN.format(key=key))
    states = {state.pk: state for state in State.objects.filter(pk__in={state for state, _ in participants})}
    links = [(states[state], role, None) for state, role in sorted(participants)]
    if existing is not None and acting_user is not None:
        values = {name: value for name, value in values.items() if name != "owner"}  # an import keeps the owner
    try:
        with transaction.atomic():
            if existing is None:
                record = _checked_create(
                    acting_user=acting_user,
                    model=model,
                    key=key,
                    values=values,
                    participants=links,
                    objectives=objectives,
                )
                report.imported += 1
                return record
            record, changed = _update(
                acting_user=acting_user, engagement=existing, values=values, participants=links, objectives=objectives
            )
    except WriteDenied as exc:
        raise LookupError(str(exc)) from exc
    except EngagementChangeError as exc:
        raise RowRefusedError(str(exc), exc.field) from exc
    if changed:
        report.updated += 1
    else:
        report.unchanged += 1
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
                if acting_user is not None:
                    decision = write_decision(acting_user, WriteAction.CREATE, None, values["owner"])
                    if not decision:
                        raise LookupError(decision.reason)
                try:
                    check_assessment(acting_user, None, values["status"])
                except TransitionError as exc:
                    raise RowRefusedError(str(exc), "status") from exc
                new.append(NewRecord(row.key, values, participants, objectives))
        except LookupError as exc:
            report.rejects.append(Reject(row.line, str(exc.args[0]), getattr(exc, "field", "")))
    with transaction.atomic():
        bulk_create_engagements(model=model, records=new, acting_user=acting_user)
    report.imported += len(new)
    return report


def exercises_import(*, acting_user: User | None, parsed: ParsedFile) -> ImportReport:
    """``engagements_import`` of exercises (the shipped data, the demo and the benchmark use it)."""
    return engagements_import(acting_user=acting_user, kind=EngagementKind.EXERCISE, parsed=parsed)


def _check_move(acting_user: User | None, record: Engagement, to: str) -> None:
    """A lifecycle move: allowed by the table, by the calendar and by the write rule.

    Approval needs an approver of the owner (four-eyes); every other move an editor. A partnership
    activity is approved only through its PRIME approval step, which checks the programme's rule.
    Assessment needs an after-action report the mover may read (``lifecycle.check_report``).
    The write rule is asked first: whoever may not move the record hears that (403), not whether
    the move would otherwise have been possible.
    """
    if acting_user is not None:
        action = WriteAction.APPROVE if to == Status.APPROVED else WriteAction.MOVE
        require_write(acting_user, action, record, record.owner)
    check_transition(record.status, to)
    if record.kind == EngagementKind.PROGRAMME and to == Status.APPROVED:
        raise TransitionError("a partnership activity is approved through its PRIME approval step")
    check_timing(
        to, start=record.start_date, end=record.end_date, precision=record.date_precision, today=timezone.localdate()
    )
    check_assessment(acting_user, record.pk, to)


def check_assessment(acting_user: User | None, engagement_pk: int | None, status: str) -> None:
    """Every door to ``assessed``: ``lifecycle.check_report`` asked about the reports the actor
    may read (the system reads them all; a record not yet written has none).

    The lifecycle move, a create, an edit, an import and a planner's save all ask this, so a
    record is never assessed without the report that says how it was judged. Raises
    ``TransitionError``; the callers put it beside the ``status`` field.
    """
    if status != Status.ASSESSED:  # spares the query; check_report is the rule
        return
    reports = AfterActionReport.objects.none()
    if engagement_pk is not None:
        reports = AfterActionReport.objects.filter(engagement=engagement_pk)
        if acting_user is not None:
            reports = reports.visible_to(acting_user)
    check_report(status, has_report=reports.exists())


@transaction.atomic
def engagement_transition(*, acting_user: User | None, engagement: Engagement, to: str) -> Engagement:
    """Move an engagement along its lifecycle: the same path as a PATCH of ``status`` alone.

    Raises ``TransitionError`` when the table or the calendar refuse the move, ``WriteDenied``
    when the user's roles do.
    """
    current = engagement
    if acting_user is not None:
        current = access_or_404(Engagement.objects.all(), acting_user, pk=engagement.pk)  # hidden: 404, not 403
    try:
        _check_move(acting_user, current, to)
        record, _ = _update(acting_user=acting_user, engagement=current, values={"status": to})
    except EngagementChangeError as exc:
        raise TransitionError(str(exc)) from exc
    engagement.refresh_from_db()  # the caller's object shows the move too
    return record


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


def _check_label(acting_user: User, label: ConfidentialityLabel) -> None:
    """Nobody may give a record a label they could not read themselves."""
    if not may_see_label(acting_user, label):
        raise EngagementChangeError("label", "you may not give a record a label above what you may see")


def _check_dates(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise EngagementChangeError("end_date", f"the record ends ({end}) before it starts ({start})")


#: The answer to a key that is taken, whether by a record the caller may see or not: the same
#: words either way, so that a hidden record's key is not confirmed by a different message.
KEY_TAKEN = "key {key!r} is not available; choose another key"


def engagement_insert(
    *,
    acting_user: User | None,
    model: type[Engagement],
    key: str,
    values: dict[str, Any],
    participants: list[tuple[State, str, int | None]],
    objectives: list[Objective],
) -> Engagement:
    """Write a new record with its links and change-log entry.

    The checks are the caller's: ``engagement_create`` applies the editor rule, and
    ``prime.activity_propose`` the partnership programme's own.
    """
    record = model.objects.create(key=key, **values)
    record.objectives.set(objectives)
    EngagementParticipant.objects.bulk_create(
        EngagementParticipant(engagement=record, state=state, role=role, personnel=personnel)
        for state, role, personnel in participants
    )
    audit_create(record, acting_user=acting_user)
    return record


def _checked_create(
    *,
    acting_user: User | None,
    model: type[Engagement],
    key: str,
    values: dict[str, Any],
    participants: list[tuple[State, str, int | None]],
    objectives: list[Objective],
) -> Engagement:
    if acting_user is not None:
        values = {**values, "owner": values.get("owner") or default_owner(acting_user)}
        require_write(acting_user, WriteAction.CREATE, None, values["owner"])
        _check_label(acting_user, values["label"])
    if Engagement.objects.filter(key=key).exists():
        raise EngagementChangeError("key", KEY_TAKEN.format(key=key))
    _check_dates(values.get("start_date"), values.get("end_date"))
    try:
        check_assessment(acting_user, None, values.get("status", ""))
    except TransitionError as exc:
        raise EngagementChangeError("status", str(exc)) from exc
    return engagement_insert(
        acting_user=acting_user, model=model, key=key, values=values, participants=participants, objectives=objectives
    )


@transaction.atomic
def engagement_create(
    *,
    acting_user: User | None,
    model: type[Engagement],
    kind: str,
    key: str,
    values: dict[str, Any],
    participants: list[tuple[State, str, int | None]],
    objectives: list[Objective],
) -> Engagement:
    """Record a new engagement of any kind, with participants (state, role, personnel).

    The owner is ``values["owner"]`` or the user's default scope; the user must be an editor of
    it (``WriteDenied`` otherwise) and may give only a label they can read. A taken key answers
    the same whether or not the caller may see the record that holds it.
    """
    return _checked_create(
        acting_user=acting_user,
        model=model,
        key=key,
        values={**values, "kind": kind},
        participants=participants,
        objectives=objectives,
    )


#: What identifies a record and so never changes: the natural key and the kind.
IMMUTABLE_FIELDS = ("key", "kind")


def _participant_codes(participants: Iterable[tuple[str, str, int | None]]) -> list[str]:
    """Participants as the change log shows them: ``ISO3:role`` or ``ISO3:role:personnel``."""
    return sorted(f"{iso3}:{role}" + ("" if n is None else f":{n}") for iso3, role, n in participants)


#: Fields no write may set: the database keeps them.
MANAGED_FIELDS = ("id", "engagement_ptr", "created", "updated")


@transaction.atomic
def engagement_update(
    *,
    acting_user: User | None,
    engagement: Engagement,
    values: dict[str, Any],
    participants: list[tuple[State, str, int | None]] | None = None,
    objectives: list[Objective] | None = None,
) -> Engagement:
    """Change an engagement of any kind; ``key`` and ``kind`` stay as they are.

    A record the user may not see answers ``Http404``, as reading it does; one they may see but
    not change ``WriteDenied`` (403) with the reason. A new label must be one the user may see; a
    new status must be a move the lifecycle table, the calendar and the user's roles allow; the
    owner changes only to a scope the user also edits for; the record may not end before it
    starts. Participants (state, role, personnel) and objectives are replaced only when given.
    One change-log entry holds the fields before and after, with the given links beside them;
    nothing is written when nothing changed. A raised label raises the after-action report with
    it (``reports.report_follows``, its own entry).
    """
    record, _ = _update(
        acting_user=acting_user, engagement=engagement, values=values, participants=participants, objectives=objectives
    )
    return record


def _update(
    *,
    acting_user: User | None,
    engagement: Engagement,
    values: dict[str, Any],
    participants: list[tuple[State, str, int | None]] | None = None,
    objectives: list[Objective] | None = None,
) -> tuple[Engagement, bool]:
    """``engagement_update``, saying whether anything changed (imports count it)."""
    model = KIND_MODELS.get(engagement.kind, Engagement)
    if acting_user is None:
        record = model.objects.select_for_update().get(pk=engagement.pk)
    else:
        record = access_or_404(model.objects.select_for_update(), acting_user, pk=engagement.pk)
    changeable = {f.name for f in model._meta.concrete_fields} - set(MANAGED_FIELDS)
    unknown = set(values) - changeable
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    for name in IMMUTABLE_FIELDS:
        if name in values and values[name] != getattr(record, name):
            raise EngagementChangeError(name, f"the {name} of a record cannot change")
    moving = values.get("status", record.status) != record.status
    if acting_user is not None:
        if not moving or set(values) - {"status"}:
            require_write(acting_user, WriteAction.CHANGE, record, record.owner)
        if values.get("owner", record.owner) != record.owner:
            require_write(acting_user, WriteAction.CREATE, None, values["owner"])
        label = values.get("label")
        if label is not None and label.pk != record.label_id:
            _check_label(acting_user, label)
    if moving:
        try:
            if acting_user is None:  # the system skips the table and the calendar, not the report
                check_assessment(None, record.pk, values["status"])
            else:
                _check_move(acting_user, record, values["status"])
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
    linked: list[Objective] = []
    if objectives is not None:
        current_objectives = list(record.objectives.all())
        if acting_user is not None:
            # The caller names only objectives they can see; links to the others stay as they are.
            hidden = record.objectives.exclude(pk__in=Objective.objects.visible_to(acting_user).values("pk"))
            objectives = [*objectives, *hidden]
        links_before["objectives"] = sorted(o.code for o in current_objectives)
        links_after["objectives"] = sorted({o.code for o in objectives})
        linked = [*current_objectives, *objectives]
    if snapshot(record) == before and links_after == links_before:
        return record, False

    record.save()
    if participants is not None and links_after["participants"] != links_before["participants"]:
        EngagementParticipant.objects.filter(engagement=record).delete()
        EngagementParticipant.objects.bulk_create(
            EngagementParticipant(engagement=record, state=state, role=role, personnel=personnel)
            for state, role, personnel in participants
        )
    if objectives is not None:
        record.objectives.set(objectives)
    audit_record(
        audit_entry(
            acting_user=acting_user,
            action=AuditAction.UPDATE,
            instance=record,
            before={**before, **links_before},
            after={**snapshot(record), **links_after},
            linked=linked,
        )
    )
    if record.label_id != before["label_id"]:
        try:
            report_follows(acting_user=acting_user, engagement=record)
        except ReportError as exc:
            raise EngagementChangeError(exc.field, str(exc)) from exc
    return record, True


def moves_allowed(user: User, record: Engagement) -> list[str]:
    """The lifecycle moves ``user`` may make on ``record`` now: the buttons a page offers.

    Asks the same check the move itself runs, so a page never offers a move that would be refused.
    """
    allowed = []
    for target in allowed_from(record.status):
        try:
            _check_move(user, record, target)
        except (TransitionError, WriteDenied):
            continue
        allowed.append(target)
    return allowed
