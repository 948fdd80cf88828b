"""Benchmark of comity's seal + bind path against bare ``cryptography`` calls (prints a table; not a test).

    python bench/crypto_bench.py            # 20,000 messages of 4 KiB
    python bench/crypto_bench.py --quick    # 2,000 messages

Each message is encrypted, signed and stored, side by side on the same payloads:

- **comity**: ``seal(payload, aad=...)`` (a fresh data key, wrapped by the master key and written
  as a ``core.DataKey`` row; AES-256-GCM of the payload under it) and ``bind(label, payload)``
  (SHA-256 of the canonical STANAG 4774 label and of the payload, an XML-Signature ``SignedInfo``
  put through exclusive C14N, Ed25519), the messages of a run in one transaction;
- **bare**: ``AESGCM`` under a fresh key and ``Ed25519PrivateKey.sign`` of the payload's SHA-256,
  nothing else: no key wrapping, no key row, no label.

Both then write the blob and the signature to one file per message in a directory of their own,
so the store costs the same on both sides. Printed: messages per second of each and their ratio
(target: comity at least 0.5x the bare calls). The payloads are SYNTHETIC (seeded random text);
a throwaway data directory and SQLite database are made and removed.

Last full run (2-core machine shared with other work): comity 6,708 messages/s, bare 8,903, 0.75x.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import string
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PAYLOAD_BYTES = 4096


def payloads(count: int, seed: int) -> list[bytes]:
    """Seeded printable text, ``PAYLOAD_BYTES`` each (incompressible enough for a cipher not to care)."""
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits + " .,;\n"
    return [("".join(rng.choices(alphabet, k=PAYLOAD_BYTES))).encode() for _ in range(count)]


def _store(directory: Path, index: int, blob: bytes, signature: bytes) -> None:
    (directory / f"{index:07d}").write_bytes(signature + blob)


def comity_path(messages: list[bytes], directory: Path) -> float:
    """Seconds for seal + bind + store of every message, in one transaction."""
    from datetime import UTC, datetime

    from django.db import transaction

    from comity.core.access import CategorySpec, CategoryType, LabelSpec
    from comity.core.crypto.binding import bind, canonical_label
    from comity.core.crypto.envelope import seal
    from comity.core.label_xml import to_element

    rel = CategorySpec("Releasable To", CategoryType.PERMISSIVE, frozenset({"NATO"}))
    label = canonical_label(to_element(LabelSpec("NATO", "RESTRICTED", 2, (rel,), datetime.now(UTC))))
    started = time.perf_counter()
    with transaction.atomic():
        for index, payload in enumerate(messages):
            blob = seal(payload, aad=f"bench.message:{index}".encode())
            _store(directory, index, blob, bind(label, payload).signature)
    return time.perf_counter() - started


def bare_path(messages: list[bytes], directory: Path) -> float:
    """Seconds for AESGCM + Ed25519 + store of every message, with nothing of comity's."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    signer = Ed25519PrivateKey.generate()
    started = time.perf_counter()
    for index, payload in enumerate(messages):
        nonce = os.urandom(12)
        blob = nonce + AESGCM(AESGCM.generate_key(bit_length=256)).encrypt(nonce, payload, b"bench.message:%d" % index)
        _store(directory, index, blob, signer.sign(hashlib.sha256(payload).digest()))
    return time.perf_counter() - started


def measure(count: int, rounds: int) -> list[tuple[str, float]]:
    """Best of ``rounds`` for each path (alternating, so drift hits both alike)."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    messages = payloads(count, seed=4774)
    work = Path(tempfile.mkdtemp(prefix="comity-crypto-bench-"))
    paths: dict[str, Callable[[list[bytes], Path], float]] = {"comity": comity_path, "bare": bare_path}
    best = {name: float("inf") for name in paths}
    try:
        for round_ in range(rounds):
            for name, run in paths.items():
                directory = work / f"{name}-{round_}"
                directory.mkdir()
                best[name] = min(best[name], run(messages, directory))
                shutil.rmtree(directory)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return [(name, count / seconds) for name, seconds in best.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--count", type=int)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    count = args.count or (2_000 if args.quick else 20_000)
    data = tempfile.mkdtemp(prefix="comity-crypto-bench-data-")
    os.environ.update(
        {"COMITY_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "comity.settings.base", "COMITY_DATABASE_URL": ""}
    )
    for name in ("COMITY_MASTER_KEY", "COMITY_PREVIOUS_MASTER_KEYS", "COMITY_SIGNING_KEY"):
        os.environ.pop(name, None)  # the throwaway key file, never an operator's keys
    try:
        rates = dict(measure(count, args.rounds))
    finally:
        shutil.rmtree(data, ignore_errors=True)
    print(f"{count:,} messages of {PAYLOAD_BYTES:,} bytes, best of {args.rounds} rounds\n")
    print(f"{'path':<8} {'messages/s':>12}")
    for name, rate in rates.items():
        print(f"{name:<8} {rate:>12,.0f}")
    print(f"\nratio comity/bare: {rates['comity'] / rates['bare']:.2f}x (target: at least 0.5x)")


if __name__ == "__main__":
    main()
