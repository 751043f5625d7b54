"""Who is reached: eligible_count, the number of eligible residents per district of a round.

Staff enter it (from the city's figures) to see turnout as a share of it; one row per
round and district where a number was entered.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "eligible_count",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("eligible", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"], ["round.id"], name=op.f("fk_eligible_count_round_id_round"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["district.id"], name=op.f("fk_eligible_count_district_id_district"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("round_id", "district_id", name=op.f("pk_eligible_count")),
    )


def downgrade():
    op.drop_table("eligible_count")
