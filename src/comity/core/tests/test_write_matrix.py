"""The write permission matrix: every write route by every kind of user: allowed or refused.

Each scenario builds a world (records owned by NLD, a PRIME programme of UKR run by NATO), signs
one user in and makes one write. The outcome is read from the database, not from the status code
alone: an allowed write leaves a change-log entry; a refused one leaves the database exactly as it
was — no changed row, no new label, no change-log entry. The refused answer must also say so (a
4xx, or a page that redirects back with the reason), never 2xx with nothing done.

The gate at the bottom fails when the URL map has a write route (a view answering POST, PUT, PATCH
or DELETE) that no scenario names, so a new write path cannot ship outside the matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from comity.assessment.models import Measurement
from comity.assessment.services import Evidence, measurement_create
from comity.core.attachments.services import attachment_upload
from comity.core.labels import label_from_marking
from comity.core.models import Attachment, AuditEntry, ConfidentialityLabel, RoleAssignment, User
from comity.core.testing.attachments import PDF_BYTES, upload
from comity.core.testing.factories import make_user
from comity.core.testing.matrix import rolled_back_world
from comity.core.testing.url_coverage import write_routes
from comity.engagements import prime, reports
from comity.engagements.choices import Status
from comity.engagements.models import (
    ActivityAssignment,
    AfterActionReport,
    Engagement,
    EngagementParticipant,
    Indicator,
    Objective,
    ObjectiveAchievement,
    ParticipantFeedback,
    ProgrammeActivity,
    ReportObservation,
)
from comity.engagements.objectives import IndicatorInput, ObjectiveInput, indicator_create, objective_create
from comity.engagements.tests.factories import make_menu_item, make_programme
from comity.engagements.tests.helpers import EXAMPLES, PAGE_KINDS, create
from comity.planning.tests.instances import baltic, exercises
from comity.registry.models import CountryNote, State
from comity.registry.services import country_note_create

pytestmark = pytest.mark.django_db

#: The users of the matrix: nation, clearance, roles (scope defaults to the nation).
PEOPLE: dict[str, tuple[str, str | None, tuple[str, ...]]] = {
    "editor": ("NLD", "SECRET", ("editor",)),
    "other_editor": ("FIN", "SECRET", ("editor",)),
    "viewer": ("NLD", "SECRET", ("viewer",)),
    "approver": ("NLD", "SECRET", ("approver",)),
    "proposer": ("NLD", "SECRET", ("editor", "approver")),  # made the records, so may not approve them
    "partner": ("UKR", "SECRET", ("editor",)),  # the partner nation's officer in the PRIME programme
    "programme": ("BEL", "SECRET", ("programme_manager:NATO",)),  # NATO's programme staff
    "guest": ("AUT", None, ("viewer",)),
    "deactivated": ("NLD", "SECRET", ("editor",)),
}

#: Editors of the scope a new record of their own goes to (every active editor).
EDITORS = {"editor", "other_editor", "proposer", "partner"}
#: Editors of NLD, the owner of the world's records.
NLD_EDITORS = {"editor", "proposer"}

KIND_PREFIXES = tuple(EXAMPLES)


@dataclass
class World:
    people: dict[str, User]
    keys: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    tmp: Path | None = None


@dataclass(frozen=True)
class Scenario:
    """One write: the route pattern and method it uses, and who may make it."""

    name: str
    route: str
    method: str
    act: Callable[[Client, World, str], Any]
    allowed: frozenset[str]
    #: A compute-only route (a planner's solve): it answers everyone and writes nothing.
    compute: bool = False


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _json(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(url, body, content_type="application/json")


# -- the world ----------------------------------------------------------------------------------


def _people() -> dict[str, User]:
    people = {}
    for name, (nation, clearance, roles) in PEOPLE.items():
        people[name] = make_user(nation, clearance, username=f"wm-{name}", roles=roles)
    people["deactivated"].is_active = False
    people["deactivated"].save()
    return people


def _world(tmp_path: Path) -> World:
    """NLD records of every kind made by the proposer and moved to planned by them; a NLD note;
    a PUBLIC PRIME programme of UKR owned by NATO with an activity at each workflow step."""
    world = World(people=_people(), tmp=tmp_path)
    proposer = _client(world.people["proposer"])
    for prefix in KIND_PREFIXES:
        key = f"wm-{prefix}"
        made = create(proposer, prefix, key, label="PUBLIC")
        assert made.status_code == 201, made.content
        moved = _json(proposer, "post", f"/api/engagements/{prefix}/{key}/transition/", {"to": "planned"})
        assert moved.status_code == 200, moved.content
        world.keys[prefix] = key
    exercise = Engagement.objects.get(key=world.keys["exercises"])
    world.keys["attached"] = f"engagements.engagement:{exercise.pk}"
    attachment = attachment_upload(
        acting_user=world.people["proposer"], record=exercise, upload=upload("matrix.txt", b"Matrix notes.")
    )
    world.ids["attachment"] = attachment.pk
    note = country_note_create(
        acting_user=world.people["editor"],
        state=State.objects.get(iso3="GEO"),
        title="Matrix note",
        body="Observed.",
        label=label_from_marking("PUBLIC"),
    )
    world.ids["note"] = note.pk
    programme = make_programme("UKR", "wm-cycle", "PUBLIC", title="Matrix programme")
    menu_item = make_menu_item("wm-menu", "Matrix course", "PUBLIC")
    world.ids["programme"], world.ids["menu"] = programme.pk, menu_item.pk
    partner, staff = world.people["partner"], world.people["programme"]
    steps = {}
    for step in ("approve", "invite", "register", "report"):
        activity = prime.activity_propose(
            acting_user=partner,
            programme=programme,
            menu_item=menu_item,
            key=f"wm-activity-{step}",
            title=f"Matrix activity {step}",
            start_date=date(2020, 5, 1),
            end_date=date(2020, 5, 5),
            label=label_from_marking("PUBLIC"),
        )
        steps[step] = activity
        world.keys[f"activity-{step}"] = activity.key
    for step in ("invite", "register", "report"):
        prime.activity_approve(acting_user=staff, activity=steps[step])
    for step in ("register", "report"):
        prime.activity_invite(acting_user=staff, activity=steps[step], nations=["NLD"])
    prime.activity_register(acting_user=world.people["editor"], activity=steps["report"], personnel=3)
    ProgrammeActivity.objects.filter(pk=steps["report"].pk).update(status=Status.COMPLETED)
    _report_world(world, proposer)
    _measurement_world(world)
    _comms_world(world)
    return world


def _measurement_world(world: World) -> None:
    """A PUBLIC NLD objective with an indicator and one measurement (its evidence the NLD exercise)."""
    editor = world.people["editor"]
    objective = objective_create(
        acting_user=editor,
        code="wm-objective",
        values=ObjectiveInput(
            title="Matrix objective", parent=Objective.objects.get(code="interoperability"), level="line_of_effort"
        ),
        label=label_from_marking("PUBLIC"),
    )
    indicator = indicator_create(acting_user=editor, objective=objective, values=IndicatorInput(name="Matrix"))
    measurement = measurement_create(
        acting_user=editor,
        indicator=indicator,
        day=date(2024, 1, 1),
        value=1,
        evidence=Evidence(engagement=Engagement.objects.get(key=world.keys["exercises"])),
        label=label_from_marking("PUBLIC"),
    )
    world.ids["indicator"], world.ids["measurement"] = indicator.pk, measurement.pk


def _comms_world(world: World) -> None:
    """A PUBLIC conversation of every matrix user, started by the NLD editor."""
    from comity.comms.services import conversation_start

    opening = conversation_start(
        acting_user=world.people["editor"],
        subject="Matrix conversation",
        label=label_from_marking("PUBLIC"),
        members=[person for name, person in world.people.items() if name != "editor"],
        body="Matrix message.",
    )
    world.ids["conversation"], world.ids["message"] = opening.conversation_id, opening.pk


def _report_world(world: World, proposer: Client) -> None:
    """Two completed NLD exercises: one without an after-action report, one with (the editor's)."""
    for name in ("aar-new", "aar-edit"):
        key = f"wm-{name}"
        assert create(proposer, "exercises", key, label="PUBLIC").status_code == 201
        Engagement.objects.filter(key=key).update(status=Status.COMPLETED)
        world.keys[name] = key
    reports.report_create(
        acting_user=world.people["editor"],
        engagement=Engagement.objects.get(key=world.keys["aar-edit"]),
        label=label_from_marking("PUBLIC"),
        summary="Matrix report.",
    )


def _fingerprint() -> tuple[Any, ...]:
    """Everything a write could touch: the rows of the written models, labels and the change log."""
    from comity.comms.models import Conversation, Desk, Message, ReadMark

    models: tuple[type[Model], ...] = (
        Conversation,
        Conversation.members.through,
        Conversation.desks.through,
        Desk,
        Message,
        Message.quotes.through,
        ReadMark,
        Engagement,
        EngagementParticipant,
        Engagement.objectives.through,
        ProgrammeActivity,
        ActivityAssignment,
        CountryNote,
        RoleAssignment,
        AfterActionReport,
        ObjectiveAchievement,
        ReportObservation,
        ParticipantFeedback,
        Attachment,
        Objective,
        Indicator,
        Measurement,
    )
    rows = tuple(tuple(model.objects.order_by("pk").values_list()) for model in models)
    return (*rows, AuditEntry.objects.count(), ConfidentialityLabel.objects.count())


# -- the writes -----------------------------------------------------------------------------------


def _kind_scenarios(prefix: str) -> list[Scenario]:
    base = f"api/engagements/{prefix}/"

    def create_one(client: Client, world: World, who: str) -> Any:
        return create(client, prefix, f"wm-new-{prefix}-{who.replace('_', '-')}", label="PUBLIC", owner="NLD")

    def patch(client: Client, world: World, who: str) -> Any:
        return _json(client, "patch", f"/{base}{world.keys[prefix]}/", {"title": "Changed by the matrix"})

    def approve(client: Client, world: World, who: str) -> Any:
        return _json(client, "post", f"/{base}{world.keys[prefix]}/transition/", {"to": "approved"})

    return [
        Scenario(f"{prefix}-create", f"{base}$", "POST", create_one, frozenset(NLD_EDITORS)),
        Scenario(f"{prefix}-patch", f"{base}(?P<key>[^/.]+)/$", "PATCH", patch, frozenset(NLD_EDITORS)),
        Scenario(f"{prefix}-approve", f"{base}(?P<key>[^/.]+)/transition/$", "POST", approve, frozenset({"approver"})),
    ]


def _page_form(prefix: str, **extra: Any) -> dict[str, Any]:
    """The record form's fields for a record like the world's (a box left unticked is not sent)."""
    own = {name: str(value) for name, value in EXAMPLES[prefix].items() if value is not False}
    return {
        "title": "Written on the page",
        "start_date": "2031-02-01",
        "end_date": "2031-12-31",
        "date_precision": "day",
        "lead": "NLD",
        "participants": "GEO:host:3",
        "objectives": ["partnerships"],
        "owner": "NLD",
        "label_classification": "PUBLIC",
        **own,
        **extra,
    }


def _page_scenarios(prefix: str) -> list[Scenario]:
    def create_one(client: Client, world: World, who: str) -> Any:
        key = f"wm-page-{prefix}-{who.replace('_', '-')}"
        return client.post(reverse("engagements:record-create", args=[PAGE_KINDS[prefix]]), _page_form(prefix, key=key))

    def edit(client: Client, world: World, who: str) -> Any:
        url = reverse("engagements:record-edit", args=[world.keys[prefix]])
        return client.post(url, _page_form(prefix, title="Changed on the page"))

    return [
        Scenario(f"page-{prefix}-create", "engagements/new/<str:kind>/", "POST", create_one, frozenset(NLD_EDITORS)),
        Scenario(f"page-{prefix}-edit", "engagements/records/<slug:key>/edit/", "POST", edit, frozenset(NLD_EDITORS)),
    ]


def _page_approve(client: Client, world: World, who: str) -> Any:
    return client.post(reverse("engagements:transition", args=[world.keys["exercises"]]), {"to": "approved"})


def _note_body() -> dict[str, Any]:
    return {"state": "GEO", "title": "A note", "body": "Text.", "label": "PUBLIC"}


def _note_api_create(client: Client, world: World, who: str) -> Any:
    return _json(client, "post", "/api/registry/notes/", _note_body())


def _note_page_create(client: Client, world: World, who: str) -> Any:
    return client.post(reverse("registry:note-create"), {**_note_body(), "marking": "PUBLIC"})


def _note_page_edit(client: Client, world: World, who: str) -> Any:
    body = {"title": "Retitled on the page", "body": "Observed.", "source": "", "marking": "PUBLIC"}
    return client.post(reverse("registry:note-edit", args=[world.ids["note"]]), body)


def _note_page_delete(client: Client, world: World, who: str) -> Any:
    return client.post(reverse("registry:note-delete", args=[world.ids["note"]]))


def _note_put(client: Client, world: World, who: str) -> Any:
    return _json(client, "put", f"/api/registry/notes/{world.ids['note']}/", {**_note_body(), "title": "Rewritten"})


def _note_patch(client: Client, world: World, who: str) -> Any:
    return _json(client, "patch", f"/api/registry/notes/{world.ids['note']}/", {"title": "Retitled"})


def _note_delete(client: Client, world: World, who: str) -> Any:
    return client.delete(f"/api/registry/notes/{world.ids['note']}/")


def _propose(client: Client, world: World, who: str) -> Any:
    return client.post(
        reverse("engagements:propose", args=[world.ids["programme"]]),
        {"menu_item": world.ids["menu"], "title": f"Proposed by {who}", "label": "PUBLIC"},
    )


def _api_step(step: str, body: dict[str, Any]) -> Callable[[Client, World, str], Any]:
    def act(client: Client, world: World, who: str) -> Any:
        return _json(client, "post", f"/api/engagements/activities/{world.keys[f'activity-{step}']}/{step}/", body)

    return act


def _page_step(step: str, body: dict[str, Any]) -> Callable[[Client, World, str], Any]:
    def act(client: Client, world: World, who: str) -> Any:
        return client.post(reverse("engagements:activity-step", args=[world.keys[f"activity-{step}"], step]), body)

    return act


def _save_plan(kind: str, example: str) -> Callable[[Client, World, str], Any]:
    def act(client: Client, world: World, who: str) -> Any:
        client.post(f"/planning/{kind}/", {"example": example})
        return client.post(f"/planning/{kind}/save/", {"title_prefix": f"Matrix {kind} {who}", "marking": "PUBLIC"})

    return act


def _solve(route: str, example: str) -> Callable[[Client, World, str], Any]:
    def act(client: Client, world: World, who: str) -> Any:
        return client.post(route, {"example": example})

    return act


def _api_solve(kind: str) -> Callable[[Client, World, str], Any]:
    def act(client: Client, world: World, who: str) -> Any:
        return _json(client, "post", f"/api/planning/{kind}/", baltic() if kind == "rotations" else exercises())

    return act


def _cli_import(client: Client, world: World, who: str) -> Any:
    """``comity engagements import --as USER``: a row that retitles the NLD exercise."""
    assert world.tmp is not None
    path = world.tmp / f"{who}.csv"
    path.write_text(
        "key,title,start_date,end_date,lead,label,source\n"
        f"{world.keys['exercises']},Retitled by import,2031-02-01,2031-12-31,NLD,PUBLIC,matrix\n",
        encoding="utf-8",
    )
    try:
        call_command("engagements", "import", str(path), "--kind", "exercise", "--as", f"wm-{who}", stdout=StringIO())
    except CommandError as exc:
        return exc
    return None


def _report_body(world: World) -> dict[str, Any]:
    return {"engagement": world.keys["aar-new"], "label": "PUBLIC", "summary": "Written by the matrix."}


def _report_api_create(client: Client, world: World, who: str) -> Any:
    return _json(client, "post", "/api/engagements/reports/", _report_body(world))


def _report_api_patch(client: Client, world: World, who: str) -> Any:
    return _json(client, "patch", f"/api/engagements/reports/{world.keys['aar-edit']}/", {"summary": "Changed."})


def _report_page(name: str) -> Callable[[Client, World, str], Any]:
    def act(client: Client, world: World, who: str) -> Any:
        body = {
            "summary": f"Written on the page by {who}.",
            "rating-partnerships": "achieved",
            "obs-TOTAL_FORMS": "1",
            "obs-INITIAL_FORMS": "0",
            "obs-0-observation": "Seen.",
            "label_classification": "PUBLIC",
        }
        return client.post(reverse("engagements:report-edit", args=[world.keys[name]]), body)

    return act


def _assess_api(name: str) -> Callable[[Client, World, str], Any]:
    def act(client: Client, world: World, who: str) -> Any:
        url = f"/api/engagements/exercises/{world.keys[name]}/transition/"
        return _json(client, "post", url, {"to": "assessed"})

    return act


def _assess_page(name: str) -> Callable[[Client, World, str], Any]:
    def act(client: Client, world: World, who: str) -> Any:
        return client.post(reverse("engagements:transition", args=[world.keys[name]]), {"to": "assessed"})

    return act


#: After-action reports: written and changed by the owner's editors; assessment needs one.
REPORT_SCENARIOS = [
    Scenario("report-api-create", "api/engagements/reports/$", "POST", _report_api_create, frozenset(NLD_EDITORS)),
    Scenario(
        "report-api-patch",
        "api/engagements/reports/(?P<key>[^/.]+)/$",
        "PATCH",
        _report_api_patch,
        frozenset(NLD_EDITORS),
    ),
    *(
        Scenario(
            f"report-page-{name}",
            "engagements/records/<slug:key>/report/edit/",
            "POST",
            _report_page(name),
            frozenset(NLD_EDITORS),
        )
        for name in ("aar-new", "aar-edit")
    ),
    *(
        Scenario(
            f"assess-{channel}-{name}",
            route,
            "POST",
            act(name),
            frozenset(NLD_EDITORS if name == "aar-edit" else ()),
        )
        for name in ("aar-new", "aar-edit")
        for channel, route, act in (
            ("api", "api/engagements/exercises/(?P<key>[^/.]+)/transition/$", _assess_api),
            ("page", "engagements/records/<slug:key>/transition/", _assess_page),
        )
    ),
]


def _attach_api(client: Client, world: World, who: str) -> Any:
    return client.post(
        "/api/core/attachments/", {"record": world.keys["attached"], "file": upload(f"{who}.pdf", PDF_BYTES)}
    )


def _attach_page(client: Client, world: World, who: str) -> Any:
    body = {"record": world.keys["attached"], "file": upload(f"{who}.pdf", PDF_BYTES), "next": "/"}
    return client.post(reverse("attachment-add"), body)


def _attachment_relabel(client: Client, world: World, who: str) -> Any:
    return _json(client, "patch", f"/api/core/attachments/{world.ids['attachment']}/", {"label": "NATO RESTRICTED"})


def _attachment_api_delete(client: Client, world: World, who: str) -> Any:
    return client.delete(f"/api/core/attachments/{world.ids['attachment']}/")


def _attachment_page_delete(client: Client, world: World, who: str) -> Any:
    return client.post(reverse("attachment-delete", args=[world.ids["attachment"]]), {"next": "/"})


def _comms_compose(client: Client, world: World, who: str) -> Any:
    body = {"subject": f"By {who}", "people": "wm-viewer", "desks": "AUT", "body": "Hello.", "marking": "PUBLIC"}
    return client.post(reverse("comms:compose"), body)


def _comms_send(client: Client, world: World, who: str) -> Any:
    url = reverse("comms:conversation", args=[world.ids["conversation"]])
    return client.post(url, {"body": f"Sent by {who}", "marking": "PUBLIC", "in_reply_to": world.ids["message"]})


def _comms_api_send(client: Client, world: World, who: str) -> Any:
    url = f"/api/comms/conversations/{world.ids['conversation']}/messages/"
    return _json(client, "post", url, {"body": f"Sent by {who}", "label": "PUBLIC"})


def _comms_forward(client: Client, world: World, who: str) -> Any:
    url = reverse("comms:forward", args=[world.ids["message"]])
    return client.post(url, {"conversation": world.ids["conversation"], "body": "Forwarded.", "marking": "PUBLIC"})


def _comms_edit(client: Client, world: World, who: str) -> Any:
    url = reverse("comms:edit", args=[world.ids["message"]])
    return client.post(url, {"body": f"Corrected by {who}", "marking": "PUBLIC"})


def _comms_relabel(client: Client, world: World, who: str) -> Any:
    url = reverse("comms:edit", args=[world.ids["message"]])
    return client.post(url, {"body": "Matrix message.", "marking": "NATO UNCLASSIFIED"})


def _comms_withdraw(client: Client, world: World, who: str) -> Any:
    return client.post(reverse("comms:withdraw", args=[world.ids["message"]]))


#: Comms: any active editor writes their nation's messages to a conversation they are in (all of
#: the matrix users are in the world's); only the author corrects or withdraws a message, and only
#: an editor of its scope (NLD) relabels it.
COMMS_SCENARIOS = [
    Scenario("comms-compose", "comms/new/", "POST", _comms_compose, frozenset(EDITORS)),
    Scenario("comms-send", "comms/conversations/<int:pk>/", "POST", _comms_send, frozenset(EDITORS)),
    Scenario(
        "comms-api-send",
        "api/comms/conversations/(?P<pk>[^/.]+)/messages/$",
        "POST",
        _comms_api_send,
        frozenset(EDITORS),
    ),
    Scenario("comms-forward", "comms/messages/<int:pk>/forward/", "POST", _comms_forward, frozenset(EDITORS)),
    Scenario("comms-edit", "comms/messages/<int:pk>/edit/", "POST", _comms_edit, frozenset({"editor"})),
    Scenario("comms-relabel", "comms/messages/<int:pk>/edit/", "POST", _comms_relabel, frozenset(NLD_EDITORS)),
    Scenario("comms-withdraw", "comms/messages/<int:pk>/withdraw/", "POST", _comms_withdraw, frozenset({"editor"})),
]


STEP_BODIES = {
    "approve": {},
    "invite": {"nations": ["FIN"]},
    "register": {"personnel": 4},
    "report": {"feedback": "Good."},
}
PAGE_STEP_BODIES = {
    "approve": {},
    "invite": {"nations": "FIN"},
    "register": {"personnel": "4"},
    "report": {"feedback": "Good."},
}
#: Who may take each PRIME step: NATO's programme staff approve and invite; editors of an invited
#: nation register; the proposer and the approver report.
STEP_ALLOWED = {
    "approve": {"programme"},
    "invite": {"programme"},
    "register": NLD_EDITORS,
    "report": {"partner", "programme"},
}

SCENARIOS: list[Scenario] = [
    *(scenario for prefix in KIND_PREFIXES for scenario in _kind_scenarios(prefix)),
    *(scenario for prefix in KIND_PREFIXES for scenario in _page_scenarios(prefix)),
    Scenario(
        "page-approve",
        "engagements/records/<slug:key>/transition/",
        "POST",
        _page_approve,
        frozenset({"approver"}),
    ),
    Scenario("note-api-create", "api/registry/notes/$", "POST", _note_api_create, frozenset(EDITORS)),
    Scenario("note-page-create", "registry/notes/add/", "POST", _note_page_create, frozenset(EDITORS)),
    Scenario("note-page-edit", "registry/notes/<int:pk>/edit/", "POST", _note_page_edit, frozenset(NLD_EDITORS)),
    Scenario("note-page-delete", "registry/notes/<int:pk>/delete/", "POST", _note_page_delete, frozenset(NLD_EDITORS)),
    Scenario("note-put", "api/registry/notes/(?P<pk>[^/.]+)/$", "PUT", _note_put, frozenset(NLD_EDITORS)),
    Scenario("note-patch", "api/registry/notes/(?P<pk>[^/.]+)/$", "PATCH", _note_patch, frozenset(NLD_EDITORS)),
    Scenario("note-delete", "api/registry/notes/(?P<pk>[^/.]+)/$", "DELETE", _note_delete, frozenset(NLD_EDITORS)),
    Scenario(
        "prime-propose",
        "engagements/programmes/<int:pk>/propose/",
        "POST",
        _propose,
        frozenset({"partner", "programme"}),
    ),
    *(
        Scenario(
            f"prime-api-{step}",
            f"api/engagements/activities/(?P<key>[^/.]+)/{step}/$",
            "POST",
            _api_step(step, body),
            frozenset(STEP_ALLOWED[step]),
        )
        for step, body in STEP_BODIES.items()
    ),
    *(
        Scenario(
            f"prime-page-{step}",
            "engagements/activities/<slug:key>/<str:step>/",
            "POST",
            _page_step(step, body),
            frozenset(STEP_ALLOWED[step]),
        )
        for step, body in PAGE_STEP_BODIES.items()
    ),
    Scenario(
        "plan-save", "planning/rotations/save/", "POST", _save_plan("rotations", "rotation-sample"), frozenset(EDITORS)
    ),
    Scenario(
        "plan-calendar-save",
        "planning/calendar/save/",
        "POST",
        _save_plan("calendar", "calendar-sample"),
        frozenset(EDITORS),
    ),
    Scenario(
        "plan-rotations",
        "planning/rotations/",
        "POST",
        _solve("/planning/rotations/", "rotation-sample"),
        frozenset(),
        compute=True,
    ),
    Scenario(
        "plan-calendar",
        "planning/calendar/",
        "POST",
        _solve("/planning/calendar/", "calendar-sample"),
        frozenset(),
        compute=True,
    ),
    Scenario(
        "plan-api-rotations", "api/planning/rotations/", "POST", _api_solve("rotations"), frozenset(), compute=True
    ),
    Scenario("plan-api-calendar", "api/planning/calendar/", "POST", _api_solve("calendar"), frozenset(), compute=True),
    Scenario("cli-import", "", "CLI", _cli_import, frozenset(NLD_EDITORS)),
    *REPORT_SCENARIOS,
    *COMMS_SCENARIOS,
    # Files on the NLD exercise: its write rule decides (an editor of NLD).
    Scenario("attachment-api-upload", "api/core/attachments/$", "POST", _attach_api, frozenset(NLD_EDITORS)),
    Scenario("attachment-page-upload", "attachments/add/", "POST", _attach_page, frozenset(NLD_EDITORS)),
    Scenario(
        "attachment-api-relabel",
        "api/core/attachments/(?P<pk>[^/.]+)/$",
        "PATCH",
        _attachment_relabel,
        frozenset(NLD_EDITORS),
    ),
    Scenario(
        "attachment-api-delete",
        "api/core/attachments/(?P<pk>[^/.]+)/$",
        "DELETE",
        _attachment_api_delete,
        frozenset(NLD_EDITORS),
    ),
    Scenario(
        "attachment-page-delete",
        "attachments/<int:pk>/delete/",
        "POST",
        _attachment_page_delete,
        frozenset(NLD_EDITORS),
    ),
]


def _measurement_body(world: World) -> dict[str, Any]:
    evidence = world.keys["exercises"]
    return {"indicator": world.ids["indicator"], "date": "2024-02-01", "value": 2, "engagement": evidence}


def _measurement_api_create(client: Client, world: World, who: str) -> Any:
    return _json(client, "post", "/api/assessment/measurements/", {**_measurement_body(world), "label": "PUBLIC"})


def _measurement_api_patch(client: Client, world: World, who: str) -> Any:
    return _json(client, "patch", f"/api/assessment/measurements/{world.ids['measurement']}/", {"value": 3})


def _measurement_page_add(client: Client, world: World, who: str) -> Any:
    body = {f"measurement-{k}": v for k, v in _measurement_body(world).items()}
    body["measurement-day"] = body.pop("measurement-date")
    body["measurement-label_classification"] = "PUBLIC"
    return client.post(reverse("assessment:measurement-add", args=["wm-objective"]), body)


#: Measurements of an NLD objective: entered and changed by NLD's editors.
MEASUREMENT_SCENARIOS = [
    Scenario(
        "measurement-api-create",
        "api/assessment/measurements/$",
        "POST",
        _measurement_api_create,
        frozenset(NLD_EDITORS),
    ),
    Scenario(
        "measurement-api-patch",
        "api/assessment/measurements/(?P<pk>[^/.]+)/$",
        "PATCH",
        _measurement_api_patch,
        frozenset(NLD_EDITORS),
    ),
    Scenario(
        "measurement-page-add",
        "assessment/objectives/<slug:code>/measurements/add/",
        "POST",
        _measurement_page_add,
        frozenset(NLD_EDITORS),
    ),
]


def _objective_api_create(client: Client, world: World, who: str) -> Any:
    body = {
        "code": f"wm-new-objective-{who.replace('_', '-')}",
        "title": "Matrix line of effort",
        "level": "line_of_effort",
        "parent": "interoperability",
        "label": "PUBLIC",
    }
    return _json(client, "post", "/api/engagements/objectives/", body)


def _objective_api_patch(client: Client, world: World, who: str) -> Any:
    return _json(client, "patch", "/api/engagements/objectives/wm-objective/", {"title": "Retitled by the matrix"})


def _indicator_api_create(client: Client, world: World, who: str) -> Any:
    body = {"name": "Matrix indicator", "baseline": 0, "target": 10, "due": "2030-01-01"}
    return _json(client, "post", "/api/engagements/objectives/wm-objective/indicators/", body)


def _indicator_api_patch(client: Client, world: World, who: str) -> Any:
    return _json(client, "patch", f"/api/engagements/indicators/{world.ids['indicator']}/", {"target": 20})


#: Objectives and indicators: an editor creates nodes for their own scope; NLD's change NLD's.
MEASUREMENT_SCENARIOS += [
    Scenario("objective-api-create", "api/engagements/objectives/$", "POST", _objective_api_create, frozenset(EDITORS)),
    Scenario(
        "objective-api-patch",
        "api/engagements/objectives/(?P<code>[^/.]+)/$",
        "PATCH",
        _objective_api_patch,
        frozenset(NLD_EDITORS),
    ),
    Scenario(
        "indicator-api-create",
        "api/engagements/objectives/(?P<code>[^/.]+)/indicators/$",
        "POST",
        _indicator_api_create,
        frozenset(NLD_EDITORS),
    ),
    Scenario(
        "indicator-api-patch",
        "api/engagements/indicators/(?P<pk>[^/.]+)/$",
        "PATCH",
        _indicator_api_patch,
        frozenset(NLD_EDITORS),
    ),
]


def _objective_page_create(client: Client, world: World, who: str) -> Any:
    body = {
        "code": f"wm-page-objective-{who.replace('_', '-')}",
        "title": "Matrix line of effort on the page",
        "level": "line_of_effort",
        "parent": "interoperability",
        "label_classification": "PUBLIC",
    }
    return client.post(reverse("assessment:objective-add"), body)


def _indicator_page_add(client: Client, world: World, who: str) -> Any:
    body = {"name": "Matrix indicator on the page", "baseline": "0", "target": "5", "due": "2030-01-01"}
    return client.post(reverse("assessment:indicator-add", args=["wm-objective"]), body)


MEASUREMENT_SCENARIOS += [
    Scenario("objective-page-create", "assessment/new-objective/", "POST", _objective_page_create, frozenset(EDITORS)),
    Scenario(
        "indicator-page-add",
        "assessment/objectives/<slug:code>/indicators/add/",
        "POST",
        _indicator_page_add,
        frozenset(NLD_EDITORS),
    ),
]
SCENARIOS += MEASUREMENT_SCENARIOS

#: How a refused write may answer: a page redirects back with the reason, the API says 4xx.
REFUSED = (302, 400, 401, 403, 404)

#: Routes that change no record: signing in and out.
EXEMPT = ("accounts/",)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One world for the module, built inside a transaction that is rolled back at its end; each
    test's own transaction (and each attempt's savepoint) nests inside it."""
    with rolled_back_world(django_db_blocker, lambda: _world(tmp_path_factory.mktemp("write-matrix"))) as built:
        yield built


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_write_matrix(world: World, scenario: Scenario) -> None:
    """Every user makes the write from the same start (each attempt is rolled back to a savepoint);
    only the allowed ones change anything, and what they change carries a change-log entry."""
    for who, user in world.people.items():
        with transaction.atomic():
            start, entries = _fingerprint(), AuditEntry.objects.count()
            response = scenario.act(_client(user), world, who)
            status = getattr(response, "status_code", None)
            if who in scenario.allowed:
                assert AuditEntry.objects.count() > entries, f"{scenario.name}: {who} was refused ({status})"
                assert status is None or status < 400, f"{scenario.name}: {who} answered {status}"
            else:
                assert _fingerprint() == start, f"{scenario.name}: refused {who} changed something ({status})"
                if scenario.compute and who != "deactivated":
                    assert status == 200, f"{scenario.name}: {who} answered {status}"
                elif status is not None:
                    assert status in REFUSED, f"{scenario.name}: {who} got {status} for a refused write"
            transaction.set_rollback(True)


def test_every_write_route_is_in_the_matrix() -> None:
    """The gate: a view that answers a write method and no scenario names fails the run."""
    routes, undeclared = write_routes(EXEMPT)
    assert not undeclared, f"function views that do not declare their HTTP methods: {undeclared}"
    named = {(s.route, s.method) for s in SCENARIOS}
    assert routes - named == set(), f"write routes missing from the matrix: {sorted(routes - named)}"
    assert named - routes - {("", "CLI")} == set(), f"matrix names routes that do not exist: {sorted(named - routes)}"
