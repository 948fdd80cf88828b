"""Configuration from the environment, and a deploy check that is clean in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dj_database_url
import pytest

from comity.settings.env import env_bool, env_int, env_list, persistent_secret_key


def run_comity(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "comity.cli", *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "comity.settings.production",
        "COMITY_SECRET_KEY": "p" * 20 + "-a-long-random-looking-secret-key-" + "q" * 20,
        "COMITY_ALLOWED_HOSTS": "comity.example.org",
        "COMITY_DATA_DIR": str(tmp_path),
        "COMITY_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    migrated = run_comity(["migrate", "--verbosity", "0"], env)
    assert migrated.returncode == 0, migrated.stderr
    result = run_comity(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.database_url
def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "COMITY_SECRET_KEY"}
    env.update({"DJANGO_SETTINGS_MODULE": "comity.settings.production", "COMITY_DATA_DIR": str(tmp_path)})
    result = run_comity(["check"], env)
    assert result.returncode != 0
    assert "COMITY_SECRET_KEY must be set" in result.stderr


def test_database_url_selects_postgresql() -> None:
    config = dj_database_url.parse("postgres://comity:pw@db.example.org:5432/comity")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "comity"


def test_embedded_secret_key_is_created_once_and_private(tmp_path: Path) -> None:
    first = persistent_secret_key(tmp_path)
    assert persistent_secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_env_readers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMITY_X_BOOL", "yes")
    monkeypatch.setenv("COMITY_X_LIST", "a, b,,c")
    monkeypatch.setenv("COMITY_X_INT", "nope")
    assert env_bool("COMITY_X_BOOL")
    assert env_list("COMITY_X_LIST", []) == ["a", "b", "c"]
    with pytest.raises(ValueError, match="COMITY_X_INT must be an integer"):
        env_int("COMITY_X_INT", 1)
