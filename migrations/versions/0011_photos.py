"""Photos on plans (and, later, on progress updates): one row per uploaded image.

- photo: owner (kind and id), uploader, the content-hash name of the stored files, their
  format and widths, the largest file's size, the alt text, and staff's hiding (when, by
  whom, why); indexed by owner (every page that shows photos) and by digest (the file
  route).

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_kind", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("uploader_id", sa.Integer(), nullable=True),
        sa.Column("digest", sa.String(length=32), nullable=False),
        sa.Column("fmt", sa.String(length=8), nullable=False),
        sa.Column("widths", sa.String(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("alt", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("hidden_at", sa.DateTime(), nullable=True),
        sa.Column("hidden_by_id", sa.Integer(), nullable=True),
        sa.Column("hidden_reason", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["hidden_by_id"], ["user.id"], name=op.f("fk_photo_hidden_by_id_user")),
        sa.ForeignKeyConstraint(["uploader_id"], ["user.id"], name=op.f("fk_photo_uploader_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo")),
    )
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.create_index("ix_photo_owner", ["owner_kind", "owner_id"], unique=False)
        batch_op.create_index("ix_photo_digest", ["digest"], unique=False)


def downgrade():
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.drop_index("ix_photo_digest")
        batch_op.drop_index("ix_photo_owner")
    op.drop_table("photo")
