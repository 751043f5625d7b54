"""Who may vote per round, confirmed e-mail addresses, and code sessions that can be ended.

- round.voter_access: "code" (letter codes; an account votes only once bound to a code) or
  "account" (accounts with a confirmed address, no letters).
- user.email_confirmed_at: when the address was confirmed (None: not yet).
- voter.access_version: a code holder's sessions carry it; ending access raises it.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("round") as batch:
        batch.add_column(sa.Column("voter_access", sa.String(length=16), nullable=False, server_default="code"))
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("email_confirmed_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("voter") as batch:
        batch.add_column(sa.Column("access_version", sa.Integer(), nullable=False, server_default="1"))


def downgrade():
    with op.batch_alter_table("voter") as batch:
        batch.drop_column("access_version")
    with op.batch_alter_table("user") as batch:
        batch.drop_column("email_confirmed_at")
    with op.batch_alter_table("round") as batch:
        batch.drop_column("voter_access")
