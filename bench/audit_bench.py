"""Benchmark of ``comity audit verify``'s loop against a bare hashlib loop over the same bytes.

    python bench/audit_bench.py            # 1,000,000 entries
    python bench/audit_bench.py --quick    # 10,000 entries (a few seconds)

A throwaway SQLite database (migrated, in a temporary data directory) is filled with a valid
chain of change-log entries by one bulk insert: synthetic entries shaped like comity's (a record
snapshot of a dozen fields after, and before for updates), since the point is the cost per entry,
not their content. Three timings, best of three:

- ``verify``: what ``comity audit verify`` runs, ``verify_rows`` over ``stored_rows()`` (reading the rows
  from SQLite, rebuilding each entry's canonical bytes, hashing, checking the links, building
  the Merkle tree and comparing its root with a tree head every 1,000 entries);
- ``verify in memory``: the same loop over rows already read (the database's share left out);
- ``bare``: ``hashlib.sha256`` over each entry's canonical bytes, prepared beforehand, and nothing else.

The ratio printed is bare time / verify time (1.0: verification costs no more than hashing).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

GOAL = 0.5


def _best(run: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def build(count: int, seed: int) -> tuple[list[bytes], list[Any]]:
    """Fill the change log with ``count`` chained entries; returns their canonical bytes and a
    tree head every 1,000 entries (``COMITY_AUDIT_HEAD_EVERY``'s default), as verification meets
    them in a log that has been running."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from comity.core import merkle
    from comity.core.audit_chain import GENESIS, canonical_bytes, canonical_json, hash_hex, head_every, time_text
    from comity.core.audit_verify import Head
    from comity.core.labels import public_label
    from comity.core.models import AuditEntry, AuditHead

    AuditEntry.objects.all().delete()  # loading the policies wrote a few; the bench's chain starts afresh
    rng = random.Random(seed)
    label = public_label().pk
    kinds = [(ct.pk, f"{ct.app_label}.{ct.model}") for ct in ContentType.objects.all()[:8]]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    prev, blobs, rows, heads, frontier = GENESIS, [], [], [], merkle.Frontier()
    for seq in range(1, count + 1):
        ct_id, ct_name = rng.choice(kinds)
        after = {
            "id": seq,
            "title": f"Exercise {rng.randrange(10**6)}",
            "kind": "exercise",
            "start": "2026-05-01",
            "end": "2026-05-14",
            "status": rng.choice(["planned", "ongoing", "completed"]),
            "owner": rng.choice(["NLD", "FIN", "NATO"]),
            "label_id": label,
            "lead_id": rng.randrange(200),
            "summary": "Live exercise with allied and partner forces",
            "participants": rng.randrange(40),
            "updated": "2026-04-01T10:00:00Z",
        }
        before = {**after, "status": "planned"} if seq % 3 else None
        moment = start + timedelta(seconds=seq, microseconds=rng.randrange(10**6))
        before_text = None if before is None else canonical_json(before)
        after_text = canonical_json(after)
        data = canonical_bytes(
            seq=seq,
            time=time_text(moment),
            username="bench.user",
            action="update" if before else "create",
            content_type=ct_name,
            object_id=str(seq),
            object_repr=after["title"],
            before=before_text or "null",
            after=after_text,
            label_id=label,
            prev_hash=prev,
        )
        digest = hash_hex(data)
        action = "update" if before else "create"
        head = (label, "", moment, "bench.user", action, ct_id, str(seq), after["title"])
        rows.append((*head, before_text, after_text, seq, label, prev, digest))
        blobs.append(data)
        prev = digest
        frontier.append(bytes.fromhex(digest))
        if seq % head_every() == 0:
            heads.append(Head(seq, frontier.root().hex(), f"head {seq}"))
    columns = (
        "label_id, owner, time, username, action, content_type_id, object_id, object_repr, before, after, seq, "
        "label_at_write, prev_hash, entry_hash"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        marks = ", ".join(["%s"] * 14)
        cursor.executemany(f"INSERT INTO core_auditentry ({columns}) VALUES ({marks})", rows)  # noqa: S608
        AuditHead.objects.update_or_create(pk=1, defaults={"seq": count, "entry_hash": prev})
    return blobs, heads


def measure(count: int, repeats: int) -> dict[str, float]:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from comity.core.audit_chain import content_type_names
    from comity.core.audit_verify import stored_rows, verify, verify_rows
    from comity.core.services import policies_load

    policies_load(acting_user=None)
    blobs, heads = build(count, seed=15)
    names = content_type_names()
    assert verify()["ok"], "the bench's chain must verify"
    in_memory = list(stored_rows())

    def bare() -> None:
        sha256 = hashlib.sha256
        for blob in blobs:
            sha256(b"\x00" + blob).digest()

    return {
        "entries": count,
        "verify_s": _best(lambda: verify_rows(stored_rows(), names, heads), repeats),
        "in_memory_s": _best(lambda: verify_rows(in_memory, names, heads), repeats),
        "bare_s": _best(bare, repeats),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 entries instead of 1,000,000")
    args = parser.parse_args()
    count = 10_000 if args.quick else 1_000_000
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["DJANGO_SETTINGS_MODULE"] = "comity.settings.base"
        os.environ["COMITY_DATA_DIR"] = data_dir
        os.environ["COMITY_DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
        result = measure(count, repeats=3)
    per = 1e6 / result["entries"]
    print(f"entries: {result['entries']:,}")
    print(f"verify (SQLite + loop): {result['verify_s']:.3f} s  ({result['verify_s'] * per:.2f} us/entry)")
    print(f"verify loop in memory:  {result['in_memory_s']:.3f} s  ({result['in_memory_s'] * per:.2f} us/entry)")
    print(f"bare hashlib loop:      {result['bare_s']:.3f} s  ({result['bare_s'] * per:.2f} us/entry)")
    print(
        f"ratio bare/verify: {result['bare_s'] / result['verify_s']:.2f}x (in memory: "
        f"{result['bare_s'] / result['in_memory_s']:.2f}x); goal >= {GOAL}x"
    )


if __name__ == "__main__":
    main()
