"""Needs and stories: the board of residents' needs, all year, per district.

- need: a need or short story (district, building block or none for "weet ik niet", one of
  the five functions or none, title, text, anonymity towards other residents, who typed it
  and whether staff posted it on a resident's behalf), and staff's hiding.
- need_recognition: one "herkenbaar" per account and need (unique).
- need_reply: neighbours' replies, hidden by staff like comments.
- need_response: staff's public answers (picked up, referred to, taken into a theme).
- need_report: residents flag a need or a reply for the moderators.
- initiative_need: the needs a plan answers.

Revision ID: 0016
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "need",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("block_id", sa.Integer(), nullable=True),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("hidden_at", sa.DateTime(), nullable=True),
        sa.Column("hidden_by_id", sa.Integer(), nullable=True),
        sa.Column("hidden_reason", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"], name=op.f("fk_need_author_id_user")),
        sa.ForeignKeyConstraint(["block_id"], ["building_block.id"], name=op.f("fk_need_block_id_building_block")),
        sa.ForeignKeyConstraint(["district_id"], ["district.id"], name=op.f("fk_need_district_id_district")),
        sa.ForeignKeyConstraint(["hidden_by_id"], ["user.id"], name=op.f("fk_need_hidden_by_id_user")),
        sa.ForeignKeyConstraint(["theme_id"], ["theme.id"], name=op.f("fk_need_theme_id_theme")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need")),
    )
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.create_index("ix_need_district_created", ["district_id", "created_at"], unique=False)
    op.create_table(
        "need_recognition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["need_id"], ["need.id"], name=op.f("fk_need_recognition_need_id_need"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_need_recognition_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_recognition")),
        sa.UniqueConstraint("need_id", "user_id", name="uq_need_recognition_need_id_user_id"),
    )
    op.create_table(
        "need_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("hidden_at", sa.DateTime(), nullable=True),
        sa.Column("hidden_by_id", sa.Integer(), nullable=True),
        sa.Column("hidden_reason", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"], name=op.f("fk_need_reply_author_id_user")),
        sa.ForeignKeyConstraint(["hidden_by_id"], ["user.id"], name=op.f("fk_need_reply_hidden_by_id_user")),
        sa.ForeignKeyConstraint(["need_id"], ["need.id"], name=op.f("fk_need_reply_need_id_need"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_reply")),
    )
    with op.batch_alter_table("need_reply", schema=None) as batch_op:
        batch_op.create_index("ix_need_reply_need", ["need_id"], unique=False)
    op.create_table(
        "need_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"], name=op.f("fk_need_response_author_id_user")),
        sa.ForeignKeyConstraint(
            ["need_id"], ["need.id"], name=op.f("fk_need_response_need_id_need"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["round.id"], name=op.f("fk_need_response_round_id_round"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["theme_id"], ["theme.id"], name=op.f("fk_need_response_theme_id_theme")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_response")),
    )
    with op.batch_alter_table("need_response", schema=None) as batch_op:
        batch_op.create_index("ix_need_response_need", ["need_id"], unique=False)
    op.create_table(
        "need_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("reply_id", sa.Integer(), nullable=True),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["need_id"], ["need.id"], name=op.f("fk_need_report_need_id_need"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["reply_id"], ["need_reply.id"], name=op.f("fk_need_report_reply_id_need_reply"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["reporter_id"], ["user.id"], name=op.f("fk_need_report_reporter_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_report")),
    )
    op.create_table(
        "initiative_need",
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_initiative_need_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["need_id"], ["need.id"], name=op.f("fk_initiative_need_need_id_need"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("initiative_id", "need_id", name=op.f("pk_initiative_need")),
    )
    with op.batch_alter_table("initiative_need", schema=None) as batch_op:
        batch_op.create_index("ix_initiative_need_need", ["need_id"], unique=False)


def downgrade():
    with op.batch_alter_table("initiative_need", schema=None) as batch_op:
        batch_op.drop_index("ix_initiative_need_need")
    op.drop_table("initiative_need")
    op.drop_table("need_report")
    with op.batch_alter_table("need_response", schema=None) as batch_op:
        batch_op.drop_index("ix_need_response_need")
    op.drop_table("need_response")
    with op.batch_alter_table("need_reply", schema=None) as batch_op:
        batch_op.drop_index("ix_need_reply_need")
    op.drop_table("need_reply")
    op.drop_table("need_recognition")
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.drop_index("ix_need_district_created")
    op.drop_table("need")
