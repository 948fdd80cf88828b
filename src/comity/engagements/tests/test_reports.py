"""After-action reports: the service's rules, the lifecycle rule, the API, the pages and the
"reports due" selector."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from comity.core.labels import label_from_marking
from comity.core.models import AuditEntry, ConfidentialityLabel, User
from comity.core.permissions import WriteDenied
from comity.core.testing.factories import make_user
from comity.engagements import prime, reports, selectors
from comity.engagements.lifecycle import REPORT_NEEDED, TransitionError, check_report
from comity.engagements.models import AfterActionReport, Exercise, Objective, ObjectiveAchievement
from comity.engagements.services import engagement_transition
from comity.engagements.tests.factories import make_menu_item, make_programme
from comity.engagements.tests.helpers import make_exercise
from comity.registry.models import State

pytestmark = pytest.mark.django_db

RESTRICTED = "NATO RESTRICTED REL TO NATO"
HOSTILE = '<script>alert("aar")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def editor() -> User:
    return make_user("NLD", "SECRET", username="aar-editor", roles=("editor",))


@pytest.fixture
def exercise() -> Exercise:
    """A completed NLD exercise serving a visible objective and one hidden from NLD users."""
    record = make_exercise(
        "aar-ex",
        owner="NLD",
        title="Aar Exercise",
        status="completed",
        start_date="2025-03-01",
        end_date="2025-03-05",
        label=RESTRICTED,
        participants="NLD;BEL",
        objectives="interoperability",
    )
    hidden = Objective.objects.create(
        code="aar-hidden-goal", title="Qzhidden Goal", label=label_from_marking("NATO SECRET REL TO FIN")
    )
    record.objectives.add(hidden)
    return record


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _create(user: User, exercise: Exercise, **extra: Any) -> AfterActionReport:
    values: dict[str, Any] = {
        "label": label_from_marking(RESTRICTED),
        "summary": "Test summary.",
        "achievements": [
            reports.AchievementInput(objective=Objective.objects.get(code="interoperability"), rating="achieved")
        ],
        "observations": [reports.ObservationInput(observation="Seen.", recommendation="Change.")],
        **extra,
    }
    return reports.report_create(acting_user=user, engagement=exercise, **values)


# -- the service ----------------------------------------------------------------------------------


def test_create_writes_the_report_and_one_change_log_entry(editor: User, exercise: Exercise) -> None:
    report = _create(editor, exercise)
    assert (report.owner, report.label.marking, report.engagement_id) == ("NLD", RESTRICTED, exercise.pk)
    entry = AuditEntry.objects.get(content_type__model="afteractionreport", object_id=str(report.pk))
    assert entry.action == "create" and entry.username == "aar-editor"
    assert entry.after["achievements"] == [{"objective": "interoperability", "rating": "achieved", "text": ""}]
    assert entry.after["observations"][0]["recommendation"] == "Change."


def test_a_label_below_the_engagement_is_refused_in_words(editor: User, exercise: Exercise) -> None:
    with pytest.raises(reports.ReportError, match=f"at least {RESTRICTED}") as refused:
        _create(editor, exercise, label=label_from_marking("PUBLIC"))
    assert refused.value.field == "label"
    with pytest.raises(reports.ReportError, match="at least"):
        _create(editor, exercise, label=label_from_marking("NATO UNCLASSIFIED REL TO NATO"))
    assert not AfterActionReport.objects.exists()
    narrower = _create(editor, exercise, label=label_from_marking("NATO SECRET REL TO NLD, FIN"))
    assert narrower.label.marking == "NATO SECRET REL TO FIN, NLD"  # higher and released to fewer: covers it


def test_only_editors_of_the_owner_write_and_only_after_the_engagement_ran(editor: User, exercise: Exercise) -> None:
    other = make_user("DEU", "SECRET", username="aar-deu", roles=("editor",))
    viewer = make_user("NLD", "SECRET", username="aar-viewer", roles=("viewer",))
    for user in (other, viewer):
        with pytest.raises(WriteDenied, match="editor of NLD"):
            _create(user, exercise)
    planned = make_exercise("aar-planned", owner="NLD", status="planned", start_date="2031-01-01")
    with pytest.raises(reports.ReportError, match="it is planned"):
        _create(editor, planned, achievements=[])
    assert not AfterActionReport.objects.exists()


def test_a_second_report_is_refused_alike_whether_the_first_is_visible_or_not(editor: User, exercise: Exercise) -> None:
    _create(editor, exercise, label=label_from_marking("NATO SECRET REL TO NATO"))
    with pytest.raises(reports.ReportError) as seen:
        _create(editor, exercise)
    low = make_user("NLD", "RESTRICTED", username="aar-low", roles=("editor",))
    with pytest.raises(reports.ReportError) as unseen:
        _create(low, exercise, achievements=[])
    assert str(seen.value) == str(unseen.value) == reports.REPORT_TAKEN


def test_hidden_objectives_are_kept_never_named(editor: User, exercise: Exercise) -> None:
    report = _create(editor, exercise)
    hidden = Objective.objects.get(code="aar-hidden-goal")
    ObjectiveAchievement.objects.create(report=report, objective=hidden, rating="not_achieved", text="Qzsecret text")
    reports.report_update(
        acting_user=editor,
        report=report,
        achievements=[
            reports.AchievementInput(
                objective=Objective.objects.get(code="interoperability"), rating="partly_achieved", text="Half."
            )
        ],
    )
    assert dict(report.achievements.values_list("objective__code", "rating")) == {
        "aar-hidden-goal": "not_achieved",
        "interoperability": "partly_achieved",
    }
    with pytest.raises(reports.ReportError) as refused:
        reports.report_update(
            acting_user=editor, report=report, achievements=[reports.AchievementInput(objective=hidden)]
        )
    unknown = Objective.objects.create(code="aar-unlinked", title="Unlinked", label=label_from_marking("PUBLIC"))
    with pytest.raises(reports.ReportError) as unlinked:
        reports.report_update(
            acting_user=editor, report=report, achievements=[reports.AchievementInput(objective=unknown)]
        )
    assert str(refused.value) == reports.NOT_AN_OBJECTIVE.format(code="aar-hidden-goal")
    assert str(unlinked.value) == reports.NOT_AN_OBJECTIVE.format(code="aar-unlinked")

    client = _client(editor)
    for url in ("/engagements/records/aar-ex/report/", "/engagements/records/aar-ex/report/edit/"):
        page = client.get(url).content.decode()
        assert "Half." in page and "Qzhidden" not in page and "aar-hidden-goal" not in page and "Qzsecret" not in page
    api = client.get("/api/engagements/reports/aar-ex/").json()
    assert [a["objective"] for a in api["achievements"]] == ["interoperability"]
    # The change log names the hidden objective, so its entries are raised above what the editor reads.
    assert "aar-hidden-goal" not in json.dumps(client.get("/api/engagements/reports/aar-ex/history/").json())


def test_an_unchanged_update_writes_nothing(editor: User, exercise: Exercise) -> None:
    report = _create(editor, exercise)
    before = AuditEntry.objects.count()
    reports.report_update(acting_user=editor, report=report, summary="Test summary.")
    assert AuditEntry.objects.count() == before


def test_feedback_is_for_partnership_activities_and_their_participants(editor: User, exercise: Exercise) -> None:
    geo = State.objects.get(iso3="GEO")
    with pytest.raises(reports.ReportError, match="partnership"):
        _create(editor, exercise, feedback=[reports.FeedbackInput(state=geo, text="Good.")])
    partner = make_user("UKR", "SECRET", username="aar-partner", roles=("editor",))
    staff = make_user("BEL", "SECRET", username="aar-staff", roles=("editor:NATO", "programme_manager:NATO"))
    programme, menu = make_programme("UKR", "aar-cycle"), make_menu_item("aar-course")
    activity = prime.activity_propose(
        acting_user=partner,
        programme=programme,
        menu_item=menu,
        key="aar-activity",
        title="Aar activity",
        start_date=None,
        end_date=None,
        label=label_from_marking("PUBLIC"),
    )
    prime.activity_approve(acting_user=staff, activity=activity)
    prime.activity_invite(acting_user=staff, activity=activity, nations=["GEO"])
    prime.activity_register(
        acting_user=make_user("GEO", "SECRET", username="aar-geo", roles=("editor",)), activity=activity, personnel=4
    )
    activity.refresh_from_db()
    activity.status = "completed"
    activity.save()
    with pytest.raises(reports.ReportError, match="FIN did not take part"):
        reports.report_create(
            acting_user=staff,
            engagement=activity,
            label=activity.label,
            summary="Course report.",
            feedback=[reports.FeedbackInput(state=State.objects.get(iso3="FIN"), text="Hm.")],
        )
    report = reports.report_create(
        acting_user=staff,
        engagement=activity,
        label=activity.label,
        summary="Course report.",
        feedback=[reports.FeedbackInput(state=geo, text="The course met our needs.")],
    )
    assert list(report.feedback.values_list("state__iso3", "text")) == [("GEO", "The course met our needs.")]
    page = _client(staff).get("/engagements/activities/aar-activity/").content.decode()
    assert 'id="report-link"' in page and 'id="move-assessed"' in page


# -- the lifecycle rule ---------------------------------------------------------------------------


def test_assessed_needs_a_report_the_mover_may_read(editor: User, exercise: Exercise) -> None:
    check_report("completed", has_report=False)
    with pytest.raises(TransitionError, match="write the report first"):
        check_report("assessed", has_report=False)
    client = _client(editor)
    refused = client.post("/api/engagements/exercises/aar-ex/transition/", {"to": "assessed"}, "application/json")
    assert refused.status_code == 400 and refused.json()["to"] == REPORT_NEEDED
    page = client.post("/engagements/records/aar-ex/transition/", {"to": "assessed"}, follow=True)
    assert REPORT_NEEDED in page.content.decode()
    assert 'id="move-assessed"' not in page.content.decode()

    secret = _create(editor, exercise, label=label_from_marking("NATO SECRET REL TO NATO"))
    low = make_user("NLD", "RESTRICTED", username="aar-low-mover", roles=("editor",))
    with pytest.raises(TransitionError) as hidden:
        engagement_transition(acting_user=low, engagement=exercise, to="assessed")
    assert str(hidden.value) == REPORT_NEEDED  # the same words as when there is none
    assert 'id="move-assessed"' in client.get("/engagements/exercises/aar-ex/").content.decode()
    moved = client.post("/api/engagements/exercises/aar-ex/transition/", {"to": "assessed"}, "application/json")
    assert moved.status_code == 200 and moved.json()["status"] == "assessed"
    assert secret.engagement.status == "completed"  # the caller's copy; the row moved
    assert Exercise.objects.get(key="aar-ex").status == "assessed"


# -- the API --------------------------------------------------------------------------------------


def _body(**extra: Any) -> dict[str, Any]:
    return {
        "engagement": "aar-ex",
        "label": RESTRICTED,
        "summary": "Api summary.",
        "achievements": [{"objective": "interoperability", "rating": "partly_achieved", "text": "Some."}],
        "observations": [{"observation": "Late.", "discussion": "No time given.", "recommendation": "Give one."}],
        **extra,
    }


def test_api_create_read_patch_history_and_idempotency(editor: User, exercise: Exercise) -> None:
    client = _client(editor)
    headers = {"HTTP_IDEMPOTENCY_KEY": '"aar-1"'}
    made = client.post("/api/engagements/reports/", _body(), content_type="application/json", **headers)
    assert made.status_code == 201, made.content
    again = client.post("/api/engagements/reports/", _body(), content_type="application/json", **headers)
    assert (again.status_code, again.content, again["Idempotent-Replayed"]) == (201, made.content, "true")
    assert AfterActionReport.objects.count() == 1
    body = made.json()
    assert body["engagement"] == "aar-ex" and body["owner"] == "NLD"
    assert body["observations"][0] == {
        "observation": "Late.",
        "discussion": "No time given.",
        "conclusion": "",
        "recommendation": "Give one.",
    }
    listed = client.get("/api/engagements/reports/").json()
    assert [r["engagement"] for r in listed["results"]] == ["aar-ex"]
    patched = client.patch(
        "/api/engagements/reports/aar-ex/", {"summary": "Changed.", "observations": []}, "application/json"
    )
    assert patched.status_code == 200, patched.content
    assert (patched.json()["summary"], patched.json()["observations"]) == ("Changed.", [])
    assert patched.json()["achievements"][0]["rating"] == "partly_achieved"  # not sent: kept
    history = client.get("/api/engagements/reports/aar-ex/history/").json()
    assert [e["action"] for e in history["results"]] == ["create", "update"]
    moved = client.patch("/api/engagements/reports/aar-ex/", {"engagement": "api-none"}, "application/json")
    assert moved.status_code == 400


def test_api_refusals_are_clear_4xx(editor: User, exercise: Exercise) -> None:
    client = _client(editor)
    low = client.post("/api/engagements/reports/", _body(label="PUBLIC"), content_type="application/json")
    assert low.status_code == 400 and "at least" in low.json()["label"]
    bad = client.post(
        "/api/engagements/reports/",
        _body(achievements=[{"objective": "interoperability", "rating": "splendid"}], summary="\x00"),
        content_type="application/json",
    )
    assert bad.status_code == 400 and {"achievements", "summary"} <= set(bad.json())
    hidden = client.post(
        "/api/engagements/reports/", _body(achievements=[{"objective": "aar-hidden-goal"}]), "application/json"
    )
    unknown = client.post(
        "/api/engagements/reports/", _body(achievements=[{"objective": "aar-nothing"}]), "application/json"
    )
    assert hidden.status_code == unknown.status_code == 400
    assert hidden.content.replace(b"aar-hidden-goal", b"X") == unknown.content.replace(b"aar-nothing", b"X")
    other = _client(make_user("DEU", "SECRET", username="aar-deu-api", roles=("editor",)))
    assert other.post("/api/engagements/reports/", _body(), content_type="application/json").status_code == 403
    assert not AfterActionReport.objects.exists()


CSRF = re.compile(rb'("X-CSRFToken": ?"|name="csrfmiddlewaretoken" value=")[^"]+')


def _masked(body: bytes, key: str) -> bytes:
    """A response as compared with another: the key asked for and the (per-page) CSRF token out."""
    return CSRF.sub(rb"\1", body.replace(key.encode(), b"K"))


def test_a_hidden_report_looks_like_a_missing_one(editor: User, exercise: Exercise) -> None:
    _create(editor, exercise, label=label_from_marking("NATO SECRET REL TO NATO"))
    make_exercise("aar-bare", owner="NLD", status="completed", start_date="2025-01-01", label=RESTRICTED)
    low = _client(make_user("NLD", "RESTRICTED", username="aar-low-reader", roles=("editor",)))
    for url in (
        "/api/engagements/reports/{key}/",
        "/api/engagements/reports/{key}/history/",
        "/engagements/records/{key}/report/",
    ):
        hidden, missing = low.get(url.format(key="aar-ex")), low.get(url.format(key="aar-bare"))
        assert hidden.status_code == missing.status_code == 404
        assert _masked(hidden.content, "aar-ex") == _masked(missing.content, "aar-bare")
    exercise_page = low.get("/engagements/exercises/aar-ex/").content.decode()
    assert "Test summary" not in exercise_page and 'id="report-link"' not in exercise_page
    assert low.get("/api/engagements/reports/").json()["count"] == 0
    hidden_patch = low.patch("/api/engagements/reports/aar-ex/", {"summary": "x"}, "application/json")
    assert hidden_patch.status_code == 404


def test_the_schema_describes_the_reports() -> None:
    schema = Client().get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    spec = json.loads(schema.content)
    assert {"get", "post"} <= set(spec["paths"]["/api/engagements/reports/"])
    assert {"get", "patch"} <= set(spec["paths"]["/api/engagements/reports/{key}/"])
    report = spec["components"]["schemas"]["AfterActionReport"]
    assert {"engagement", "label", "achievements", "observations", "feedback"} <= set(report["properties"])


# -- the pages ------------------------------------------------------------------------------------


def _form(**extra: Any) -> dict[str, Any]:
    return {
        "summary": "Page summary.",
        "rating-interoperability": "achieved",
        "achievement-interoperability": "Met.",
        "obs-TOTAL_FORMS": "2",
        "obs-INITIAL_FORMS": "0",
        "obs-0-observation": "Seen on the page.",
        "obs-0-recommendation": "Act.",
        "label_classification": "NATO RESTRICTED",
        "label_groups": ["NATO"],
        **extra,
    }


def test_page_writes_and_edits_a_report_with_errors_beside_fields(editor: User, exercise: Exercise) -> None:
    client = _client(editor)
    detail = client.get("/engagements/exercises/aar-ex/").content.decode()
    assert 'id="write-report"' in detail and 'id="move-assessed"' not in detail
    form = client.get("/engagements/records/aar-ex/report/edit/").content.decode()
    assert "rating-interoperability" in form and "aar-hidden-goal" not in form and "Qzhidden" not in form

    low = client.post("/engagements/records/aar-ex/report/edit/", _form(label_classification="PUBLIC", label_groups=[]))
    assert low.status_code == 400
    assert 'id="errors-label"' in low.content.decode() and "at least" in low.content.decode()
    empty = client.post("/engagements/records/aar-ex/report/edit/", _form(summary=" ", **{"obs-1-discussion": "Why"}))
    assert empty.status_code == 400
    text = empty.content.decode()
    assert 'id="errors-summary"' in text and 'id="errors-obs-1-observation"' in text
    assert not AfterActionReport.objects.exists() and not ConfidentialityLabel.objects.filter(marking="PUBLIC x")

    saved = client.post("/engagements/records/aar-ex/report/edit/", _form())
    assert saved.status_code == 302 and saved["Location"] == "/engagements/records/aar-ex/report/"
    report = AfterActionReport.objects.get()
    assert (report.label.marking, report.observations.get().observation) == (RESTRICTED, "Seen on the page.")
    page = client.get(saved["Location"]).content.decode()
    assert "Seen on the page." in page and "Achieved" in page and 'id="move-assessed"' in page

    edit = client.get("/engagements/records/aar-ex/report/edit/").content.decode()
    assert "Seen on the page." in edit
    changed = client.post(
        "/engagements/records/aar-ex/report/edit/",
        _form(**{"obs-TOTAL_FORMS": "3", "obs-INITIAL_FORMS": "1", "obs-1-observation": "Second."}),
    )
    assert changed.status_code == 302
    assert list(report.observations.values_list("observation", flat=True)) == ["Seen on the page.", "Second."]

    client.post("/engagements/records/aar-ex/transition/", {"to": "assessed"})
    assert Exercise.objects.get(key="aar-ex").status == "assessed"


def test_add_an_observation_shows_the_form_again_unchecked_with_a_row_more(editor: User, exercise: Exercise) -> None:
    client = _client(editor)
    url = "/engagements/records/aar-ex/report/edit/"
    typed = _form(summary="", action="add-observation", **{"obs-1-discussion": "Why, before any observation."})
    grown = client.post(url, typed, HTTP_HX_REQUEST="true")
    text = grown.content.decode()
    assert grown.status_code == 200 and 'id="observation-row-3"' in text and 'id="observation-row-4"' not in text
    assert "Seen on the page." in text and "Why, before any observation." in text  # what was typed is kept
    assert "field__errors" not in text  # not judged yet: the summary is still to write
    assert 'name="obs-TOTAL_FORMS" value="3"' in text
    assert (
        not AfterActionReport.objects.exists()
        and not AuditEntry.objects.filter(content_type__model="afteractionreport").exists()
    )
    tampered = client.post(url, _form(action="add-observation", **{"obs-TOTAL_FORMS": "many"})).content.decode()
    assert 'id="observation-row-1"' in tampered and 'id="observation-row-2"' not in tampered

    saved = client.post(
        url, _form(**{"obs-TOTAL_FORMS": "3", "obs-INITIAL_FORMS": "3", "obs-2-observation": "Third row."})
    )
    assert saved.status_code == 302
    assert list(AfterActionReport.objects.get().observations.values_list("observation", flat=True)) == [
        "Seen on the page.",
        "Third row.",
    ]


def test_hostile_text_is_rendered_as_text(editor: User, exercise: Exercise) -> None:
    _create(
        editor,
        exercise,
        summary=HOSTILE,
        observations=[reports.ObservationInput(observation=HOSTILE, discussion=HOSTILE, recommendation=HOSTILE)],
    )
    client = _client(editor)
    for url in (
        "/engagements/records/aar-ex/report/",
        "/engagements/records/aar-ex/report/edit/",
        "/engagements/exercises/aar-ex/",
    ):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;" in page, url


def test_a_refused_writer_sees_why_and_cannot_save(exercise: Exercise) -> None:
    other = _client(make_user("DEU", "SECRET", username="aar-deu-page", roles=("editor",)))
    page = other.get("/engagements/records/aar-ex/report/edit/").content.decode()
    assert 'id="refusal"' in page and "editor of NLD" in page
    refused = other.post("/engagements/records/aar-ex/report/edit/", _form())
    assert refused.status_code == 403 and not AfterActionReport.objects.exists()
    assert 'id="write-report"' not in other.get("/engagements/exercises/aar-ex/").content.decode()


# -- reports due and the demo ----------------------------------------------------------------------


def test_reports_due_lists_completed_engagements_of_the_writable_scope(editor: User, exercise: Exercise) -> None:
    make_exercise("aar-deu", owner="DEU", status="completed", start_date="2025-01-01")
    make_exercise("aar-future", owner="NLD", status="planned", start_date="2031-01-01")
    assert [e.key for e in selectors.reports_due(editor)] == ["aar-ex"]
    _create(editor, exercise)
    assert list(selectors.reports_due(editor)) == []
    viewer = make_user("NLD", "SECRET", username="aar-due-viewer", roles=("viewer",))
    assert list(selectors.reports_due(viewer)) == []


def test_the_demo_step_writes_a_demo_report_and_assesses_on_it() -> None:
    from comity.engagements.demo import DEMO_REPORTED, demo_engagements_load

    with transaction.atomic():
        demo_engagements_load()
        demo_engagements_load()  # idempotent
    report = AfterActionReport.objects.get(engagement__key=DEMO_REPORTED)
    assert report.engagement.status == "assessed"
    assert "Demo" in report.summary and all("Demo" in o.observation for o in report.observations.all())
    assert AuditEntry.objects.filter(content_type__model="afteractionreport").count() == 1
