"""RFC 9162 Merkle trees (``core.merkle``): roots, inclusion and consistency proofs, sizes 1..64.

Each proof from the RFC's recursive definitions must pass the RFC's step-by-step verifiers, and
each must fail once any hash, index or size in it is changed. The roots are held against the
known roots of the Certificate Transparency test tree (RFC 6962's eight test leaves) and against
a brute-force recomputation that builds the tree level by level, and the inclusion paths against
one that walks that tree from the leaf up.
"""

from __future__ import annotations

import hashlib
import random

import pytest

from comity.core import merkle

SIZES = range(1, 65)


def _leaves(n: int) -> list[bytes]:
    return [merkle.leaf_hash(f"entry {i}".encode()) for i in range(n)]


def _levels(leaves: list[bytes]) -> list[list[bytes]]:
    """The tree level by level, bottom up, an odd last node carried up unpaired: RFC 9162's tree
    built iteratively rather than by its recursive split (the two shapes are the same)."""
    levels = [list(leaves)]
    while len(levels[-1]) > 1:
        below = levels[-1]
        above = [merkle.node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)]
        if len(below) % 2:
            above.append(below[-1])
        levels.append(above)
    return levels


def _brute_path(index: int, leaves: list[bytes]) -> list[bytes]:
    """The inclusion path read off the level-by-level tree: each level's sibling, if any."""
    path = []
    for level in _levels(leaves)[:-1]:
        sibling = index ^ 1
        if sibling < len(level):
            path.append(level[sibling])
        index //= 2
    return path


def test_the_certificate_transparency_test_tree_has_its_published_roots() -> None:
    """The eight leaves of RFC 6962's reference tests and the root of each prefix."""
    data = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
    roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
    leaves = [merkle.leaf_hash(bytes.fromhex(item)) for item in data]
    assert [merkle.root(leaves[:n]).hex() for n in range(1, 9)] == roots
    assert merkle.root([]) == hashlib.sha256(b"").digest()


@pytest.mark.parametrize("n", SIZES)
def test_roots_agree_with_the_level_by_level_tree_and_the_frontier(n: int) -> None:
    leaves = _leaves(n)
    frontier = merkle.Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    assert merkle.root(leaves) == _levels(leaves)[-1][0] == frontier.root()
    resumed = merkle.Frontier(frontier.subtrees, frontier.size)
    resumed.append(merkle.leaf_hash(b"next"))
    assert resumed.root() == merkle.root([*leaves, merkle.leaf_hash(b"next")])


@pytest.mark.parametrize("n", SIZES)
def test_every_inclusion_proof_verifies_and_no_altered_one_does(n: int) -> None:
    leaves, rng = _leaves(n), random.Random(n)
    root = merkle.root(leaves)
    for index in range(n):
        path = merkle.inclusion_proof(index, leaves)
        assert path == _brute_path(index, leaves)
        assert merkle.verify_inclusion(index, n, leaves[index], path, root)
        assert not merkle.verify_inclusion(index, n, merkle.leaf_hash(b"forged"), path, root)
        assert not merkle.verify_inclusion(n, n, leaves[index], path, root)
        if path:
            bad = list(path)
            bad[rng.randrange(len(bad))] = merkle.leaf_hash(b"x")
            assert not merkle.verify_inclusion(index, n, leaves[index], bad, root)
            assert not merkle.verify_inclusion(index, n, leaves[index], path[:-1], root)
            assert not merkle.verify_inclusion(index, n, leaves[index], [*path, root], root)
            other = rng.choice([i for i in range(n) if i != index])
            assert not merkle.verify_inclusion(other, n, leaves[index], path, root)


@pytest.mark.parametrize("n", SIZES)
def test_every_consistency_proof_verifies_and_no_altered_one_does(n: int) -> None:
    leaves, rng = _leaves(n), random.Random(1000 + n)
    second = merkle.root(leaves)
    for m in range(1, n + 1):
        first = merkle.root(leaves[:m])
        path = merkle.consistency_proof(m, leaves)
        assert merkle.verify_consistency(m, n, first, second, path)
        assert not merkle.verify_consistency(m, n, merkle.leaf_hash(b"old"), second, path)
        assert not merkle.verify_consistency(m, n, first, merkle.leaf_hash(b"new"), path)
        if m < n:
            assert path, "the RFC's proof between different sizes is never empty"
            bad = list(path)
            bad[rng.randrange(len(bad))] = merkle.leaf_hash(b"x")
            assert not merkle.verify_consistency(m, n, first, second, bad)
            assert not merkle.verify_consistency(m, n, first, second, path[:-1])
            # A log that rewrote one of the first m entries is not consistent with the old head.
            rewritten = list(leaves)
            rewritten[rng.randrange(m)] = merkle.leaf_hash(b"rewritten")
            forged = merkle.consistency_proof(m, rewritten)
            assert not merkle.verify_consistency(m, n, first, merkle.root(rewritten), forged)


def test_proofs_refuse_positions_outside_the_tree() -> None:
    leaves = _leaves(5)
    with pytest.raises(ValueError, match="not in a tree of 5"):
        merkle.inclusion_proof(5, leaves)
    with pytest.raises(ValueError, match="no consistency proof"):
        merkle.consistency_proof(0, leaves)
    with pytest.raises(ValueError, match="one subtree root per set bit"):
        merkle.Frontier([], 3)
    assert not merkle.verify_consistency(0, 0, merkle.root([]), merkle.root([]), [])
