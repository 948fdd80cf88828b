"""The objectives API: nodes of the tree and their indicators, written through the services."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from comity.core.labels import label_from_marking
from comity.core.models import AuditEntry
from comity.core.testing.factories import make_user
from comity.engagements.models import Indicator, Objective

pytestmark = pytest.mark.django_db


def _client(nation: str = "NLD", roles: tuple[str, ...] = ("editor",)) -> Client:
    client = Client()
    client.force_login(make_user(nation, "SECRET", roles=roles))
    return client


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


LINE = {
    "code": "api-line",
    "title": "<script>alert(1)</script>",
    "level": "line_of_effort",
    "parent": "interoperability",
    "label": "PUBLIC",
}


def test_an_editor_builds_a_branch_of_the_tree() -> None:
    client = _client()
    made = _post(client, "/api/engagements/objectives/", LINE)
    assert made.status_code == 201, made.content
    assert made.json()["owner"] == "NLD" and made.json()["title"] == LINE["title"]  # text, as typed
    objective = {
        "code": "api-objective",
        "title": "About Georgia",
        "parent": "api-line",
        "state": "GEO",
        "region": "Black Sea",
        "label": "PUBLIC",
    }
    assert _post(client, "/api/engagements/objectives/", objective).json()["state"] == "GEO"
    added = _post(
        client,
        "/api/engagements/objectives/api-objective/indicators/",
        {"name": "Courses held", "baseline": 0, "target": 4, "due": "2030-12-31"},
    )
    assert added.status_code == 201
    changed = client.patch(
        f"/api/engagements/indicators/{added.json()['id']}/", {"target": 6}, content_type="application/json"
    )
    assert changed.status_code == 200 and Indicator.objects.get().target == 6 and Indicator.objects.get().baseline == 0
    retitled = client.patch(
        "/api/engagements/objectives/api-line/", {"title": "Retitled", "code": "other"}, content_type="application/json"
    )
    assert retitled.status_code == 200 and retitled.json()["code"] == "api-line"
    written = AuditEntry.objects.filter(content_type__model__in=["objective", "indicator"], user__isnull=False)
    assert written.count() == 5


def test_refusals_answer_4xx_and_keep_nothing() -> None:
    client, fin_viewer, fin_editor = _client(), _client("FIN", ("viewer",)), _client("FIN")
    assert _post(client, "/api/engagements/objectives/", LINE).status_code == 201
    before = (Objective.objects.count(), Indicator.objects.count(), AuditEntry.objects.count())
    hidden = Objective.objects.create(
        code="api-hidden",
        title="Hidden",
        level="line_of_effort",
        label=label_from_marking("NATO SECRET REL TO FIN"),
        owner="FIN",
    )
    before = (before[0] + 1, *before[1:])
    for body in (
        {**LINE, "code": "api-2", "level": "objective", "parent": "interoperability"},  # not under a goal
        {**LINE, "code": "api-3", "parent": "api-hidden"},
        {**LINE, "code": "api-4", "parent": "api-missing"},
        {**LINE, "code": "api-line"},  # taken
        {**LINE, "code": "api-hidden"},  # taken by a hidden one: the same words
        {**LINE, "code": "api-5", "label": "NATO COSMIC TOP SECRET"},
        {**LINE, "code": "<b>"},
        {**LINE, "code": "api-6", "title": ""},
    ):
        assert _post(client, "/api/engagements/objectives/", body).status_code == 400, body
    hidden_parent = _post(client, "/api/engagements/objectives/", {**LINE, "code": "api-7", "parent": "api-hidden"})
    missing_parent = _post(client, "/api/engagements/objectives/", {**LINE, "code": "api-7", "parent": "api-nothing"})
    assert hidden_parent.content.replace(b"api-hidden", b"X") == missing_parent.content.replace(b"api-nothing", b"X")
    taken = [
        _post(client, "/api/engagements/objectives/", {**LINE, "code": code}).json()
        for code in ("api-line", "api-hidden")
    ]
    assert taken[0]["code"][0].replace("api-line", "X") == taken[1]["code"][0].replace("api-hidden", "X")
    for number in (1e300, "NaN", "abc"):
        response = _post(client, "/api/engagements/objectives/api-line/indicators/", {"name": "n", "target": number})
        assert response.status_code == 400, number
    assert client.get(f"/api/engagements/objectives/{hidden.code}/").status_code == 404
    assert (
        fin_viewer.patch(
            "/api/engagements/objectives/api-line/", {"title": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert _post(fin_editor, "/api/engagements/objectives/api-line/indicators/", {"name": "n"}).status_code == 403
    assert (Objective.objects.count(), Indicator.objects.count(), AuditEntry.objects.count()) == before
