"""Signed anchors of the audit chain's head."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from wijkfonds.integrity import anchor


def _doc(key=None, **fields):
    key = key or Ed25519PrivateKey.generate()
    values = {
        "installation": "test",
        "seq": 7,
        "head_hash": "ab" * 32,
        "time": "2026-12-01T10:00:00Z",
        "reason": "daily",
    }
    values.update(fields)
    return key, anchor.make(key, **values)


def test_a_signed_anchor_verifies_and_any_change_breaks_it() -> None:
    key, doc = _doc()
    assert anchor.signature_problems(doc) == []
    assert anchor.signature_problems(doc, anchor.public_key_text(key)) == []
    for field, value in (("seq", 8), ("hash", "cd" * 32), ("time", "2026-12-02T10:00:00Z"), ("reason", "x")):
        assert anchor.signature_problems(dict(doc, **{field: value}))


def test_an_anchor_signed_by_another_key_is_refused_against_the_installations_key() -> None:
    key, _ = _doc()
    _, forged = _doc()
    assert anchor.signature_problems(forged) == []  # valid on its own...
    assert "another key" in anchor.signature_problems(forged, anchor.public_key_text(key))[0]  # ...but not ours


def test_chain_problems_name_deletion_and_rewriting() -> None:
    _, doc = _doc()
    assert anchor.chain_problems(doc, {7: "ab" * 32}, 9) == []
    assert "deleted" in anchor.chain_problems(doc, {}, 5)[0]
    assert "rewritten" in anchor.chain_problems(doc, {7: "ef" * 32}, 9)[0]


def test_a_missing_anchored_event_is_named_and_keys_survive_their_pem_form() -> None:
    key, doc = _doc()
    assert "no event 7" in anchor.chain_problems(doc, {6: "ab" * 32}, 9)[0]
    again = anchor.load_private_key_pem(anchor.private_key_pem(key))
    assert anchor.public_key_text(again) == anchor.public_key_text(key)
    for junk in (b"", b"-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----\n"):
        try:
            anchor.load_private_key_pem(junk)
        except ValueError as err:
            assert "PEM" in str(err)
        else:
            raise AssertionError("junk accepted as a key")
