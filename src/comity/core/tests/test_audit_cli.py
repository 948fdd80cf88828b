"""``comity audit verify|heads|prove``: the command-line contracts, to the letter."""

from __future__ import annotations

import json
import stat
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from comity.core import merkle
from comity.core.audit_heads import signature_ok
from comity.core.audit_keys import public_key_from_hex
from comity.core.crypto.providers import FileKeyProvider
from comity.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("audit", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_verify_prints_one_object_and_exits_by_the_result(tmp_path: Path) -> None:
    code, out = _run("verify")
    report = json.loads(out)
    assert code == 0 and report["ok"] is True and report["entries"] == AuditEntry.objects.count()
    victim = AuditEntry.objects.order_by("seq")[10]
    AuditEntry.objects.filter(pk=victim.pk).update(username="mallory")
    code, out = _run("verify")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False and report["first_bad"]["id"] == victim.pk


def test_heads_exports_signed_heads_that_verify_holds_the_log_to(tmp_path: Path) -> None:
    out_file = tmp_path / "heads.json"
    code, _out = _run("heads", "--out", str(out_file))
    document = json.loads(out_file.read_text(encoding="utf-8"))
    assert code == 0 and document["heads"][-1]["tree_size"] == AuditEntry.objects.count()
    public = public_key_from_hex(document["public_key"])
    assert all(signature_ok(public, head) for head in document["heads"])
    assert stat.S_IMODE(FileKeyProvider().path.stat().st_mode) == 0o600
    assert json.loads(_run("verify", "--heads", str(out_file))[1])["ok"] is True
    # The log cut short by one entry, head row and stored heads adjusted: the file still knows.
    from comity.core.models import AuditHead, TreeHead

    last = AuditEntry.objects.order_by("-seq").first()
    assert last is not None
    last.delete()
    AuditHead.objects.update(seq=last.seq - 1, entry_hash=last.prev_hash)
    TreeHead.objects.all().delete()
    assert _run("verify")[0] == 0
    code, out = _run("verify", "--heads", str(out_file))
    assert code == 1 and json.loads(out)["first_bad"]["seq"] == last.seq


def test_prove_prints_an_inclusion_proof_that_verifies_against_the_latest_head() -> None:
    entries = list(AuditEntry.objects.order_by("seq"))
    for entry in (entries[0], entries[len(entries) // 2], entries[-1]):
        proof = json.loads(_run("prove", str(entry.pk))[1])
        assert proof["leaf_index"] == entry.seq - 1 and proof["tree_size"] == len(entries)
        assert merkle.verify_inclusion(
            proof["leaf_index"],
            proof["tree_size"],
            bytes.fromhex(entry.entry_hash),
            [bytes.fromhex(node) for node in proof["path"]],
            bytes.fromhex(proof["root_hash"]),
        )
        assert proof["head"]["root_hash"] == proof["root_hash"]


def test_bad_input_is_an_error_message_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no change-log entry"):
        call_command("audit", "prove", "999999999")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="cannot read tree heads"):
        call_command("audit", "verify", "--heads", str(broken))
    broken.write_text(json.dumps({"format": "comity.tree-heads/1", "heads": [], "public_key": "zz"}), encoding="utf-8")
    with pytest.raises(CommandError, match="public_key"):
        call_command("audit", "verify", "--heads", str(broken))
    with pytest.raises(CommandError, match="cannot read tree heads"):
        call_command("audit", "verify", "--heads", str(tmp_path / "missing.json"))
