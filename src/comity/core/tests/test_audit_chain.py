"""The change log's hash chain: every edit, deletion, reordering, insertion and truncation made
directly in the database is found, and ``first_bad`` names the entry where it shows.

The reference data's change log (several hundred entries) is the log under attack; each case
tampers inside a savepoint that is rolled back, so the cases do not see each other's damage. The
positions are drawn from a seeded random generator: 60 cases per run, the same ones every run.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import F

from comity.core.audit_chain import GENESIS, entry_bytes, hash_hex
from comity.core.audit_heads import heads_export, tree_head_sign
from comity.core.audit_verify import verify
from comity.core.labels import label_from_marking, public_label
from comity.core.models import AuditEntry, AuditHead, TreeHead
from comity.core.testing.factories import make_user
from comity.registry.models import State
from comity.registry.services import country_note_create, country_note_update

pytestmark = pytest.mark.django_db

CASES = 12  # per kind of tampering; five kinds


def _ids_by_seq() -> dict[int, int]:
    return dict(AuditEntry.objects.values_list("seq", "pk"))


def _tampered(change: Callable[[], Any]) -> dict[str, Any]:
    """``verify``'s report after ``change``, which is then rolled back."""
    with transaction.atomic():
        change()
        report = verify()
        transaction.set_rollback(True)
    return report


@pytest.fixture
def log() -> dict[int, int]:
    """A log of at least 60 entries that verifies (the reference data's, plus a few of our own)."""
    author = make_user("NLD", "SECRET", username="chain-author", roles=("editor",))
    note = country_note_create(
        acting_user=author, state=State.objects.get(iso3="EST"), title="t", body="b", label=public_label()
    )
    for n in range(3):
        country_note_update(acting_user=author, note=note, title=f"t{n} <script>", body='ü\n"quoted"')
    assert verify() == {"entries": AuditEntry.objects.count(), "ok": True, "heads_checked": 0}
    ids = _ids_by_seq()
    assert len(ids) >= 60
    return ids


FIELDS: list[tuple[str, Callable[[AuditEntry], Any]]] = [
    ("object_repr", lambda e: e.object_repr + " "),
    ("username", lambda e: "someone-else"),
    ("action", lambda e: "delete" if e.action != "delete" else "create"),
    ("object_id", lambda e: e.object_id + "0"),
    ("after", lambda e: {**(e.after or {}), "forged": True}),
    ("before", lambda e: {"forged": 1}),
    ("prev_hash", lambda e: "f" * 64),
    ("entry_hash", lambda e: "e" * 64),
    ("label_at_write", lambda e: e.label_at_write + 1),
]


def test_an_edit_of_any_field_is_found_at_that_entry(log: dict[int, int]) -> None:
    rng = random.Random(15)
    for case in range(CASES):
        seq = rng.randrange(1, len(log) + 1)
        field, new = FIELDS[case % len(FIELDS)]
        entry = AuditEntry.objects.get(seq=seq)
        change = {field: new(entry)}
        report = _tampered(lambda entry=entry, change=change: AuditEntry.objects.filter(pk=entry.pk).update(**change))
        assert report["ok"] is False, (field, seq)
        assert report["first_bad"]["id"] == entry.pk and report["first_bad"]["seq"] == seq, (field, report)


def test_an_edit_of_the_time_in_raw_sql_is_found() -> None:
    entry = AuditEntry.objects.order_by("seq")[3]
    table = connection.ops.quote_name(AuditEntry._meta.db_table)

    def shift() -> None:
        with connection.cursor() as cursor:
            moved = entry.time.replace(microsecond=(entry.time.microsecond + 1) % 1_000_000)
            cursor.execute(f"UPDATE {table} SET time = %s WHERE id = %s", [moved, entry.pk])  # noqa: S608

    report = _tampered(shift)
    assert report["first_bad"]["id"] == entry.pk


def test_a_deleted_entry_is_found_where_it_is_missing(log: dict[int, int]) -> None:
    rng = random.Random(16)
    last = len(log)
    for seq in [*(rng.randrange(1, last) for _ in range(CASES - 1)), last]:
        report = _tampered(lambda seq=seq: AuditEntry.objects.filter(seq=seq).delete())
        assert report["ok"] is False
        assert report["first_bad"]["seq"] == seq, report
        # The entry after the gap shows it; a missing last entry shows against the chain head.
        assert report["first_bad"]["id"] == log.get(seq + 1), report


def test_two_entries_swapped_in_order_are_found_at_the_first_place(log: dict[int, int]) -> None:
    rng = random.Random(17)

    def swap(a: int, b: int) -> None:
        AuditEntry.objects.filter(seq=a).update(seq=10**15)
        AuditEntry.objects.filter(seq=b).update(seq=a)
        AuditEntry.objects.filter(seq=10**15).update(seq=b)

    for _ in range(CASES):
        a, b = sorted(rng.sample(range(1, len(log) + 1), 2))
        report = _tampered(lambda a=a, b=b: swap(a, b))
        assert report["first_bad"] == {"id": log[b], "seq": a, "problem": report["first_bad"]["problem"]}


