"""Objectives and AM&E: the write rule for objectives, indicators and measurements, the label
floor of a measurement, evidence through the writer's access, figures computed from what the
viewer may see (and leaking nothing else), the pages and the API."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404
from django.test import Client

from comity.assessment import objective_selectors, services
from comity.assessment.choices import MeasurementOrigin, ProgressStatus
from comity.assessment.models import Measurement
from comity.core.labels import label_from_marking, public_label
from comity.core.models import AuditEntry, ConfidentialityLabel, User
from comity.core.permissions import WriteDenied
from comity.core.testing.attachments import stored_attachment
from comity.core.testing.factories import make_user
from comity.engagements.choices import EngagementKind, ObjectiveLevel, Status
from comity.engagements.models import AfterActionReport, Exercise, Indicator, Objective
from comity.engagements.objectives import (
    CODE_TAKEN,
    IndicatorInput,
    ObjectiveError,
    ObjectiveInput,
    indicator_create,
    objective_create,
    objective_update,
)
from comity.registry.models import State

pytestmark = pytest.mark.django_db

SECRET_NLD = "NATO SECRET REL TO NLD"
HIDDEN_TITLE = "Hidden evidence qz7"


@dataclass
class World:
    nld: User  # editor of NLD, NATO SECRET
    viewer: User  # viewer, NLD, NATO SECRET
    fin: User  # editor of FIN, NATO SECRET: may not see REL TO NLD
    line: Objective
    objective: Objective
    indicator: Indicator
    public_exercise: Exercise
    secret_exercise: Exercise
    report: AfterActionReport


def _exercise(key: str, title: str, marking: str, status: str = Status.COMPLETED) -> Exercise:
    return Exercise.objects.create(
        key=key,
        kind=EngagementKind.EXERCISE,
        title=title,
        start_date=date(2024, 3, 1),
        end_date=date(2024, 3, 5),
        label=label_from_marking(marking),
        lead_state=State.objects.get(iso3="NLD"),
        owner="NLD",
        status=status,
    )


@pytest.fixture
def world() -> World:
    nld = make_user("NLD", "SECRET", username="ame-nld", roles=("editor",))
    viewer = make_user("NLD", "SECRET", username="ame-viewer", roles=("viewer",))
    fin = make_user("FIN", "SECRET", username="ame-fin", roles=("editor",))
    line = objective_create(
        acting_user=nld,
        code="ame-line",
        values=ObjectiveInput(
            title="Staffs that work together",
            level=ObjectiveLevel.LINE_OF_EFFORT,
            parent=Objective.objects.get(code="interoperability"),
        ),
        label=public_label(),
    )
    objective = objective_create(
        acting_user=nld,
        code="ame-objective",
        values=ObjectiveInput(title="Shared procedures", parent=line, state=State.objects.get(iso3="NLD")),
        label=public_label(),
    )
    indicator = indicator_create(
        acting_user=nld,
        objective=objective,
        values=IndicatorInput(name="Procedures exercised", unit="%", baseline=0, target=100, due=date(2030, 1, 1)),
    )
    public_exercise = _exercise("ame-public", "Public evidence", "PUBLIC")
    secret_exercise = _exercise("ame-secret", HIDDEN_TITLE, SECRET_NLD)
    report = AfterActionReport.objects.create(
        engagement=public_exercise, label=public_label(), owner="NLD", summary="Report."
    )
    return World(nld, viewer, fin, line, objective, indicator, public_exercise, secret_exercise, report)


def _measure(world: World, value: float, day: date, label: str = "PUBLIC", **evidence: object) -> Measurement:
    return services.measurement_create(
        acting_user=world.nld,
        indicator=world.indicator,
        day=day,
        value=value,
        evidence=services.Evidence(**evidence),  # type: ignore[arg-type]
        label=label_from_marking(label),
    )


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# -- the tree and the write rule of objectives and indicators -----------------------------------


def test_the_four_strategic_goals_ship_and_nobody_edits_them(world: World) -> None:
    goals = Objective.objects.filter(level=ObjectiveLevel.GOAL, owner="")
    assert {g.code for g in goals} >= {"interoperability", "deterrence", "partnerships", "capacity-building"}
    goal = goals.get(code="deterrence")
    with pytest.raises(WriteDenied, match="shipped record"):
        objective_update(acting_user=world.nld, objective=goal, values=ObjectiveInput(title="Renamed"))


def test_objective_writes_are_owned_logged_and_placed_in_the_tree(world: World) -> None:
    assert world.objective.owner == "NLD"
    assert AuditEntry.objects.filter(object_id=str(world.objective.pk), action="create").exists()
    with pytest.raises(ObjectiveError, match="sits under"):  # an objective does not hang from a goal
        objective_create(
            acting_user=world.nld,
            code="ame-misplaced",
            values=ObjectiveInput(title="Misplaced", parent=Objective.objects.get(code="deterrence")),
            label=public_label(),
        )
    child = objective_create(
        acting_user=world.nld,
        code="ame-child",
        values=ObjectiveInput(title="Child", parent=world.objective),
        label=public_label(),
    )
    with pytest.raises(ObjectiveError, match="under itself"):
        objective_update(
            acting_user=world.nld, objective=world.objective, values=ObjectiveInput(title="Loop", parent=child)
        )
    with pytest.raises(WriteDenied, match="editor of NLD"):
        objective_update(acting_user=world.fin, objective=world.objective, values=ObjectiveInput(title="Taken over"))
    with pytest.raises(WriteDenied):
        indicator_create(acting_user=world.viewer, objective=world.objective, values=IndicatorInput(name="More"))


def test_a_hidden_parent_or_a_taken_code_answers_as_a_missing_one(world: World) -> None:
    hidden = objective_create(
        acting_user=world.nld,
        code="ame-hidden-line",
        values=ObjectiveInput(
            title="Hidden line", level=ObjectiveLevel.LINE_OF_EFFORT, parent=Objective.objects.get(code="partnerships")
        ),
        label=label_from_marking(SECRET_NLD),
    )
    with pytest.raises(Http404):
        objective_create(
            acting_user=world.fin,
            code="ame-fin",
            values=ObjectiveInput(title="Under it", parent=hidden),
            label=public_label(),
        )
    for code in ("ame-hidden-line", "ame-objective"):  # hidden from FIN, and visible
        with pytest.raises(ObjectiveError) as refused:
            objective_create(
                acting_user=world.fin,
                code=code,
                values=ObjectiveInput(title="Again", level=ObjectiveLevel.GOAL),
                label=public_label(),
            )
        assert str(refused.value) == CODE_TAKEN.format(code=code)


def test_indicator_numbers_are_finite_and_bounded(world: World) -> None:
    for bad in (float("inf"), float("nan"), 1e300):
        with pytest.raises(ObjectiveError, match="finite number"):
            indicator_create(
                acting_user=world.nld, objective=world.objective, values=IndicatorInput(name="x", target=bad)
            )


# -- measurements: write rule, evidence, label floor ---------------------------------------------


def test_an_editor_enters_a_measurement_with_its_change_log_entry(world: World) -> None:
    measurement = _measure(world, 40, date(2025, 1, 1), report=world.report)
    assert measurement.owner == "NLD" and measurement.origin == MeasurementOrigin.ENTERED
    entry = AuditEntry.objects.get(object_id=str(measurement.pk), content_type__model="measurement")
    assert entry.label_id == measurement.label_id and entry.user_id == world.nld.pk


def test_a_viewer_and_another_nations_editor_may_not_add(world: World) -> None:
    for user in (world.viewer, world.fin):
        with pytest.raises(WriteDenied, match="editor of NLD"):
            services.measurement_create(
                acting_user=user,
                indicator=world.indicator,
                day=date(2025, 1, 1),
                value=1,
                evidence=services.Evidence(engagement=world.public_exercise),
                label=public_label(),
            )
    assert not Measurement.objects.exists()


def test_hidden_evidence_is_refused_in_the_words_of_missing_evidence(world: World) -> None:
    """FIN's editor on FIN's own objective names NLD's SECRET exercise: refused exactly as a key
    that does not exist, on the service and on the API."""
    fin_objective = objective_create(
        acting_user=world.fin,
        code="ame-fin-objective",
        values=ObjectiveInput(title="FIN objective", parent=world.line),
        label=public_label(),
    )
    fin_indicator = indicator_create(acting_user=world.fin, objective=fin_objective, values=IndicatorInput(name="n"))
    with pytest.raises(services.MeasurementError) as refused:
        services.measurement_create(
            acting_user=world.fin,
            indicator=fin_indicator,
            day=date(2025, 1, 1),
            value=1,
            evidence=services.Evidence(engagement=world.secret_exercise),
            label=public_label(),
        )
    assert str(refused.value) == services.NO_EVIDENCE.format(what="engagement")
    client = _client(world.fin)
    body = {"indicator": fin_indicator.pk, "date": "2025-01-01", "value": 1, "label": "PUBLIC"}
    hidden = client.post(
        "/api/assessment/measurements/", {**body, "engagement": "ame-secret"}, content_type="application/json"
    )
    missing = client.post(
        "/api/assessment/measurements/", {**body, "engagement": "ame-nothing"}, content_type="application/json"
    )
    assert hidden.status_code == missing.status_code == 400
    assert hidden.content == missing.content and HIDDEN_TITLE.encode() not in hidden.content
    assert not Measurement.objects.exists()


def test_a_label_below_the_evidence_is_refused(world: World) -> None:
    with pytest.raises(services.MeasurementError, match=f"at least {SECRET_NLD}"):
        _measure(world, 40, date(2025, 1, 1), label="NATO RESTRICTED", engagement=world.secret_exercise)
    labels = ConfidentialityLabel.objects.count()  # the API's refused write leaves no new label behind
    response = _client(world.nld).post(
        "/api/assessment/measurements/",
        {
            "indicator": world.indicator.pk,
            "date": "2025-01-01",
            "value": 4,
            "engagement": "ame-secret",
            "label": "NATO CONFIDENTIAL REL TO NLD",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "label" in response.json()
    assert not Measurement.objects.exists() and ConfidentialityLabel.objects.count() == labels
    assert _measure(world, 40, date(2025, 1, 1), label=SECRET_NLD, engagement=world.secret_exercise).pk


def test_an_entered_measurement_needs_evidence_even_in_the_database(world: World) -> None:
    with pytest.raises(services.MeasurementError, match="name the evidence"):
        _measure(world, 40, date(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.create(indicator=world.indicator, date=date(2025, 1, 1), value=1, label=public_label())


def test_bad_values_and_dates_answer_400_never_500(world: World) -> None:
    client = _client(world.nld)
    base = {
        "indicator": world.indicator.pk,
        "date": "2025-01-01",
        "value": 1,
        "report": "ame-public",
        "label": "PUBLIC",
    }
    for change in (
        {"value": 1e300},
        {"value": "NaN"},
        {"value": "1e999"},
        {"value": "abc"},
        {"date": "2999-01-01"},
        {"date": "2025-13-45"},
        {"indicator": 2**70},
        {"indicator": 999999},
        {"attachment": 2**70},
        {"report": "<script>"},
        {"label": "NATO COSMIC"},
    ):
        response = client.post("/api/assessment/measurements/", {**base, **change}, content_type="application/json")
        assert response.status_code == 400, (change, response.status_code)
    url = f"/assessment/objectives/{world.objective.code}/measurements/add/"
    form = {
        "measurement-indicator": world.indicator.pk,
        "measurement-day": "2025-01-01",
        "measurement-report": "ame-public",
        "measurement-label": "PUBLIC",
    }
    for value in ("inf", "1e400", "nan", "", "9" * 400):
        response = client.post(url, {**form, "measurement-value": value})
        assert response.status_code == 400 and b'id="errors-measurement-value"' in response.content, value
    assert not Measurement.objects.exists()


def test_computed_measurements_name_their_function_and_real_provenance(world: World) -> None:
    made = services.measurements_compute(
        acting_user=world.nld,
        indicator=world.indicator,
        function="nato_defence_share_gdp",
        argument="NLD",
        since=date(2014, 12, 31),
    )
    assert [m.date.year for m in made] == list(range(2014, 2025))
    latest = made[-1]
    # NATO's June 2024 table (column 2024e) as shipped: the Netherlands at 2.00% of GDP, an estimate.
    assert (
        latest.value == pytest.approx(2.003353528) and "2024e" in latest.provenance and "estimate" in latest.provenance
    )
    again = services.measurements_compute(
        acting_user=world.nld,
        indicator=world.indicator,
        function="nato_defence_share_gdp",
        argument="NLD",
        since=date(2014, 12, 31),
    )
    assert [m.pk for m in again] == [m.pk for m in made]  # computed again, not doubled
    with pytest.raises(services.MeasurementError, match="not one of"):
        services.measurements_compute(acting_user=world.nld, indicator=world.indicator, function="eval", argument="")
    with pytest.raises(services.MeasurementError, match="computed again"):
        services.measurement_update(acting_user=world.nld, measurement=latest, value=3)


# -- figures from what the viewer may see -------------------------------------------------------


CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return CSRF.sub(r"\1", response.content.decode())


def test_the_figure_is_computed_from_what_the_viewer_may_see_and_names_nothing_else(world: World) -> None:
    """NLD sees both measurements, FIN only the PUBLIC one. FIN's page and answers are exactly what
    they would be if the hidden measurement did not exist: no title, no count, no other status."""
    _measure(world, 5, date(2025, 1, 1), report=world.report)
    hidden = _measure(world, 90, date(2025, 6, 1), label=SECRET_NLD, engagement=world.secret_exercise)
    today = date(2026, 1, 1)
    nld = objective_selectors.indicators_progress(world.nld, [world.objective], today)[world.objective.pk][0]
    fin = objective_selectors.indicators_progress(world.fin, [world.objective], today)[world.objective.pk][0]
    assert nld.progress.status is ProgressStatus.ON_TRACK and len(nld.measurements) == 2
    assert fin.progress.status is ProgressStatus.OFF_TRACK and len(fin.measurements) == 1

    fin_client = _client(world.fin)
    urls = [
        "/assessment/objectives/",
        f"/assessment/objectives/{world.objective.code}/",
        f"/api/assessment/objectives/{world.objective.code}/progress/",
        "/api/assessment/measurements/",
        f"/api/assessment/measurements/?objective={world.objective.code}",
    ]
    with_hidden = [_page(fin_client, url) for url in urls]
    assert objective_selectors.COMPUTED_FROM in with_hidden[1] and HIDDEN_TITLE not in "".join(with_hidden)
    assert HIDDEN_TITLE in _page(_client(world.nld), urls[1])
    assert fin_client.get(f"/api/assessment/measurements/{hidden.pk}/").status_code == 404
    Measurement.objects.filter(pk=hidden.pk).delete()
    assert [_page(fin_client, url) for url in urls] == with_hidden


def test_evidence_raised_out_of_sight_takes_its_measurement_with_it(world: World) -> None:
    """A measurement under a label the viewer reads, whose evidence is later relabelled above
    them, is hidden with its evidence."""
    measurement = _measure(world, 10, date(2025, 1, 1), engagement=world.public_exercise)
    assert objective_selectors.measurements_visible(world.fin).filter(pk=measurement.pk).exists()
    Exercise.objects.filter(pk=world.public_exercise.pk).update(label=label_from_marking(SECRET_NLD))
    assert not objective_selectors.measurements_visible(world.fin).filter(pk=measurement.pk).exists()
    assert objective_selectors.measurements_visible(world.nld).filter(pk=measurement.pk).exists()


def test_an_objective_under_a_hidden_parent_stands_at_the_top_unnamed(world: World) -> None:
    Objective.objects.filter(pk=world.line.pk).update(label=label_from_marking(SECRET_NLD))
    roots = {node.objective.code for node in objective_selectors.objectives_tree(world.fin)}
    assert "ame-objective" in roots and "ame-line" not in roots
    page = _page(_client(world.fin), f"/assessment/objectives/{world.objective.code}/")
    assert "Staffs that work together" not in page and "ame-line" not in page
    missing = _client(world.fin).get("/assessment/objectives/ame-nothing/")
    hidden = _client(world.fin).get("/assessment/objectives/ame-line/")
    assert hidden.status_code == missing.status_code == 404


# -- pages and API ------------------------------------------------------------------------------


def test_hostile_titles_render_as_text(world: World) -> None:
    Objective.objects.filter(pk=world.objective.pk).update(title="<script>alert(1)</script>")
    Indicator.objects.filter(pk=world.indicator.pk).update(name="<img src=x onerror=alert(2)>")
    Exercise.objects.filter(pk=world.public_exercise.pk).update(title="<b>bold</b>")
    _measure(world, 10, date(2025, 1, 1), engagement=world.public_exercise)
    for url in ("/assessment/objectives/", f"/assessment/objectives/{world.objective.code}/"):
        page = _page(_client(world.nld), url)
        assert "<script>alert(1)" not in page and "<img src=x" not in page and "<b>bold" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    page = _page(_client(world.nld), f"/assessment/objectives/{world.objective.code}/")
    data = re.search(r'<script id="progress-data" type="application/json">(.*?)</script>', page, re.S)
    assert data is not None and json.loads(data.group(1))[0]["name"] == "<img src=x onerror=alert(2)>"
    assert "objective_chart.js" in page and "Public evidence" not in page  # retitled, shown escaped
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_the_page_form_adds_a_measurement_and_htmx_is_redirected(world: World) -> None:
    client = _client(world.nld)
    url = f"/assessment/objectives/{world.objective.code}/measurements/add/"
    assert 'id="measurement-form"' in _page(client, f"/assessment/objectives/{world.objective.code}/")
    form = {
        "measurement-indicator": world.indicator.pk,
        "measurement-day": "2025-01-01",
        "measurement-value": "12.5",
        "measurement-report": "ame-public",
        "measurement-label_classification": "PUBLIC",
    }
    response = client.post(url, form, headers={"HX-Request": "true"})
    assert response.status_code == 200, response.content.decode()[-3000:]
    assert response["HX-Redirect"] == f"/assessment/objectives/{world.objective.code}/"
    assert Measurement.objects.get().value == 12.5
    wrong = client.post(url, {**form, "measurement-value": "inf"}, headers={"HX-Request": "true"})
    assert wrong.status_code == 400 and wrong.content.decode().lstrip().startswith("<form")  # the form alone
    assert b"data-swap-refusals" in wrong.content and b'id="errors-measurement-value"' in wrong.content
    refused = _client(world.viewer).post(url, form)
    assert refused.status_code == 403 and Measurement.objects.count() == 1
    viewer_page = _page(_client(world.viewer), f"/assessment/objectives/{world.objective.code}/")
    assert 'id="measurement-form"' not in viewer_page and "only an editor of NLD" in viewer_page
    assert re.search(r'<ul id="objective-history"><li>[^<]* ame-nld created</li>', viewer_page)


def test_api_lists_enters_changes_and_reports_progress(world: World) -> None:
    client = _client(world.nld)
    made = client.post(
        "/api/assessment/measurements/",
        {"indicator": world.indicator.pk, "date": "2025-01-01", "value": 30, "report": "ame-public", "label": "PUBLIC"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["objective"] == "ame-objective" and body["evidence"][0]["kind"] == "After-action report"
    changed = client.patch(
        f"/api/assessment/measurements/{body['id']}/", {"value": 35}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["value"] == 35
    assert (
        _client(world.viewer)
        .patch(f"/api/assessment/measurements/{body['id']}/", {"value": 1}, content_type="application/json")
        .status_code
        == 403
    )
    progress = client.get("/api/assessment/objectives/ame-objective/progress/").json()
    assert progress["computed_from"] == objective_selectors.COMPUTED_FROM
    assert progress["indicators"][0]["measurements"] == [body["id"]]
    assert progress["indicators"][0]["latest"] == {"date": "2025-01-01", "value": 35.0}
    assert client.get("/api/assessment/measurements/?objective=ame-objective").json()["count"] == 1
    assert client.get("/api/assessment/objectives/ame-nothing/progress/").status_code == 404
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/assessment/measurements/" in schema.content


def test_a_document_is_evidence_only_for_who_may_read_it_and_its_record(world: World) -> None:
    """A file attached to the SECRET exercise, labelled PUBLIC itself: its record hides it from
    FIN, so FIN's editor cannot name it, in the words used for a document that does not exist."""
    document = stored_attachment(world.secret_exercise, public_label(), filename="minutes.txt", content=b"Minutes.")
    fin_client = _client(world.fin)
    body = {"indicator": world.indicator.pk, "date": "2025-01-01", "value": 1, "label": SECRET_NLD}
    answers = [
        fin_client.post("/api/assessment/measurements/", {**body, "attachment": pk}, content_type="application/json")
        for pk in (document.pk, 99999999)
    ]
    assert answers[0].content == answers[1].content and b"minutes" not in answers[0].content
    # The document is PUBLIC, its record is not: a figure from it is kept under its record's label.
    with pytest.raises(services.MeasurementError, match=f"at least {SECRET_NLD}"):
        _measure(world, 20, date(2025, 1, 1), attachment=document)
    made = _measure(world, 20, date(2025, 1, 1), label=SECRET_NLD, attachment=document)
    links = objective_selectors.evidence_of(objective_selectors.measurement_or_404(world.nld, made.pk))
    assert [(link.kind, link.text) for link in links] == [("Document", "minutes.txt")]
    assert links[0].url == f"/attachments/{document.pk}/download/"


