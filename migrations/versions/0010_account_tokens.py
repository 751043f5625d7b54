"""Links sent by mail for accounts: confirm an address, reset a password, change the address.

- account_token: one row per link; the SHA-256 of its random token (unique), its purpose,
  the address it was sent to, when it expires, and when it was used or ended unused.
  Deleted with its account (ON DELETE CASCADE); indexed by (user_id, purpose) to end an
  account's open links, and by expires_at for the clean-up of old rows.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "account_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("voided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_account_token_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_account_token_token_hash")),
    )
    with op.batch_alter_table("account_token", schema=None) as batch_op:
        batch_op.create_index("ix_account_token_user_id_purpose", ["user_id", "purpose"], unique=False)
        batch_op.create_index("ix_account_token_expires_at", ["expires_at"], unique=False)


def downgrade():
    with op.batch_alter_table("account_token", schema=None) as batch_op:
        batch_op.drop_index("ix_account_token_expires_at")
        batch_op.drop_index("ix_account_token_user_id_purpose")
    op.drop_table("account_token")
