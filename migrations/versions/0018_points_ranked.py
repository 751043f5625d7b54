"""Points and ranked ballots, and the exact rule's goal, as round settings.

- round.points_total, round.points_min_plans, round.points_max_per_plan: a points ballot
  ("verdeel N punten over minstens k plannen"); ballot_item.points holds each plan's points.
- round.ranked_max: a ranked ballot ("zet maximaal k plannen op volgorde"); ballot_item.position
  holds the rank (0 = first choice) and ballot_item.points the score k - position.
- round.ilp_goal: what the exact rule maximises ("cost-approval" or "approval").

Revision ID: 0018
Revises: 0017
"""
import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("round") as batch:
        batch.add_column(sa.Column("points_total", sa.Integer(), server_default="10", nullable=False))
        batch.add_column(sa.Column("points_min_plans", sa.Integer(), server_default="1", nullable=False))
        batch.add_column(sa.Column("points_max_per_plan", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("ranked_max", sa.Integer(), server_default="3", nullable=False))
        batch.add_column(
            sa.Column("ilp_goal", sa.String(length=16), server_default="cost-approval", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("round") as batch:
        batch.drop_column("ilp_goal")
        batch.drop_column("ranked_max")
        batch.drop_column("points_max_per_plan")
        batch.drop_column("points_min_plans")
        batch.drop_column("points_total")
