"""The permission matrix for every labelled model, through the API and the pages."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db.models import Model
from django.test import Client

from comity.assessment.models import Measurement
from comity.core.labels import label_from_marking
from comity.core.models import Attachment, AuditEntry, LabelledModel
from comity.core.testing.factories import make_user
from comity.core.testing.matrix import MATRIX_LABEL, MATRIX_MARKER, LabelledEndpoints
from comity.engagements.api.kinds import KIND_ROUTES
from comity.engagements.kinds import KIND_MODELS
from comity.engagements.models import (
    AfterActionReport,
    Engagement,
    Exercise,
    Indicator,
    MenuItem,
    Objective,
    PartnerProgramme,
    ProgrammeActivity,
)
from comity.engagements.prime import activity_propose
from comity.engagements.tests.factories import make_menu_item, make_programme
from comity.engagements.tests.helpers import make_exercise
from comity.registry.models import CountryNote, State
from comity.registry.services import country_note_create

pytestmark = pytest.mark.django_db


def make_note() -> CountryNote:
    author = make_user("NLD", "SECRET", roles=("editor",))
    return country_note_create(
        acting_user=author,
        state=State.objects.get(iso3="LVA"),
        title=MATRIX_MARKER,
        body="b",
        label=label_from_marking(MATRIX_LABEL),
    )


def make_audit_entry() -> AuditEntry:
    note = make_note()
    return AuditEntry.objects.get(object_id=str(note.pk), content_type__model="countrynote", action="create")


ENDPOINTS = [
    LabelledEndpoints(
        model=CountryNote,
        make=make_note,
        api_list="/api/registry/notes/",
        api_detail="/api/registry/notes/{obj.pk}/",
        page_list="/registry/notes/",
        page_detail="/registry/notes/{obj.pk}/",
    ),
    LabelledEndpoints(
        model=AuditEntry,
        make=make_audit_entry,
        api_list="/api/core/audit/?object_type=countrynote",
        api_detail="/api/core/audit/{obj.pk}/",
        page_list="/audit/?type=countrynote",
    ),
]


def make_exercise_record() -> Exercise:
    return make_exercise(
        "matrix-exercise", title=MATRIX_MARKER, label=MATRIX_LABEL, participants="LVA", start_date="2020-01-01"
    )


def make_objective() -> Objective:
    return Objective.objects.create(
        code="matrix-objective", title=MATRIX_MARKER, label=label_from_marking(MATRIX_LABEL)
    )


ENDPOINTS += [
    LabelledEndpoints(
        model=Engagement,
        make=make_exercise_record,
        api_list="/api/engagements/engagements/",
        api_detail="/api/engagements/engagements/{obj.key}/",
        page_list="/engagements/?q=zq1",
    ),
    LabelledEndpoints(
        model=Exercise,
        make=make_exercise_record,
        api_list="/api/engagements/exercises/",
        api_detail="/api/engagements/exercises/{obj.key}/",
        page_list="/engagements/timeline/?from=2019&to=2021&nation=LVA",
        page_detail="/engagements/exercises/{obj.key}/",
    ),
    LabelledEndpoints(
        model=Objective,
        make=make_objective,
        api_list="/api/engagements/objectives/",
        api_detail="/api/engagements/objectives/{obj.code}/",
        page_list="/assessment/objectives/",
        page_detail="/assessment/objectives/{obj.code}/",
    ),
]


def make_menu_record() -> MenuItem:
    return make_menu_item("matrix-menu", MATRIX_MARKER, MATRIX_LABEL)


def make_programme_record() -> PartnerProgramme:
    return make_programme("GEO", "2031", MATRIX_LABEL, title=MATRIX_MARKER)


def make_activity_record() -> ProgrammeActivity:
    proposer = make_user("NLD", "SECRET", roles=("programme_manager:NATO",))
    return activity_propose(
        acting_user=proposer,
        programme=make_programme("GEO", "2032"),
        menu_item=make_menu_item("matrix-menu-2", "Menu"),
        key="matrix-activity",
        title=MATRIX_MARKER,
        start_date=None,
        end_date=None,
        label=label_from_marking(MATRIX_LABEL),
    )


ENDPOINTS += [
    LabelledEndpoints(
        model=MenuItem,
        make=make_menu_record,
        api_list="/api/engagements/menu/",
        api_detail="/api/engagements/menu/{obj.code}/",
    ),
    LabelledEndpoints(
        model=PartnerProgramme,
        make=make_programme_record,
        api_list="/api/engagements/programmes/",
        api_detail="/api/engagements/programmes/{obj.pk}/",
        page_list="/engagements/programmes/",
        page_detail="/engagements/programmes/{obj.pk}/",
    ),
    LabelledEndpoints(
        model=ProgrammeActivity,
        make=make_activity_record,
        api_list="/api/engagements/activities/",
        api_detail="/api/engagements/activities/{obj.key}/",
        page_list="/engagements/?q=zq1",
        page_detail="/engagements/activities/{obj.key}/",
    ),
]


def _kind_maker(kind: str):  # type: ignore[no-untyped-def]
    def make() -> Engagement:
        model = KIND_MODELS[kind]
        extra = {
            "agreement": {"agreement_type": "mou"},
            "training": {"provider": "Test provider"},
            "meeting": {"level": "summit"},
            "attache": {
                "sending_state": State.objects.get(iso3="NLD"),
                "host_state": State.objects.get(iso3="LVA"),
            },
            "cbm": {"measure": "inspection"},
        }[kind]
        return model.objects.create(
            key=f"matrix-{kind}", kind=kind, title=MATRIX_MARKER, label=label_from_marking(MATRIX_LABEL), **extra
        )

    return make


ENDPOINTS += [
    LabelledEndpoints(
        model=KIND_MODELS[kind],
        make=_kind_maker(kind),
        api_list=f"/api/engagements/{prefix}/",
        api_detail=f"/api/engagements/{prefix}/{{obj.key}}/",
        page_list="/engagements/?q=zq1",
        page_detail="/engagements/records/{obj.key}/",
    )
    for prefix, kind in KIND_ROUTES.items()
]


def make_report_record() -> AfterActionReport:
    exercise = make_exercise(
        "matrix-reported", title="Reported", label=MATRIX_LABEL, participants="LVA", start_date="2020-01-01"
    )
    return AfterActionReport.objects.create(
        engagement=exercise, label=label_from_marking(MATRIX_LABEL), owner=exercise.owner, summary=MATRIX_MARKER
    )


ENDPOINTS.append(
    LabelledEndpoints(
        model=AfterActionReport,
        make=make_report_record,
        api_list="/api/engagements/reports/",
        api_detail="/api/engagements/reports/{obj.engagement.key}/",
        page_detail="/engagements/records/{obj.engagement.key}/report/",
    )
)


def make_attachment_record() -> Attachment:
    from comity.core.testing.attachments import stored_attachment

    exercise = make_exercise("matrix-attached", title="Attached", label=MATRIX_LABEL, start_date="2020-01-01")
    return stored_attachment(
        exercise, label_from_marking(MATRIX_LABEL), filename=f"{MATRIX_MARKER}.txt", content=b"matrix attachment"
    )


ENDPOINTS.append(
    LabelledEndpoints(
        model=Attachment,
        make=make_attachment_record,
        api_list="/api/core/attachments/",
        api_detail="/api/core/attachments/{obj.pk}/",
    )
)


def make_measurement_record() -> Measurement:
    """A measurement under the matrix label on a PUBLIC objective, its evidence an exercise under it."""
    objective = Objective.objects.create(code="matrix-measured", title="Measured", label=label_from_marking("PUBLIC"))
    exercise = make_exercise("matrix-evidence", title="Evidence", label=MATRIX_LABEL, start_date="2020-01-01")
    return Measurement.objects.create(
        indicator=Indicator.objects.create(objective=objective, name="Indicator"),
        date="2020-01-02",
        value=1,
        engagement=exercise,
        note=MATRIX_MARKER,
        label=label_from_marking(MATRIX_LABEL),
    )


ENDPOINTS.append(
    LabelledEndpoints(
        model=Measurement,
        make=make_measurement_record,
        api_list="/api/assessment/measurements/",
        api_detail="/api/assessment/measurements/{obj.pk}/",
        page_list="/assessment/objectives/matrix-measured/",
    )
)


def make_comms_message(subject: str = "Matrix conversation") -> Model:
    """A message to the NLD desk (read by every NLD user their clearance allows), its text the marker."""
    from comity.comms.services import conversation_start, desk_for

    return conversation_start(
        acting_user=make_user("NLD", "SECRET", roles=("editor",)),
        subject=subject,
        label=label_from_marking(MATRIX_LABEL),
        members=[],
        desks=[desk_for("NLD")],
        body=f"Text {MATRIX_MARKER}",
    )


def make_comms_conversation() -> Model:
    return make_comms_message(subject=MATRIX_MARKER).conversation  # type: ignore[attr-defined, no-any-return]


def _comms_endpoints() -> list[LabelledEndpoints]:
    from comity.comms.models import Conversation, Message

    return [
        LabelledEndpoints(
            model=Conversation,
            make=make_comms_conversation,
            api_list="/api/comms/conversations/",
            api_detail="/api/comms/conversations/{obj.pk}/",
            page_list="/comms/",
            page_detail="/comms/conversations/{obj.pk}/",
        ),
        LabelledEndpoints(
            model=Message,
            make=make_comms_message,
            api_list="/api/comms/messages/",
            api_detail="/api/comms/messages/{obj.pk}/",
            page_detail="/comms/messages/{obj.pk}/forward/",  # messages are listed only in their thread
        ),
    ]


ENDPOINTS += _comms_endpoints()

USERS = {
    "no clearance": ("NLD", None, False),
    "cleared": ("NLD", "RESTRICTED", True),
    "wrong nationality": ("DEU", "SECRET", False),
}


def test_every_labelled_model_is_in_the_matrix() -> None:
    labelled = {m for m in apps.get_models() if issubclass(m, LabelledModel)}
    assert labelled == {e.model for e in ENDPOINTS}


@pytest.mark.parametrize("endpoints", ENDPOINTS, ids=lambda e: e.model.__name__)
@pytest.mark.parametrize("who", list(USERS))
def test_matrix(endpoints: LabelledEndpoints, who: str) -> None:
    record = endpoints.make()
    nation, clearance, may_see = USERS[who]
    client = Client()
    client.force_login(make_user(nation, clearance))
    marker = MATRIX_MARKER

    api_list = client.get(endpoints.api_list)
    assert api_list.status_code == 200
    assert (marker in api_list.content.decode()) is may_see
    assert client.get(endpoints.url(endpoints.api_detail, record)).status_code == (200 if may_see else 404)

    if endpoints.page_list is not None:
        page_list = client.get(endpoints.page_list)
        assert page_list.status_code == 200
        assert (marker in page_list.content.decode()) is may_see
    if endpoints.page_detail is not None:
        assert client.get(endpoints.url(endpoints.page_detail, record)).status_code == (200 if may_see else 404)


def test_missing_and_forbidden_look_the_same() -> None:
    record = make_note()
    client = Client()
    client.force_login(make_user("DEU", "SECRET"))
    forbidden = client.get(f"/api/registry/notes/{record.pk}/")
    missing = client.get("/api/registry/notes/999999/")
    assert (forbidden.status_code, forbidden.json()) == (missing.status_code, missing.json())
    assert (
        client.get(f"/registry/notes/{record.pk}/").status_code
        == client.get("/registry/notes/999999/").status_code
        == 404
    )


def test_group_release_follows_membership_without_relabelling() -> None:
    """REL TO NATO opens to Finland on its accession day, with the same label row."""
    from datetime import date

    from comity.core.selectors import labels_visible_to, subject_for

    label = label_from_marking("NATO RESTRICTED REL TO NATO")
    finn = make_user("FIN", "RESTRICTED")
    before = subject_for(finn, on=date(2023, 4, 3))
    finn._comity_subject = None  # a new day is a new decision
    after = subject_for(finn, on=date(2023, 4, 4))
    assert not labels_visible_to(before).filter(pk=label.pk).exists()
    assert labels_visible_to(after).filter(pk=label.pk).exists()