def _shift_up(start: int) -> None:
    """Make room at ``start``: every entry from there moves one place on (two steps, so no two
    entries share a place on the way)."""
    AuditEntry.objects.filter(seq__gte=start).update(seq=F("seq") + 10**12)
    AuditEntry.objects.filter(seq__gte=10**12).update(seq=F("seq") - (10**12 - 1))


def test_an_inserted_entry_is_found_where_it_was_put(log: dict[int, int]) -> None:
    rng = random.Random(18)
    for _ in range(CASES):
        seq = rng.randrange(1, len(log) + 1)
        template = AuditEntry.objects.get(seq=seq)
        made: dict[str, int] = {}

        def insert(seq: int = seq, template: AuditEntry = template, made: dict[str, int] = made) -> None:
            _shift_up(seq)
            # A copy of the entry that was there, saying something else, with its hashes copied.
            template.pk, template.seq, template.object_repr = None, seq, "inserted"
            AuditEntry.objects.bulk_create([template])
            made["id"] = AuditEntry.objects.get(seq=seq).pk

        report = _tampered(insert)
        assert report["first_bad"]["seq"] == seq and report["first_bad"]["id"] == made["id"], report


def test_an_entry_forged_with_a_correct_hash_shows_at_the_next_one(log: dict[int, int]) -> None:
    """Whoever knows the format can hash a forged entry, but not the entries after it again
    without rewriting the rest of the log (which the signed heads catch)."""
    seq = len(log) // 2
    template = AuditEntry.objects.get(seq=seq)

    def forge() -> None:
        _shift_up(seq + 1)
        template.pk, template.seq, template.object_repr = None, seq + 1, "forged"
        template.prev_hash = AuditEntry.objects.get(seq=seq).entry_hash
        template.entry_hash = hash_hex(entry_bytes(template, "registry.countrynote"))
        template.content_type_id = (
            AuditEntry._meta.get_field("content_type")
            .related_model.objects.get_by_natural_key("registry", "countrynote")
            .pk
        )
        AuditEntry.objects.bulk_create([template])

    report = _tampered(forge)
    assert report["first_bad"]["seq"] == seq + 2 and report["first_bad"]["id"] == log[seq + 1], report


def test_a_truncated_log_is_found_against_the_chain_head(log: dict[int, int]) -> None:
    rng = random.Random(19)
    for _ in range(CASES):
        keep = rng.randrange(0, len(log))
        report = _tampered(lambda keep=keep: AuditEntry.objects.filter(seq__gt=keep).delete())
        assert report["ok"] is False
        assert report["first_bad"]["id"] is None and report["first_bad"]["seq"] == keep + 1, report


def test_a_truncated_log_with_its_head_moved_back_is_found_against_a_signed_head(log: dict[int, int]) -> None:
    tree_head_sign()
    keep = len(log) - 5

    def cut() -> None:
        AuditEntry.objects.filter(seq__gt=keep).delete()
        AuditHead.objects.update(seq=keep, entry_hash=AuditEntry.objects.get(seq=keep).entry_hash)

    report = _tampered(cut)
    assert report["first_bad"] == {"id": None, "seq": keep + 1, "problem": report["first_bad"]["problem"]}
    assert "stored tree head" in report["first_bad"]["problem"]


def _rewrite_from(seq: int) -> None:
    """What an attacker with the database does: change an entry and hash the chain again from
    there, head row included, and drop the stored heads (or sign new ones with a stolen key)."""
    prev = AuditEntry.objects.get(seq=seq - 1).entry_hash if seq > 1 else GENESIS
    for entry in AuditEntry.objects.filter(seq__gte=seq).order_by("seq").select_related("content_type"):
        if entry.seq == seq:
            entry.object_repr = "rewritten history"
        entry.prev_hash = prev
        ct = entry.content_type
        entry.entry_hash = hash_hex(entry_bytes(entry, f"{ct.app_label}.{ct.model}"))
        AuditEntry.objects.filter(pk=entry.pk).update(
            object_repr=entry.object_repr, prev_hash=prev, entry_hash=entry.entry_hash
        )
        prev = entry.entry_hash
    AuditHead.objects.update(entry_hash=prev)
    TreeHead.objects.all().delete()
    tree_head_sign()


def test_a_rewritten_log_passes_alone_and_fails_against_exported_heads(log: dict[int, int]) -> None:
    middle = len(log) // 2
    # Heads exported at two sizes: half the log (signed while the head row said so), and all of it.
    AuditHead.objects.update(seq=middle, entry_hash=AuditEntry.objects.get(seq=middle).entry_hash)
    tree_head_sign()
    AuditHead.objects.update(seq=len(log), entry_hash=AuditEntry.objects.get(seq=len(log)).entry_hash)
    tree_head_sign()
    exported = json.loads(json.dumps(heads_export()))
    assert [head["tree_size"] for head in exported["heads"]] == [middle, len(log)]
    assert verify(exported)["ok"] is True

    for start, caught_at in ((3, middle), (middle + 1, len(log))):
        with transaction.atomic():
            _rewrite_from(start)
            assert verify()["ok"] is True  # consistent with itself and with the heads it re-signed
            report = verify(exported)
            transaction.set_rollback(True)
        assert report["ok"] is False
        assert report["first_bad"]["seq"] == caught_at and report["first_bad"]["id"] == log[caught_at], report


