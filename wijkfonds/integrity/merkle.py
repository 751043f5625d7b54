"""Merkle commitments of ballots (the tree hash and audit paths of RFC 6962, section 2.1).

A leaf is one counted ballot: the hash of its receipt code (never the code itself, never
anything that names a person) and its content (district, the chosen plans and their
points). Leaves are ordered by receipt hash, so the tree does not depend on the order in
which ballots were stored. Leaf and node hashes carry different prefixes (0x00, 0x01), so no
leaf can pass for an inner node.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

EMPTY_ROOT = hashlib.sha256(b"").hexdigest()


def canonical(data: Any) -> bytes:
    """The one byte form of a JSON value that every implementation agrees on."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def leaf_data(receipt_hash: str, ballot: dict[str, Any]) -> dict[str, Any]:
    """What a leaf commits to: a receipt hash and the ballot's content."""
    return {"receipt_hash": receipt_hash, "ballot": ballot}


def ballot_content(district_id: int, items: Iterable[tuple[int, int]]) -> dict[str, Any]:
    """A stored ballot's content as a leaf holds it: its district and the chosen plans
    (initiative id and points), sorted by initiative id."""
    chosen = sorted((int(i), int(p)) for i, p in items)
    return {"district_id": int(district_id), "initiatives": [{"id": i, "points": p} for i, p in chosen]}


def placeholder_receipt_hash(round_id: int, ballot_id: int) -> str:
    """The leaf key of a ballot without a receipt (a paper ballot, an imported one).

    Such a ballot is committed like any other, so that the tree's size is the number of
    counted ballots; nobody holds a receipt that leads to it. The prefix keeps it apart
    from the hashes of real receipt codes, which never contain a colon.
    """
    return hashlib.sha256(f"wijkfonds-ballot-without-receipt:{round_id}:{ballot_id}".encode()).hexdigest()


def leaf_hash(data: dict[str, Any]) -> bytes:
    """SHA-256 of 0x00 followed by the canonical JSON of a leaf."""
    return hashlib.sha256(b"\x00" + canonical(data)).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n >= 2)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def _root(hashes: Sequence[bytes]) -> bytes:
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = _split(len(hashes))
    return _node(_root(hashes[:k]), _root(hashes[k:]))


def root(leaves: Sequence[bytes]) -> str:
    """The tree hash (hex) of leaf hashes in their order."""
    return _root(leaves).hex()


def _path(hashes: Sequence[bytes], index: int) -> list[bytes]:
    if len(hashes) <= 1:
        return []
    k = _split(len(hashes))
    if index < k:
        return [*_path(hashes[:k], index), _root(hashes[k:])]
    return [*_path(hashes[k:], index - k), _root(hashes[:k])]


def audit_path(leaves: Sequence[bytes], index: int) -> list[str]:
    """The hashes (hex) that lead from leaf ``index`` to the root."""
    if not 0 <= index < len(leaves):
        raise IndexError(f"leaf {index} is not in a tree of {len(leaves)}")
    return [h.hex() for h in _path(leaves, index)]


def root_from_path(leaf: bytes, index: int, size: int, path: Sequence[str]) -> str:
    """The root that a leaf at ``index`` of a tree of ``size`` leaves and its path lead to."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    hashes = [bytes.fromhex(h) for h in path]

    def walk(index: int, size: int, hashes: list[bytes]) -> bytes:
        if size == 1:
            if hashes:
                raise ValueError("the path is longer than the tree is deep")
            return leaf
        if not hashes:
            raise ValueError("the path is shorter than the tree is deep")
        k = _split(size)
        *inner, sibling = hashes
        if index < k:
            return _node(walk(index, k, inner), sibling)
        return _node(sibling, walk(index - k, size - k, inner))

    return walk(index, size, hashes).hex()


@dataclass(frozen=True)
class Tree:
    """A built tree: leaf data in order, their hashes, and the root."""

    leaves: tuple[dict[str, Any], ...]
    hashes: tuple[bytes, ...]
    root: str

    def index_of(self, receipt_hash: str) -> int | None:
        """The position of the leaf with this receipt hash, if any."""
        for i, leaf in enumerate(self.leaves):
            if leaf["receipt_hash"] == receipt_hash:
                return i
        return None

    def proof(self, index: int, *, round_id: int | None = None) -> dict[str, Any]:
        """A self-contained inclusion proof, as the receipt page hands it out."""
        return {
            "kind": "wijkfonds-ballot-proof",
            "version": 1,
            "round_id": round_id,
            "leaf": self.leaves[index],
            "index": index,
            "size": len(self.leaves),
            "path": audit_path(self.hashes, index),
            "root": self.root,
        }


def build(leaves: Sequence[dict[str, Any]]) -> Tree:
    """The tree over leaf data, ordered by receipt hash."""
    ordered = tuple(sorted(leaves, key=lambda leaf: str(leaf["receipt_hash"])))
    hashes = tuple(leaf_hash(leaf) for leaf in ordered)
    return Tree(ordered, hashes, root(hashes))


def verify_proof(proof: dict[str, Any], expected_root: str | None = None) -> list[str]:
    """Problems with a proof (empty when it holds): its path must lead to its root, and
    that root must be ``expected_root`` (the published one) when given."""
    try:
        leaf = leaf_hash(proof["leaf"])
        got = root_from_path(leaf, int(proof["index"]), int(proof["size"]), list(proof["path"]))
    except (KeyError, TypeError, ValueError) as err:
        return [f"not a valid proof: {err}"]
    problems = []
    if got != proof.get("root"):
        problems.append(f"the path leads to {got}, not to the proof's root {proof.get('root')}")
    if expected_root is not None and got != expected_root.strip().lower():
        problems.append(f"the path leads to {got}, not to the published root {expected_root}")
    return problems
