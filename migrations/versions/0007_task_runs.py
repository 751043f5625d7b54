"""Background work on the task queue: when each periodic task last ran, and allocation runs' worker state.

- task_run: one row per scheduled task (last start and finish, outcome, what it handled,
  the error of a failed run, how often it ran).
- allocation_run.attempts: how many times a worker took the run (a lost worker's run is
  queued again while attempts remain).
- allocation_run.heartbeat_at: the worker's last sign of life while the run was running.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "task_run",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("handled", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_task_run")),
    )
    with op.batch_alter_table("allocation_run") as batch:
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("allocation_run") as batch:
        batch.drop_column("heartbeat_at")
        batch.drop_column("attempts")
    op.drop_table("task_run")
