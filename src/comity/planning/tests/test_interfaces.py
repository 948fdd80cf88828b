"""The CLI (``comity plan``) and the API views return the solvers' output JSON unchanged."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from comity.core.models import User
from comity.planning.solvers.checker import check_calendar, check_rotations
from comity.planning.tests.instances import baltic, exercises


def run_plan(kind: str, path: Path) -> dict:
    out = StringIO()
    call_command("plan", kind, str(path), stdout=out)
    return json.loads(out.getvalue())


def test_cli_prints_rotation_and_calendar_plans(tmp_path):
    rotations, calendar = tmp_path / "rotations.json", tmp_path / "calendar.json"
    rotations.write_text(json.dumps(baltic()), encoding="utf-8")
    calendar.write_text(json.dumps(exercises()), encoding="utf-8")
    rotation_plan = run_plan("rotations", rotations)
    assert rotation_plan["status"] == "OPTIMAL"
    assert check_rotations(baltic(), rotation_plan) == []
    calendar_plan = run_plan("calendar", calendar)
    assert calendar_plan["status"] == "OPTIMAL"
    assert check_calendar(exercises(), calendar_plan) == []


def test_cli_rejects_bad_input_with_the_field(tmp_path):
    data = baltic()
    data["offers"][3]["aircraft"] = "four"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match=r"offers\[3\]\.aircraft must be a positive integer"):
        run_plan("rotations", path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="is not valid JSON"):
        run_plan("calendar", path)
    with pytest.raises(CommandError, match="cannot read"):
        run_plan("calendar", tmp_path / "missing.json")


@pytest.fixture
def member(client):
    user = User.objects.create_user(username="planner", password="correct horse battery", nationality="NLD")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_api_plans_rotations_and_calendars(member):
    response = member.post("/api/planning/rotations/", baltic(), content_type="application/json")
    assert response.status_code == 200
    assert check_rotations(baltic(), response.json()) == []
    response = member.post("/api/planning/calendar/", exercises(), content_type="application/json")
    assert response.status_code == 200
    assert check_calendar(exercises(), response.json()) == []


@pytest.mark.django_db
def test_api_reports_field_errors(member):
    data = baltic()
    data["offers"][3]["aircraft"] = 0
    response = member.post("/api/planning/rotations/", data, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"offers[3].aircraft": "offers[3].aircraft must be a positive integer"}}


@pytest.mark.django_db
def test_api_requires_a_signed_in_user(client):
    response = client.post("/api/planning/calendar/", exercises(), content_type="application/json")
    assert response.status_code in (401, 403)


@pytest.mark.django_db
def test_openapi_schema_documents_both_endpoints(member):
    schema = member.get("/api/schema/", {"format": "json"}).json()
    for name in ("rotations", "calendar"):
        operation = schema["paths"][f"/api/planning/{name}/"]["post"]
        assert operation["summary"].startswith("Plan ")
        assert set(operation["responses"]) == {"200", "400"}


def test_solvers_import_no_django():
    """The solvers stay pure so that they run in a worker, a notebook or a benchmark without settings."""
    code = (
        "import sys, comity.planning.solvers; "
        "sys.exit(any(m.split('.')[0] in ('django', 'rest_framework') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
