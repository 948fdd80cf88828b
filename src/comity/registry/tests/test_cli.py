"""CLI contracts: ``comity registry`` and ``comity user`` (other checks rely on these exactly)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from comity.core.models import User

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_members_json_contract() -> None:
    on_accession = json.loads(run("registry", "members", "NATO", "--on", "2023-04-04", "--format", "json"))
    assert len(on_accession) == 31
    assert {"iso3", "name", "joined"} <= set(on_accession[0])
    assert {row["iso3"] for row in on_accession} >= {"FIN", "USA"}
    assert len(json.loads(run("registry", "members", "NATO", "--on", "2024-03-07", "--format", "json"))) == 32


def test_partners_json_contract() -> None:
    rows = json.loads(run("registry", "partners", "--framework", "PFP", "--on", "2024-01-01", "--format", "json"))
    assert {"iso3", "name", "joined"} <= set(rows[0])
    assert "SWE" in {row["iso3"] for row in rows}


def test_members_csv_and_bad_input() -> None:
    assert run("registry", "members", "EU", "--on", "2020-02-01", "--format", "csv").splitlines()[0].startswith("iso3,")
    with pytest.raises(CommandError, match="not a date"):
        run("registry", "members", "NATO", "--on", "04/04/2023")
    with pytest.raises(CommandError, match="unknown organisation"):
        run("registry", "members", "WARSAW")


def test_user_add_and_token() -> None:
    run("user", "add", "frank", "--nation", "DEU", "--clearance", "SECRET", "--policy", "NATO")
    user = User.objects.get(username="frank")
    assert user.nationality == "DEU"
    assert user.clearances.get().classification.name == "SECRET"
    token = run("user", "token", "frank").strip()
    assert len(token) == 40 and run("user", "token", "frank").strip() == token
    with pytest.raises(CommandError, match="unknown nation"):
        run("user", "add", "gina", "--nation", "XXX")
    with pytest.raises(CommandError, match="no classification"):
        run("user", "add", "hank", "--nation", "DEU", "--clearance", "ULTRA")


def test_setup_is_idempotent() -> None:
    run("setup")
    assert "State: created 0, updated 0, deleted 0" in run("setup")


def test_console_script_end_to_end(tmp_path: Path) -> None:
    """The real ``comity`` entry point on a fresh embedded database."""
    env = {
        **os.environ,
        "COMITY_DATA_DIR": str(tmp_path),
        "COMITY_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "comity.settings.base",
    }
    command = [sys.executable, "-m", "comity.cli"]
    setup = subprocess.run([*command, "setup"], env=env, capture_output=True, text=True, timeout=300, check=False)
    assert setup.returncode == 0, setup.stderr
    members = subprocess.run(
        [*command, "registry", "members", "NATO", "--on", "2024-03-07", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert len(json.loads(members.stdout)) == 32
