"""Privacy (AVG): accounts that their owner deleted.

- user.deleted_at: when the owner deleted the account. The row stays as the tombstone that
  kept comments and plans point to; its address, name and password are gone
  (services/accounts/privacy.py).

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("deleted_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("user") as batch:
        batch.drop_column("deleted_at")