def test_the_page_links_the_engagements_and_ratings_the_viewer_may_see(world: World) -> None:
    from comity.engagements.models import ObjectiveAchievement

    for exercise in (world.public_exercise, world.secret_exercise):
        exercise.objectives.set([world.objective])
    secret_report = AfterActionReport.objects.create(
        engagement=world.secret_exercise, label=label_from_marking(SECRET_NLD), owner="NLD", summary="Secret."
    )
    ObjectiveAchievement.objects.create(report=world.report, objective=world.objective, rating="achieved")
    ObjectiveAchievement.objects.create(report=secret_report, objective=world.objective, rating="partly")
    url = f"/assessment/objectives/{world.objective.code}/"
    nld = _page(_client(world.nld), url)
    assert nld.count("/engagements/exercises/ame-") == 2 and "/engagements/records/ame-secret/report/" in nld
    fin = _page(_client(world.fin), url)
    assert '<a href="/engagements/exercises/ame-public/">Public evidence</a>' in fin
    assert '<a href="/engagements/records/ame-public/report/">' in fin
    assert "ame-secret" not in fin and HIDDEN_TITLE not in fin


def test_the_tree_grows_on_the_pages_through_the_services(world: World) -> None:
    client = _client(world.nld)
    line = {
        "code": "ame-page-line",
        "title": "<i>Hostile</i> line",
        "level": "line_of_effort",
        "parent": "partnerships",
        "label_classification": "PUBLIC",
    }
    assert client.post("/assessment/new-objective/", line).status_code == 302
    made = Objective.objects.get(code="ame-page-line")
    assert (made.owner, made.parent.code, made.title) == ("NLD", "partnerships", "<i>Hostile</i> line")
    assert 'href="/assessment/objectives/"' in _page(client, "/assessment/")
    tree = _page(client, "/assessment/objectives/")
    assert "&lt;i&gt;Hostile&lt;/i&gt; line" in tree and 'id="add-objective"' in tree
    # A parent hidden from the writer is refused as a missing one, word for word.
    fin = _client(world.fin)
    Objective.objects.filter(pk=made.pk).update(label=label_from_marking(SECRET_NLD))
    answers = [
        fin.post("/assessment/new-objective/", {**line, "code": "ame-fin-line", "level": "objective", "parent": code})
        for code in ("ame-page-line", "ame-no-line")
    ]
    assert [a.status_code for a in answers] == [400, 400]
    assert CSRF.sub("", answers[0].content.decode()).replace("ame-page-line", "X") == CSRF.sub(
        "", answers[1].content.decode()
    ).replace("ame-no-line", "X")
    assert _client(world.viewer).post("/assessment/new-objective/", {**line, "code": "ame-v"}).status_code == 403
    url = f"/assessment/objectives/{world.objective.code}/indicators/add/"
    for bad in ({"target": "inf"}, {"baseline": "1e400"}, {"due": "2030-02-30"}, {"name": ""}):
        assert client.post(url, {"name": "Courses", **bad}).status_code == 400, bad
    assert fin.post(url, {"name": "Courses"}).status_code == 403
    assert client.post(url, {"name": "Courses", "baseline": "0", "target": "4", "due": "2030-12-31"}).status_code == 302
    assert world.objective.indicators.filter(name="Courses", target=4).exists()
    assert 'id="add-indicator"' in _page(client, f"/assessment/objectives/{world.objective.code}/")
    assert 'id="add-indicator"' not in _page(fin, f"/assessment/objectives/{world.objective.code}/")