def test_exported_heads_of_a_longer_log_show_truncation(log: dict[int, int]) -> None:
    tree_head_sign()
    exported = heads_export()
    with transaction.atomic():
        AuditEntry.objects.filter(seq__gt=len(log) - 2).delete()
        AuditHead.objects.update(seq=len(log) - 2, entry_hash=AuditEntry.objects.get(seq=len(log) - 2).entry_hash)
        TreeHead.objects.all().delete()
        assert verify()["ok"] is True
        report = verify(exported)
        transaction.set_rollback(True)
    assert report["first_bad"]["id"] is None and report["first_bad"]["seq"] == len(log) - 1


def test_a_head_with_a_forged_signature_is_a_fault(log: dict[int, int]) -> None:
    tree_head_sign()
    exported = heads_export()
    exported["heads"][0]["root_hash"] = "0" * 64
    assert verify(exported)["ok"] is False
    with pytest.raises(ValueError, match=r"not a comity\.tree-heads/1 document"):
        verify({"format": "something else"})


def test_a_lowered_label_is_found_and_a_raised_history_is_not(log: dict[int, int]) -> None:
    author = make_user("NLD", "SECRET", username="chain-relabel", roles=("editor",))
    note = country_note_create(
        acting_user=author,
        state=State.objects.get(iso3="EST"),
        title="t",
        body="b",
        label=label_from_marking("NATO RESTRICTED REL TO NLD"),
    )
    # Relabelling raises the earlier entries' labels (core.audit._history_follows): allowed.
    country_note_update(acting_user=author, note=note, label=label_from_marking("NATO SECRET REL TO NLD"))
    assert AuditEntry.objects.exclude(label_id=F("label_at_write")).exists()
    assert verify()["ok"] is True
    first = AuditEntry.objects.filter(object_id=str(note.pk), content_type__model="countrynote").order_by("seq")[0]
    report = _tampered(lambda: AuditEntry.objects.filter(pk=first.pk).update(label=public_label()))
    assert report["first_bad"]["id"] == first.pk and "lower" in report["first_bad"]["problem"]


def test_a_head_is_signed_after_the_commit_that_passes_each_mark(
    log: dict[int, int], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.COMITY_AUDIT_HEAD_EVERY = 4
    author = make_user("NLD", "SECRET", username="chain-marks", roles=("editor",))
    note = country_note_create(
        acting_user=author, state=State.objects.get(iso3="EST"), title="t", body="b", label=public_label()
    )
    TreeHead.objects.all().delete()
    for n in range(8):
        with django_capture_on_commit_callbacks(execute=True):
            country_note_update(acting_user=author, note=note, title=f"mark {n}")
    sizes = list(TreeHead.objects.values_list("tree_size", flat=True))
    assert len(sizes) == 2 and all(size % 4 == 0 for size in sizes)
    assert verify()["ok"] is True and verify()["heads_checked"] == 2


def test_the_bulk_path_of_imports_chains_its_entries_too(log: dict[int, int]) -> None:
    from comity.core.audit import audit_create_many

    states = list(State.objects.order_by("pk")[:30])
    audit_create_many(states, acting_user=None)
    assert AuditEntry.objects.count() == len(log) + 30
    assert verify()["ok"] is True
    middle = AuditEntry.objects.get(seq=len(log) + 15)
    report = _tampered(lambda: AuditEntry.objects.filter(pk=middle.pk).update(after={"forged": True}))
    assert report["first_bad"]["id"] == middle.pk


def test_an_entry_appended_past_the_head_by_hand_is_found(log: dict[int, int]) -> None:
    """A forged entry at the end, hashed correctly onto the last one, is outside the head row."""
    last = AuditEntry.objects.select_related("content_type").get(seq=len(log))
    made: dict[str, int] = {}

    def append_by_hand() -> None:
        forged = AuditEntry.objects.get(pk=last.pk)
        forged.pk, forged.seq, forged.prev_hash, forged.object_repr = None, last.seq + 1, last.entry_hash, "forged"
        ct = last.content_type
        forged.entry_hash = hash_hex(entry_bytes(forged, f"{ct.app_label}.{ct.model}"))
        AuditEntry.objects.bulk_create([forged])
        made["id"] = AuditEntry.objects.get(seq=last.seq + 1).pk

    report = _tampered(append_by_hand)
    assert report["first_bad"] == {"id": made["id"], "seq": last.seq + 1, "problem": report["first_bad"]["problem"]}
