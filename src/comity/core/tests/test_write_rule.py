"""The write rule: the pure function and its SQL twin agree, and the API answers by it."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comity.core.authority import Actor, Role, Target, WriteAction, decide_write
from comity.core.labels import public_label
from comity.core.models import AuditEntry, ConfidentialityLabel, RoleAssignment
from comity.core.testing.factories import make_user
from comity.engagements.models import Exercise
from comity.engagements.tests.helpers import make_exercise

pytestmark = pytest.mark.django_db

SCOPES = ("NLD", "FIN", "NATO", "UKR")
ROLES = (Role.EDITOR, Role.APPROVER, Role.VIEWER)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    held=st.sets(st.tuples(st.sampled_from(ROLES), st.sampled_from(SCOPES)), max_size=4),
    owners=st.lists(st.sampled_from((*SCOPES, "")), min_size=1, max_size=5),
    active=st.booleans(),
)
def test_editable_by_is_decide_write_in_sql(held: set[tuple[Role, str]], owners: list[str], active: bool) -> None:
    user = make_user("NLD", "SECRET")
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=r.value, scope=s) for r, s in held)
    user.is_active = active
    keys = []
    for index, owner in enumerate(owners):
        record = make_exercise(f"rule-{index}", owner=owner)
        keys.append((record.key, owner))
    actor = Actor(user.pk, active, frozenset((r.value, s) for r, s in held))
    in_sql = set(Exercise.objects.editable_by(user).filter(key__startswith="rule-").values_list("key", flat=True))
    by_rule = {key for key, owner in keys if decide_write(actor, WriteAction.CHANGE, Target(owner))}
    assert in_sql == by_rule
    Exercise.objects.filter(key__startswith="rule-").delete()


def test_four_eyes_and_reasons() -> None:
    actor = Actor(7, True, frozenset({("approver", "NLD"), ("editor", "NLD")}))
    assert decide_write(actor, WriteAction.APPROVE, Target("NLD", proposer_id=8, last_changer_id=9))
    refused = decide_write(actor, WriteAction.APPROVE, Target("NLD", proposer_id=7))
    assert not refused and "four-eyes" in refused.reason
    assert not decide_write(actor, WriteAction.APPROVE, Target("NLD", proposer_id=8, last_changer_id=7))
    assert decide_write(actor, WriteAction.APPROVE, Target("NLD", proposer_id=7), four_eyes=False)
    other = decide_write(actor, WriteAction.CHANGE, Target("FIN"))
    assert not other and other.reason == "only an editor of FIN may change this record of FIN"
    assert not decide_write(Actor(7, False, actor.roles), WriteAction.CHANGE, Target("NLD"))


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _state(key: str) -> tuple[object, ...]:
    record = Exercise.objects.get(key=key)
    return (
        record.title,
        record.status,
        record.label_id,
        AuditEntry.objects.count(),
        ConfidentialityLabel.objects.count(),
    )


def test_a_reader_who_may_not_write_gets_403_and_changes_nothing() -> None:
    make_exercise("guarded", owner="NLD", title="Guarded", label="PUBLIC", status="proposed")
    public_label()
    url = "/api/engagements/exercises/guarded/"
    for user in (
        make_user("AUT", username="guest", roles=("viewer",)),
        make_user("FIN", "SECRET", username="other-editor", roles=("editor",)),
        make_user("NLD", "SECRET", username="viewer-nld", roles=("viewer",)),
    ):
        client = _client(user)
        before = _state("guarded")
        patched = client.patch(url, {"title": "Defaced", "label": "PUBLIC"}, content_type="application/json")
        moved = client.post(f"{url}transition/", {"to": "cancelled"}, content_type="application/json")
        assert (patched.status_code, moved.status_code) == (403, 403), user.username
        assert "only an editor of NLD" in patched.json()["detail"]
        assert _state("guarded") == before
    editor = _client(make_user("NLD", "SECRET", username="editor-nld", roles=("editor",)))
    assert editor.patch(url, {"title": "Renamed"}, content_type="application/json").status_code == 200
    assert Exercise.objects.get(key="guarded").title == "Renamed"


def test_nobody_approves_their_own_record_and_nothing_completes_early() -> None:
    both = make_user("NLD", "SECRET", username="both", roles=("editor", "approver"))
    other = make_user("NLD", "SECRET", username="desk-head", roles=("approver",))
    client = _client(both)
    body = {
        "key": "own-record",
        "title": "Own record",
        "label": "PUBLIC",
        "start_date": "2099-01-01",
        "end_date": "2099-01-31",
    }
    assert client.post("/api/engagements/exercises/", body, content_type="application/json").status_code == 201
    url = "/api/engagements/exercises/own-record/transition/"
    assert client.post(url, {"to": "planned"}, content_type="application/json").status_code == 200
    own = client.post(url, {"to": "approved"}, content_type="application/json")
    assert own.status_code == 403 and "four-eyes" in own.json()["detail"]
    assert _client(other).post(url, {"to": "approved"}, content_type="application/json").status_code == 200
    early = client.post(url, {"to": "ongoing"}, content_type="application/json")
    assert early.status_code == 400 and "before it starts" in early.json()["to"]
    assert Exercise.objects.get(key="own-record").status == "approved"


def test_a_record_is_created_only_for_a_scope_the_caller_edits_for() -> None:
    client = _client(make_user("NLD", "SECRET", username="nld-only", roles=("editor",)))
    body = {"key": "for-fin", "title": "For FIN", "label": "PUBLIC", "owner": "FIN"}
    before = (Exercise.objects.count(), AuditEntry.objects.count(), ConfidentialityLabel.objects.count())
    refused = client.post("/api/engagements/exercises/", body, content_type="application/json")
    assert refused.status_code == 403 and "only an editor of FIN" in refused.json()["detail"]
    assert (Exercise.objects.count(), AuditEntry.objects.count(), ConfidentialityLabel.objects.count()) == before
    made = client.post("/api/engagements/exercises/", {**body, "owner": "NLD"}, content_type="application/json")
    assert made.status_code == 201 and made.json()["owner"] == "NLD"
    assert client.post(
        "/api/engagements/exercises/", {**body, "key": "bad-owner", "owner": "<b>"}, content_type="application/json"
    ).json()["owner"]


def test_a_reader_hears_the_rule_before_the_table() -> None:
    """A guest moving a completed record is told they may not move it, not that the move is invalid."""
    make_exercise("done-before", owner="NLD", label="PUBLIC", status="completed", start_date="2020-01-01")
    guest = _client(make_user("AUT", username="table-guest", roles=("viewer",)))
    moved = guest.post(
        "/api/engagements/exercises/done-before/transition/", {"to": "cancelled"}, content_type="application/json"
    )
    assert moved.status_code == 403 and "only an editor of NLD" in moved.json()["detail"]
