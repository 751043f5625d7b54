"""Translations remember which version of the original they translate.

content_translation.source_hash: the SHA-256 of the translated fields of the original when
the translation was saved (services/translations/content.py, ``fingerprint``). A translation
whose original now gives another hash is of an earlier version: pages show the current
original with a notice, and the translation page marks it to be updated.

Rows from before this migration get the hash of the original as it is now (they are taken
to be current: nothing recorded which version they were made from, and calling every one
stale would put a warning on all of them). Rows whose original is gone keep "".

Revision ID: 0021
Revises: 0018
"""

import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0018"
branch_labels = None
depends_on = None

# kind -> (table, {translation field: column of the original}); as the Sources in content.py.
ORIGINALS = {
    "plan": ("initiative", {"title": "title", "summary": "summary", "text": "description"}),
    "need": ("need", {"title": "title", "text": "body"}),
    "comment": ("comment", {"text": "body"}),
}


def fingerprint(fields):
    """The same hash as services/translations/content.py ``fingerprint`` (tested to agree)."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def upgrade():
    with op.batch_alter_table("content_translation") as batch:
        batch.add_column(sa.Column("source_hash", sa.String(length=64), nullable=False, server_default=""))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, kind, object_id FROM content_translation")).fetchall()
    for row_id, kind, object_id in rows:
        if kind not in ORIGINALS:
            continue
        table, columns = ORIGINALS[kind]
        names = ", ".join(columns.values())
        found = conn.execute(sa.text(f"SELECT {names} FROM {table} WHERE id = :id"), {"id": object_id}).fetchone()
        if found is None:
            continue
        fields = {name: (value or "") for name, value in zip(columns, found, strict=True)}
        conn.execute(
            sa.text("UPDATE content_translation SET source_hash = :h WHERE id = :id"),
            {"h": fingerprint(fields), "id": row_id},
        )


def downgrade():
    with op.batch_alter_table("content_translation") as batch:
        batch.drop_column("source_hash")
