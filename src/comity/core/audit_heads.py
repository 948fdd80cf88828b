"""Signed tree heads of the change log: the Merkle root of the first ``n`` entries, signed.

A head is signed over its canonical form (``head_bytes``: the format name, tree size, root and
time as a compact JSON array) with the data directory's Ed25519 key (``core.audit_keys``). Heads
are made every ``COMITY_AUDIT_HEAD_EVERY`` entries (after the commit that passed the mark) and by
``comity audit heads``; exported to a file kept elsewhere, they let ``comity audit verify --heads``
tell a log rewritten from the start, or cut short, from the one that was signed.
"""

from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import transaction
from django.utils import timezone

from comity.core import merkle
from comity.core.audit_chain import locked_head, time_text
from comity.core.audit_keys import key_id, public_bytes, public_key_from_hex, signing_key
from comity.core.models import AuditEntry, TreeHead

HEAD_FORMAT = "comity.tree-head/1"
EXPORT_FORMAT = "comity.tree-heads/1"


def head_bytes(tree_size: int, root_hash: str, timestamp: str) -> bytes:
    """What a head's signature covers."""
    return f'["{HEAD_FORMAT}",{tree_size},"{root_hash}","{timestamp}"]'.encode("ascii")


def leaves(upto: int, *, after: int = 0) -> list[bytes]:
    """The leaf hashes of entries ``after < seq <= upto``, in order."""
    hashes = (
        AuditEntry.objects.filter(seq__gt=after, seq__lte=upto).order_by("seq").values_list("entry_hash", flat=True)
    )
    return [bytes.fromhex(value) for value in hashes.iterator(chunk_size=5000)]


def tree_head_sign() -> TreeHead | None:
    """Sign a head over the whole log as it is now; ``None`` when the log is empty.

    Extends the last head's frontier with the entries since, so the cost is the new entries, not
    the log. Runs under the chain head's lock, so the size it signs is one every writer agrees on.
    """
    with transaction.atomic():
        size = locked_head().seq
        if size == 0:
            return None
        last = TreeHead.objects.filter(tree_size__lte=size).order_by("-tree_size").first()
        if last is not None and last.tree_size == size:
            return last
        frontier = (
            merkle.Frontier([bytes.fromhex(h) for h in last.frontier], last.tree_size) if last else merkle.Frontier()
        )
        for leaf in leaves(size, after=frontier.size):
            frontier.append(leaf)
        root_hex = frontier.root().hex()
        stamp = timezone.now()
        key = signing_key()
        return TreeHead.objects.create(
            tree_size=size,
            root_hash=root_hex,
            timestamp=stamp,
            signature=key.sign(head_bytes(size, root_hex, time_text(stamp))).hex(),
            key_id=key_id(key.public_key()),
            frontier=[subtree.hex() for subtree in frontier.subtrees],
        )


def head_dict(head: TreeHead) -> dict[str, Any]:
    """A head as exported: size, root, time and signature (hex)."""
    return {
        "tree_size": head.tree_size,
        "root_hash": head.root_hash,
        "timestamp": time_text(head.timestamp),
        "signature": head.signature,
        "key_id": head.key_id,
    }


def heads_export() -> dict[str, Any]:
    """Every signed head with the public key that checks them (what ``comity audit heads`` writes)."""
    public = signing_key().public_key()
    return {
        "format": EXPORT_FORMAT,
        "public_key": public_bytes(public).hex(),
        "key_id": key_id(public),
        "heads": [head_dict(head) for head in TreeHead.objects.order_by("tree_size")],
    }


def signature_ok(public: Ed25519PublicKey, head: dict[str, Any]) -> bool:
    """Whether an exported head's signature is the key's, over its size, root and time."""
    try:
        public.verify(
            bytes.fromhex(head["signature"]), head_bytes(int(head["tree_size"]), head["root_hash"], head["timestamp"])
        )
    except (InvalidSignature, ValueError, KeyError, TypeError):
        return False
    return True


def heads_from_export(document: Any) -> tuple[Ed25519PublicKey, list[dict[str, Any]]]:
    """The key and heads of an exported file; ``ValueError`` for anything else."""
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise ValueError(f"not a {EXPORT_FORMAT} document")
    heads = document.get("heads")
    if not isinstance(heads, list) or not all(isinstance(head, dict) for head in heads):
        raise ValueError("heads must be a list of objects")
    try:
        public = public_key_from_hex(str(document.get("public_key", "")))
    except ValueError as exc:
        raise ValueError("public_key must be a raw Ed25519 key in hex") from exc
    return public, heads


def latest_head_covering(seq: int) -> TreeHead:
    """The latest signed head, signing a new one first when it does not cover entry ``seq``."""
    head = TreeHead.objects.order_by("-tree_size").first()
    if head is None or head.tree_size < seq:
        head = tree_head_sign()
    if head is None or head.tree_size < seq:
        raise ValueError(f"no tree head covers entry seq {seq}")
    return head


def inclusion_proof_for(entry: AuditEntry) -> dict[str, Any]:
    """The proof that ``entry`` is leaf ``seq - 1`` of the tree the latest head signed: the
    leaf, its index, the head (size, root, time, signature) and the path hashes (RFC 9162 §2.1.3)."""
    head = latest_head_covering(entry.seq)
    tree = leaves(head.tree_size)
    path = merkle.inclusion_proof(entry.seq - 1, tree)
    return {
        "entry_id": entry.pk,
        "leaf_index": entry.seq - 1,
        "leaf_hash": entry.entry_hash,
        "tree_size": head.tree_size,
        "root_hash": head.root_hash,
        "head": head_dict(head),
        "path": [node.hex() for node in path],
    }
