"""Merkle trees after RFC 9162 (Certificate Transparency 2.0), section 2.1: pure functions.

The tree over the change log lets a verifier who kept one signed tree head (size and root) check
that an entry is in the log (an inclusion proof) and that a later log still begins with the log
it signed (a consistency proof), in ``log2(n)`` hashes each, without reading the rest of the log.

Leaves are given as their *leaf hashes* (``leaf_hash(data)`` = ``SHA-256(0x00 || data)``): the
change log's ``entry_hash`` already is one, so the tree is built over the stored hashes without
hashing the entries a second time. Interior nodes are ``SHA-256(0x01 || left || right)``; the
root of ``n`` leaves splits at ``k``, the largest power of two smaller than ``n`` (§2.1.1), so a
log of any size has one root. The proofs (§2.1.3.1, §2.1.4.1) are the RFC's recursive
definitions, and the verifiers (§2.1.3.2, §2.1.4.2) are its step-by-step algorithms, written out
here; ``core/tests/test_merkle.py`` holds them against a brute-force recomputation for every tree
size from 1 to 64.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

#: MTH({}) : the hash of the empty string (§2.1.1).
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """``SHA-256(0x00 || data)``: the hash of one leaf."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 || left || right)``: the hash of an interior node."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (``n`` > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) by the RFC's recursive definition, over leaf hashes (§2.1.1)."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = _split(len(leaves))
    return node_hash(root(leaves[:k]), root(leaves[k:]))


class Frontier:
    """The root of a growing tree in ``O(log n)`` memory: the roots of its complete subtrees.

    A tree of ``n`` leaves is, left to right, one complete subtree per set bit of ``n``, largest
    first; its root folds them from the right (the RFC's split puts the largest complete subtree
    on the left). Appending a leaf merges equal-sized subtrees like a binary counter, so a pass
    over a million leaves costs one interior hash per leaf and no list of a million hashes.
    """

    def __init__(self, subtrees: Iterable[bytes] = (), size: int = 0) -> None:
        self.subtrees: list[bytes] = list(subtrees)
        self.size = size
        if len(self.subtrees) != self.size.bit_count():
            raise ValueError("a frontier holds one subtree root per set bit of its size")

    def append(self, leaf: bytes) -> None:
        """Add one leaf hash at the right."""
        subtrees, size = self.subtrees, self.size
        while size & 1:
            leaf = node_hash(subtrees.pop(), leaf)
            size >>= 1
        subtrees.append(leaf)
        self.size += 1

    def root(self) -> bytes:
        """MTH of the leaves appended so far."""
        if not self.subtrees:
            return EMPTY_ROOT
        result = self.subtrees[-1]
        for subtree in reversed(self.subtrees[:-1]):
            result = node_hash(subtree, result)
        return result


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) (§2.1.3.1): the hashes that link leaf ``index`` to the root."""
    if not 0 <= index < len(leaves):
        raise ValueError(f"leaf {index} is not in a tree of {len(leaves)}")
    if len(leaves) == 1:
        return []
    k = _split(len(leaves))
    if index < k:
        return [*inclusion_proof(index, leaves[:k]), root(leaves[k:])]
    return [*inclusion_proof(index - k, leaves[k:]), root(leaves[:k])]


def verify_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes], root_hash: bytes) -> bool:
    """Whether ``path`` proves leaf hash ``leaf`` at ``index`` in the tree ``(size, root_hash)``
    (the algorithm of §2.1.3.2, step by step)."""
    if index >= size or index < 0:
        return False
    fn, sn = index, size - 1
    r = leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root_hash


def consistency_proof(first: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) (§2.1.4.1) for ``0 < first <= n``: empty when the sizes are equal."""
    if not 0 < first <= len(leaves):
        raise ValueError(f"no consistency proof from {first} to {len(leaves)} leaves")
    return _subproof(first, leaves, complete=True)


def _subproof(m: int, leaves: Sequence[bytes], *, complete: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) (§2.1.4.1)."""
    n = len(leaves)
    if m == n:
        return [] if complete else [root(leaves)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, leaves[:k], complete=complete), root(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], complete=False), root(leaves[:k])]


def verify_consistency(first: int, second: int, first_hash: bytes, second_hash: bytes, path: Sequence[bytes]) -> bool:
    """Whether ``path`` proves that the tree ``(second, second_hash)`` extends ``(first,
    first_hash)`` (the algorithm of §2.1.4.2, step by step).

    The RFC's algorithm is for ``first < second``; equal sizes are consistent when the proof is
    empty and the roots are the same (what ``consistency_proof`` gives for them).
    """
    if first == second:
        return not path and first_hash == second_hash and first > 0
    if not 0 < first < second or not path:
        return False
    nodes = list(path)
    if first & (first - 1) == 0:  # an exact power of two: the old root is a node of the new tree
        nodes.insert(0, first_hash)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = fh = nodes[0]
    for c in nodes[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            fh = node_hash(c, fh)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            fh = node_hash(fh, c)
        fn >>= 1
        sn >>= 1
    return fr == first_hash and fh == second_hash and sn == 0
