"""Published anchors of the audit chain's head, and the Merkle commitment to a round's ballots.

- audit_anchor: every signed anchor the platform published (the document as handed out,
  with its sequence number, head hash, reason, round and time); due_key makes each
  occasion (a phase, a result, a day of voting) anchored once.
- ballot_commitment: per round, the root and size of the Merkle tree over its counted
  ballots at close, and the audit event that records it.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_anchor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("due_key", sa.String(length=160), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_anchor")),
        sa.UniqueConstraint("due_key", name=op.f("uq_audit_anchor_due_key")),
    )
    with op.batch_alter_table("audit_anchor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_anchor_round_id"), ["round_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_anchor_published_at"), ["published_at"], unique=False)
    op.create_table(
        "ballot_commitment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("root", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("committed_at", sa.DateTime(), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"], ["round.id"], name=op.f("fk_ballot_commitment_round_id_round"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballot_commitment")),
        sa.UniqueConstraint("round_id", name=op.f("uq_ballot_commitment_round_id")),
    )


def downgrade():
    op.drop_table("ballot_commitment")
    with op.batch_alter_table("audit_anchor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_anchor_published_at"))
        batch_op.drop_index(batch_op.f("ix_audit_anchor_round_id"))
    op.drop_table("audit_anchor")
