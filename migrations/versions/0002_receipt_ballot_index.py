"""Index receipts by ballot: changing a ballot supersedes its earlier receipts.

Without it each changed ballot scanned the whole receipt table (0.42 ms per change at
6,000 ballots in the web benchmark, growing with turnout).

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_receipt_ballot_id"), ["ballot_id"], unique=False)


def downgrade():
    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipt_ballot_id"))
