"""Merkle commitments of ballots: every leaf's proof leads to the root, nothing else does."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from wijkfonds.integrity import merkle


def _leaves(n: int) -> list[dict]:
    return [
        merkle.leaf_data(hashlib.sha256(str(i).encode()).hexdigest(), {"district": "West", "initiatives": [i, i + 1]})
        for i in range(n)
    ]


def _reference_root(hashes: list[bytes]) -> bytes:
    """RFC 6962's definition written out once more, independently of the module's helpers."""
    n = len(hashes)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashes[0]
    k = 1 << ((n - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + _reference_root(hashes[:k]) + _reference_root(hashes[k:])).digest()


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=70))
def test_every_leaf_proves_its_inclusion_and_a_changed_ballot_does_not(n: int) -> None:
    tree = merkle.build(_leaves(n))
    assert tree.root == _reference_root(list(tree.hashes)).hex()
    for i in range(n):
        proof = tree.proof(i)
        assert merkle.verify_proof(proof, tree.root) == []
        changed = json.loads(json.dumps(proof))
        changed["leaf"]["ballot"]["initiatives"] = [*changed["leaf"]["ballot"]["initiatives"], 999]
        assert merkle.verify_proof(changed, tree.root)
        if n > 1:
            moved = dict(proof, index=(i + 1) % n)
            assert merkle.verify_proof(moved, tree.root)


def test_order_of_storing_does_not_matter_and_roots_differ_with_content() -> None:
    leaves = _leaves(9)
    assert merkle.build(leaves).root == merkle.build(list(reversed(leaves))).root
    assert merkle.build(leaves).root != merkle.build(leaves[:8]).root
    assert merkle.build([]).root == merkle.EMPTY_ROOT


def test_a_proof_against_another_published_root_fails() -> None:
    tree = merkle.build(_leaves(5))
    other = merkle.build(_leaves(6))
    assert merkle.verify_proof(tree.proof(2), other.root)
    assert merkle.verify_proof({"leaf": {}, "index": "x"}) != []


def test_the_command_line_checks_a_proof_offline(tmp_path) -> None:
    tree = merkle.build(_leaves(7))
    good = tmp_path / "proof.json"
    good.write_text(json.dumps(tree.proof(3)))
    run = [sys.executable, "-m", "wijkfonds.integrity", "proof", str(good), "--root", tree.root]
    ok = subprocess.run(run, capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and "included" in ok.stdout
    bad = tree.proof(3)
    bad["leaf"]["ballot"]["initiatives"] = [1]
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    run[4] = str(tmp_path / "bad.json")
    refused = subprocess.run(run, capture_output=True, text=True, check=False)
    assert refused.returncode == 1 and "not to" in refused.stderr
    (tmp_path / "junk.json").write_text("{nope")
    run[4] = str(tmp_path / "junk.json")
    junk = subprocess.run(run, capture_output=True, text=True, check=False)
    assert junk.returncode == 1 and "line 1" in junk.stderr


def test_ballot_content_is_canonical_and_placeholders_are_apart_from_receipts() -> None:
    one = merkle.ballot_content(3, [(12, 1), (5, 1)])
    assert one == {"district_id": 3, "initiatives": [{"id": 5, "points": 1}, {"id": 12, "points": 1}]}
    assert merkle.leaf_hash(merkle.leaf_data("r", one)) == merkle.leaf_hash(
        merkle.leaf_data("r", merkle.ballot_content(3, [(5, 1), (12, 1)]))
    )
    assert merkle.placeholder_receipt_hash(1, 2) != merkle.placeholder_receipt_hash(2, 1)
    assert len(merkle.placeholder_receipt_hash(1, 2)) == 64
