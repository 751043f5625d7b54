"""Following plans and notifications (issue 13).

- user.language: the language of the mail sent to the account ("nl" for existing ones);
- plan_follow: an account's explicit follow (or unfollow) of one plan;
- notification_settings: one row per account that changed a switch (no row: the defaults);
- notification_pending: events waiting for an account's daily digest;
- notification_mark: notices that go once (a plan's threshold, voting opened per district).

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), server_default="nl", nullable=False))

    op.create_table(
        "plan_follow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("following", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_plan_follow_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_plan_follow_user_id_user"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_follow")),
        sa.UniqueConstraint("user_id", "initiative_id", name=op.f("uq_plan_follow_user_id_initiative_id")),
    )
    with op.batch_alter_table("plan_follow", schema=None) as batch_op:
        batch_op.create_index("ix_plan_follow_initiative", ["initiative_id"], unique=False)

    op.create_table(
        "notification_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("delivery", sa.String(length=8), nullable=False),
        sa.Column("follow_own", sa.Boolean(), nullable=False),
        sa.Column("follow_supported", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Boolean(), nullable=False),
        sa.Column("threshold", sa.Boolean(), nullable=False),
        sa.Column("review", sa.Boolean(), nullable=False),
        sa.Column("voting_open", sa.Boolean(), nullable=False),
        sa.Column("result", sa.Boolean(), nullable=False),
        sa.Column("plan_update", sa.Boolean(), nullable=False),
        sa.Column("last_digest_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_notification_settings_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_settings")),
    )

    op.create_table(
        "notification_pending",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_notification_pending_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_pending")),
    )
    with op.batch_alter_table("notification_pending", schema=None) as batch_op:
        batch_op.create_index("ix_notification_pending_user_id", ["user_id", "id"], unique=False)

    op.create_table(
        "notification_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_mark")),
        sa.UniqueConstraint("key", name=op.f("uq_notification_mark_key")),
    )


def downgrade():
    op.drop_table("notification_mark")
    with op.batch_alter_table("notification_pending", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_pending_user_id")
    op.drop_table("notification_pending")
    op.drop_table("notification_settings")
    with op.batch_alter_table("plan_follow", schema=None) as batch_op:
        batch_op.drop_index("ix_plan_follow_initiative")
    op.drop_table("plan_follow")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("language")
