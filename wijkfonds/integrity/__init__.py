"""Integrity primitives an auditor can run without the platform: a pure library (no Flask,
no SQLAlchemy), like ``wijkfonds.allocation``.

- ``merkle``: the commitment to a round's ballots at close (RFC 6962 Merkle tree hashes),
  with inclusion proofs that a voter can check offline against the published root.
- ``anchor``: Ed25519-signed anchors of the audit chain's head, and their verification.

``python -m wijkfonds.integrity --help`` verifies proofs and anchors from files.
"""
