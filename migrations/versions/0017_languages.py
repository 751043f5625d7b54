"""Languages: translations of plans, needs and comments; the languages of a district's code letters.

content_translation holds one language's version of one plan, need or comment (kind +
object id, no foreign key: one table for every kind); district.letter_languages lists the
languages that the voting-code letters of a district repeat their key sentence in. The
translator role is a new value of user.role (a string column): no schema change.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "content_translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("translator_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("hidden_at", sa.DateTime(), nullable=True),
        sa.Column("hidden_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["translator_id"], ["user.id"], name=op.f("fk_content_translation_translator_id_user")
        ),
        sa.ForeignKeyConstraint(["hidden_by_id"], ["user.id"], name=op.f("fk_content_translation_hidden_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_translation")),
        sa.UniqueConstraint("kind", "object_id", "language", name=op.f("uq_content_translation_kind_object_id_language")),
    )
    op.create_index("ix_content_translation_translator_id", "content_translation", ["translator_id"])
    with op.batch_alter_table("district") as batch:
        batch.add_column(sa.Column("letter_languages", sa.String(length=64), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("district") as batch:
        batch.drop_column("letter_languages")
    op.drop_index("ix_content_translation_translator_id", table_name="content_translation")
    op.drop_table("content_translation")
