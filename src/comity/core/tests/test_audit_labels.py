"""Change-log entries are labelled at least like their subject; account entries are for administrators.

A record without a label of its own (an activity's assignment, an engagement's participant, an
objective's indicator) shares the label of the record it belongs to, and so does every entry
about it. Entries about accounts (users, clearances, grants, sessions) are read by
administrators only, on every path that reads the change log.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from comity.core import services
from comity.core.audit import audit_create, audit_create_many, audit_entry, audit_record, audit_update, snapshot
from comity.core.labels import label_from_marking, public_label
from comity.core.models import AuditEntry, LabelledModel, User
from comity.core.models.audit import AuditAction
from comity.core.roles import role_grant
from comity.core.selectors import audit_entries_visible, audit_history
from comity.core.testing.factories import make_user
from comity.engagements import prime
from comity.engagements.choices import EngagementKind
from comity.engagements.models import (
    ActivityAssignment,
    Engagement,
    EngagementParticipant,
    Exercise,
    Indicator,
    Objective,
    ProgrammeActivity,
)
from comity.engagements.tests.factories import make_menu_item, make_programme
from comity.registry.models import State

pytestmark = pytest.mark.django_db

SECRET = "NATO SECRET REL TO NLD"


def _secret_activity() -> ProgrammeActivity:
    """A SECRET activity proposed by an NLD officer (its proposer assignment is logged)."""
    proposer = make_user("NLD", "SECRET", username="zq-proposer", roles=("programme_manager:NATO",))
    return prime.activity_propose(
        acting_user=proposer,
        programme=make_programme("UKR", "2027"),
        menu_item=make_menu_item(),
        key="zq-secret-activity",
        title="Zq secret activity",
        start_date=date(2027, 3, 1),
        end_date=date(2027, 3, 5),
        label=label_from_marking(SECRET),
    )


def _secret_exercise() -> Exercise:
    return Exercise.objects.create(
        key="zq-secret-exercise", kind=EngagementKind.EXERCISE, title="Zq", label=label_from_marking(SECRET)
    )


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api_entries(client: Client, **query: str) -> list[dict[str, object]]:
    response = client.get("/api/core/audit/", query)
    assert response.status_code == 200
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def test_an_assignment_entry_carries_its_activitys_label() -> None:
    activity = _secret_activity()
    assignment = ActivityAssignment.objects.get(activity=activity)
    entry = AuditEntry.objects.get(content_type__model="activityassignment", object_id=str(assignment.pk))
    assert entry.label_id == activity.label_id


def test_an_entry_about_a_participant_of_a_secret_exercise_carries_secret() -> None:
    exercise = _secret_exercise()
    participant = EngagementParticipant.objects.create(engagement=exercise, state=State.objects.get(iso3="GEO"))
    created = audit_create(participant, acting_user=None)
    assert AuditEntry.objects.get(pk=created.pk).label.marking == SECRET
    deleted = audit_entry(
        acting_user=None, action=AuditAction.DELETE, instance=participant, before=snapshot(participant), after=None
    )
    assert deleted.label_id == exercise.label_id


def test_bulk_entries_share_their_subjects_label() -> None:
    exercise = _secret_exercise()
    participant = EngagementParticipant.objects.create(engagement=exercise, state=State.objects.get(iso3="GEO"))
    audit_create_many([participant], acting_user=None)
    entry = AuditEntry.objects.get(content_type__model="engagementparticipant", object_id=str(participant.pk))
    assert entry.label.marking == SECRET


def test_moving_an_indicator_under_a_secret_objective_keeps_both_under_the_higher_label() -> None:
    public = Objective.objects.create(code="zq-public", title="Zq public", label=public_label())
    secret = Objective.objects.create(code="zq-secret", title="Zq secret", label=label_from_marking(SECRET))
    indicator = Indicator.objects.create(objective=public, name="Zq indicator")
    assert audit_create(indicator, acting_user=None).label_id == public.label_id
    before = snapshot(indicator)
    indicator.objective = secret
    indicator.save()
    entry = audit_update(indicator, before, acting_user=None)
    assert entry is not None and entry.label.marking == SECRET
    # Moving it back out: the entry still holds what was written under SECRET.
    before = snapshot(indicator)
    indicator.objective = public
    indicator.save()
    back = audit_update(indicator, before, acting_user=None)
    assert back is not None and back.label.marking == SECRET


def test_every_unlabelled_model_says_whose_label_its_entries_share() -> None:
    """A new model that belongs to a labelled record, or describes an account, must say so."""
    for model in apps.get_models():
        if not model.__module__.startswith("comity.") or issubclass(model, LabelledModel):
            continue
        relations = [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
        to_labelled = [f for f in relations if issubclass(f.related_model, LabelledModel)]
        to_user = [f for f in relations if f.related_model is User]
        label_from = getattr(model, "label_from", None)
        if to_labelled:
            assert label_from in {f.name for f in to_labelled}, f"{model.__name__} needs label_from"
        elif to_user or model is User:
            assert getattr(model, "audit_admin_only", False), f"{model.__name__} needs audit_admin_only"


def _account_and_activity_entries() -> tuple[ProgrammeActivity, User]:
    """A SECRET activity with its assignment, and a user given a clearance and a token."""
    activity = _secret_activity()
    account = services.user_create(acting_user=None, username="zq-account", nationality="NLD")
    services.user_set_clearance(acting_user=None, user=account, policy="NATO", level="SECRET")
    services.user_token(acting_user=None, user=account)
    return activity, account


ACCOUNT_TYPES = {"user", "clearance", "categorygrant", "loginsession"}


def test_a_guest_reads_no_account_entry_and_no_assignment_of_a_secret_activity() -> None:
    activity, account = _account_and_activity_entries()
    guest = make_user("NLD", username="zq-guest")
    assignment = ActivityAssignment.objects.get(activity=activity)

    visible = audit_entries_visible(guest)
    assert not visible.filter(content_type__model__in=ACCOUNT_TYPES).exists()
    assert not visible.filter(content_type__model="activityassignment", object_id=str(assignment.pk)).exists()

    client = _client(guest)
    entries = _api_entries(client)
    assert entries, "the guest still reads the PUBLIC entries"
    assert not [e for e in entries if e["object_type"] in ACCOUNT_TYPES | {"activityassignment"}]
    for object_type in ACCOUNT_TYPES:
        assert _api_entries(client, object_type=object_type) == []
    page = client.get("/audit/", {"type": "user"}).content.decode()
    assert "zq-account" not in page
    page = client.get("/audit/", {"type": "activityassignment"}).content.decode()
    assert "zq-proposer" not in page
    account_entry = AuditEntry.objects.filter(content_type__model="user", object_id=str(account.pk)).first()
    assert account_entry is not None
    assert client.get(f"/api/core/audit/{account_entry.pk}/").status_code == 404


def test_an_administrator_reads_them() -> None:
    activity, account = _account_and_activity_entries()
    root = make_user("NLD", "SECRET", username="zq-root", is_staff=True, is_superuser=True)
    visible = audit_entries_visible(root)
    assert visible.filter(content_type__model="user", object_id=str(account.pk)).count() == 2
    assert visible.filter(content_type__model="clearance").exists()
    assignment = ActivityAssignment.objects.get(activity=activity)
    assert visible.filter(content_type__model="activityassignment", object_id=str(assignment.pk)).exists()
    client = _client(root)
    assert {e["object_type"] for e in _api_entries(client, object_type="clearance")} == {"clearance"}
    assert "zq-account" in client.get("/audit/", {"type": "user"}).content.decode()


def test_an_uncleared_administrator_reads_account_entries_but_no_secret_ones() -> None:
    activity, _ = _account_and_activity_entries()
    root = make_user("AUT", username="zq-root", is_staff=True, is_superuser=True)
    visible = audit_entries_visible(root)
    assert visible.filter(content_type__model="clearance").exists()
    assert (
        not visible.filter(content_type__model="activityassignment")
        .filter(object_id__in=[str(a.pk) for a in activity.assignments.all()])
        .exists()
    )


def test_a_records_history_holds_only_entries_about_that_record() -> None:
    guest = make_user("NLD", username="zq-guest")
    record = (
        Engagement.objects.visible_to(guest)
        .exclude(kind__in=[EngagementKind.EXERCISE, EngagementKind.PROGRAMME])
        .order_by("pk")
        .first()
    )
    assert record is not None
    admin = make_user("NLD", username="zq-admin", is_superuser=True)
    other = make_user("NLD", username="zq-account-admin", is_superuser=True)
    # An account entry that happens to carry the record's primary key.
    entry = audit_entry(acting_user=other, action=AuditAction.UPDATE, instance=other, before={}, after={"x": 1})
    entry.object_id = str(record.pk)
    audit_record(entry)
    assert entry not in audit_history(admin, record)
    page = _client(guest).get(f"/engagements/records/{record.key}/")
    assert page.status_code == 200
    assert "zq-account-admin" not in page.content.decode()
    assert "zq-account-admin" not in _client(admin).get(f"/engagements/records/{record.key}/").content.decode()


def test_an_auditor_reads_the_account_entries_of_their_scope_only() -> None:
    """An auditor of NLD reviews who was given which clearance and role in NLD, and nothing of FIN."""
    _, account = _account_and_activity_entries()  # a NLD account with a SECRET clearance and a token
    finn = services.user_create(acting_user=None, username="zq-finn", nationality="FIN")
    services.user_set_clearance(acting_user=None, user=finn, policy="NATO", level="SECRET")
    role_grant(acting_user=None, user=account, role="editor", scope="NLD")
    auditor = make_user("NLD", "SECRET", username="zq-auditor", roles=("auditor",))
    visible = audit_entries_visible(auditor)
    assert visible.filter(content_type__model="user", object_id=str(account.pk)).exists()
    assert visible.filter(content_type__model="clearance", after__user_id=account.pk).exists()
    assert visible.filter(content_type__model="roleassignment", after__user_id=account.pk).exists()
    assert not visible.filter(content_type__model="user", object_id=str(finn.pk)).exists()
    assert not visible.filter(content_type__model="clearance", after__user_id=finn.pk).exists()
    client = _client(auditor)
    clearances = _api_entries(client, object_type="clearance")
    assert clearances and all(e["after"]["user_id"] != finn.pk for e in clearances if e["after"])
    # The same person without the role reads none of them; an organisation-wide auditor reads both.
    assert (
        not audit_entries_visible(make_user("NLD", "SECRET", username="zq-plain"))
        .filter(content_type__model="clearance")
        .exists()
    )
    alliance = make_user("BEL", "SECRET", username="zq-alliance-auditor", roles=("auditor:NATO",))
    assert audit_entries_visible(alliance).filter(content_type__model="clearance", after__user_id=finn.pk).exists()
