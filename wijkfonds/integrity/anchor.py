"""Anchors of the audit chain: its head (sequence number, hash, time) in a small JSON document
signed with the installation's Ed25519 key.

The database holds the chain; an anchor holds its head *outside* it (a public page that
anyone can archive, the auditor's exports, a file). Once an anchor is out, the events up to
its sequence number cannot be deleted, reordered, or rewritten with recomputed hashes
without the chain failing to contain the anchored head.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)

KIND = "wijkfonds-audit-anchor"
VERSION = 1
SIGNED_FIELDS = ("kind", "version", "installation", "seq", "hash", "time", "reason")


def _signed_bytes(doc: dict[str, Any]) -> bytes:
    body = {k: doc.get(k) for k in SIGNED_FIELDS}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The public key as base64 of its 32 raw bytes (what pages and exports show)."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return base64.b64encode(public.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode("ascii")


def load_public_key(text: str) -> Ed25519PublicKey:
    """A public key from its base64 text; ValueError when it is not one."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (ValueError, TypeError) as err:
        raise ValueError(f"not an Ed25519 public key: {text!r}") from err


def new_key() -> Ed25519PrivateKey:
    """A fresh installation key."""
    return Ed25519PrivateKey.generate()


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    """The private key as unencrypted PKCS #8 PEM (for a file only its owner may read)."""
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())


def load_private_key_pem(data: bytes) -> Ed25519PrivateKey:
    """A private key from PEM; ValueError when it is not an Ed25519 private key."""
    try:
        key = load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as err:
        raise ValueError(f"not a PEM private key ({err})") from err
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"not an Ed25519 key but {type(key).__name__}")
    return key


def make(
    key: Ed25519PrivateKey, *, installation: str, seq: int, head_hash: str, time: str, reason: str
) -> dict[str, Any]:
    """A signed anchor document."""
    doc: dict[str, Any] = {
        "kind": KIND,
        "version": VERSION,
        "installation": installation,
        "seq": seq,
        "hash": head_hash,
        "time": time,
        "reason": reason,
    }
    doc["public_key"] = public_key_text(key)
    doc["signature"] = base64.b64encode(key.sign(_signed_bytes(doc))).decode("ascii")
    return doc


def signature_problems(doc: dict[str, Any], trusted_key: str | None = None) -> list[str]:
    """Why the document is not a validly signed anchor (empty when it is).

    With ``trusted_key`` (the installation's published public key) the anchor must be
    signed by that key; without it, by the key the document names.
    """
    if not isinstance(doc, dict) or doc.get("kind") != KIND:
        return ["not a Wijkfonds audit anchor (kind is missing or wrong)"]
    if not isinstance(doc.get("seq"), int) or not isinstance(doc.get("hash"), str):
        return ["the anchor has no sequence number or hash"]
    named = doc.get("public_key")
    if trusted_key is not None and named != trusted_key.strip():
        return [f"signed by another key ({named}) than the installation's ({trusted_key.strip()})"]
    try:
        public = load_public_key(str(named))
        public.verify(base64.b64decode(str(doc.get("signature", "")), validate=True), _signed_bytes(doc))
    except (ValueError, InvalidSignature):
        return ["the signature does not match the anchor (it was changed or signed by another key)"]
    return []


def chain_problems(doc: dict[str, Any], recomputed: dict[int, str], length: int) -> list[str]:
    """Whether a chain whose events were recomputed to ``recomputed`` (seq -> hash) and has
    ``length`` events still contains the anchored head."""
    seq, expected = doc["seq"], doc["hash"]
    if seq > length:
        return [
            f"anchor of event {seq} ({doc.get('time')}): the chain has only {length} events "
            "(events were deleted since the anchor)"
        ]
    got = recomputed.get(seq)
    if got is None:
        return [f"anchor of event {seq} ({doc.get('time')}): the chain has no event {seq} (events were deleted)"]
    if got != expected:
        return [
            f"anchor of event {seq} ({doc.get('time')}): the chain's event {seq} hashes to {got}, "
            f"not to the anchored {expected} (events were rewritten, inserted or deleted before it)"
        ]
    return []


def read_documents(texts: Iterable[tuple[str, str]]) -> list[tuple[str, dict[str, Any]]]:
    """(name, document) for each (name, text): a file holds one anchor or a JSON list of them.

    ValueError names the file when it is not JSON.
    """
    found: list[tuple[str, dict[str, Any]]] = []
    for name, text in texts:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ValueError(f"{name}: line {err.lineno}: not JSON ({err.msg})") from err
        items = data if isinstance(data, list) else [data]
        found.extend((name, item) for item in items)
    return found
