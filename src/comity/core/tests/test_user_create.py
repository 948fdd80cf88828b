"""Creating users: the password policy and the user-name rule apply on every path, CLI included."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from comity.core.models import AuditEntry, User
from comity.core.services import UserError, user_create

pytestmark = pytest.mark.django_db
GOOD = "a-long-test-password"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("a", "too short"),
        ("password1234", "too common"),
        ("738261945016", "entirely numeric"),
        ("newcomer.fin1", "too similar"),
    ],
)
def test_weak_passwords_are_refused(password: str, reason: str) -> None:
    with pytest.raises(UserError, match=reason):
        user_create(acting_user=None, username="newcomer.fin", nationality="FIN", password=password)
    assert not User.objects.filter(username="newcomer.fin").exists()


@pytest.mark.parametrize("username", ["<b>x</b>", "two words", 'quote"d', "it's", "", "x" * 151])
def test_user_names_with_markup_spaces_or_quotes_are_refused(username: str) -> None:
    entries = AuditEntry.objects.count()
    with pytest.raises(UserError, match="user name"):
        user_create(acting_user=None, username=username, nationality="FIN", password=GOOD)
    assert not User.objects.filter(username=username).exists()
    assert AuditEntry.objects.count() == entries


def test_a_valid_user_and_a_token_only_user_are_created() -> None:
    assert user_create(acting_user=None, username="ok.user", nationality="fin", password=GOOD).check_password(GOOD)
    assert not user_create(acting_user=None, username="robot-1", nationality="FIN").has_usable_password()


def test_the_cli_refuses_a_weak_password_with_a_message() -> None:
    with pytest.raises(CommandError, match="too short"):
        call_command("user", "add", "cli.user", "--nation", "FIN", "--password", "a")
    with pytest.raises(CommandError, match="user name"):
        call_command("user", "add", "<b>x</b>", "--nation", "FIN", "--password", GOOD)
    assert not User.objects.filter(username__in=["cli.user", "<b>x</b>"]).exists()


def test_the_comity_script_exits_non_zero_without_a_traceback(tmp_path: object) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "comity.settings.test", "COMITY_DATA_DIR": str(tmp_path)}
    code = "from comity.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "user", "add", "x", "--nation", "FIN", "--password", "a"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "too short" in done.stderr


def test_a_bad_clearance_leaves_no_user_behind() -> None:
    with pytest.raises(CommandError):
        call_command("user", "add", "half.made", "--nation", "NLD", "--password", GOOD, "--clearance", "BAD")
    assert not User.objects.filter(username="half.made").exists()
    assert not AuditEntry.objects.filter(object_repr="half.made").exists()


def test_the_user_list_shows_roles(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("user", "add", "listed.nld", "--nation", "NLD", "--password", GOOD)
    call_command("user", "grant", "listed.nld", "--role", "editor", "--scope", "NLD")
    capsys.readouterr()
    call_command("user", "list")
    rows = {row["username"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["listed.nld"]["roles"] == [{"role": "editor", "scope": "NLD"}]
