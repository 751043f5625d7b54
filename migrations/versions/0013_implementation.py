"""After the vote: the implementation of funded plans.

- implementation: one row per funded plan of a published result (granted amount in whole
  euros, status, stop reason, dates, the last reminder to the initiator);
- implementation_update: dated updates by the initiator or staff, hidden by staff with a reason;
- implementation_milestone: steps with a target date and the date they were done;
- implementation_payment: tranches staff paid (date, amount, purpose, who recorded it);
- implementation_account: the initiator's financial account and staff's verdict.

Rounds published before this migration get their rows here (every funded plan of the
round's official result, with the amount that result granted), so no page has to create
them while it is read.

Revision ID: 0013
Revises: 0012
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _backfill() -> None:
    conn = op.get_bind()
    runs = sa.table(
        "allocation_run",
        sa.column("id", sa.Integer),
        sa.column("round_id", sa.Integer),
        sa.column("result", sa.JSON),
        sa.column("published_at", sa.DateTime),
    )
    rounds = sa.table("round", sa.column("id", sa.Integer), sa.column("imported", sa.Boolean))
    initiatives = sa.table("initiative", sa.column("id", sa.Integer), sa.column("status", sa.String))
    impl = sa.table(
        "implementation",
        sa.column("initiative_id", sa.Integer),
        sa.column("round_id", sa.Integer),
        sa.column("run_id", sa.Integer),
        sa.column("granted", sa.Integer),
        sa.column("status", sa.String),
        sa.column("stop_reason", sa.String),
        sa.column("status_changed_at", sa.DateTime),
        sa.column("created_at", sa.DateTime),
    )
    rows = conn.execute(
        sa.select(runs.c.id, runs.c.round_id, runs.c.result)
        .join(rounds, rounds.c.id == runs.c.round_id)
        .where(runs.c.published_at.is_not(None), rounds.c.imported.is_(False))
        .order_by(runs.c.round_id, runs.c.published_at.desc(), runs.c.id.desc())
    ).all()
    now = datetime.now(UTC).replace(tzinfo=None)
    seen: set[int] = set()
    for run_id, round_id, result in rows:
        if round_id in seen:
            continue  # only the official (last published) result of each round
        seen.add(round_id)
        funded = {
            int(o["initiative_id"]): int(o.get("cost", 0))
            for o in (result or {}).get("outcomes", {}).values()
            if o.get("funded")
        }
        if not funded:
            continue
        still = set(
            conn.scalars(
                sa.select(initiatives.c.id).where(initiatives.c.id.in_(list(funded)), initiatives.c.status == "funded")
            )
        )
        values = [
            {
                "initiative_id": iid,
                "round_id": round_id,
                "run_id": run_id,
                "granted": cost,
                "status": "granted",
                "stop_reason": "",
                "status_changed_at": now,
                "created_at": now,
            }
            for iid, cost in sorted(funded.items())
            if iid in still
        ]
        if values:
            conn.execute(impl.insert(), values)


def upgrade():
    op.create_table(
        "implementation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("granted", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("stop_reason", sa.String(length=300), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("status_changed_at", sa.DateTime(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_implementation_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["round.id"], name=op.f("fk_implementation_round_id_round"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["allocation_run.id"],
            name=op.f("fk_implementation_run_id_allocation_run"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_implementation")),
        sa.UniqueConstraint("initiative_id", name=op.f("uq_implementation_initiative_id")),
    )
    with op.batch_alter_table("implementation", schema=None) as batch_op:
        batch_op.create_index("ix_implementation_round", ["round_id"], unique=False)

    op.create_table(
        "implementation_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("implementation_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("by_staff", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("hidden_at", sa.DateTime(), nullable=True),
        sa.Column("hidden_by_id", sa.Integer(), nullable=True),
        sa.Column("hidden_reason", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"], name=op.f("fk_implementation_update_author_id_user")),
        sa.ForeignKeyConstraint(["hidden_by_id"], ["user.id"], name=op.f("fk_implementation_update_hidden_by_id_user")),
        sa.ForeignKeyConstraint(
            ["implementation_id"],
            ["implementation.id"],
            name=op.f("fk_implementation_update_implementation_id_implementation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_implementation_update")),
    )
    with op.batch_alter_table("implementation_update", schema=None) as batch_op:
        batch_op.create_index("ix_implementation_update_implementation", ["implementation_id"], unique=False)

    op.create_table(
        "implementation_milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("implementation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("target_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["implementation_id"],
            ["implementation.id"],
            name=op.f("fk_implementation_milestone_implementation_id_implementation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_implementation_milestone")),
    )
    with op.batch_alter_table("implementation_milestone", schema=None) as batch_op:
        batch_op.create_index("ix_implementation_milestone_implementation", ["implementation_id"], unique=False)

    op.create_table(
        "implementation_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("implementation_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=300), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["implementation_id"],
            ["implementation.id"],
            name=op.f("fk_implementation_payment_implementation_id_implementation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user.id"], name=op.f("fk_implementation_payment_recorded_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_implementation_payment")),
    )
    with op.batch_alter_table("implementation_payment", schema=None) as batch_op:
        batch_op.create_index("ix_implementation_payment_implementation", ["implementation_id"], unique=False)

    op.create_table(
        "implementation_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("implementation_id", sa.Integer(), nullable=False),
        sa.Column("spent", sa.Integer(), nullable=False),
        sa.Column("returned", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("staff_reason", sa.String(length=300), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["user.id"], name=op.f("fk_implementation_account_decided_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["implementation_id"],
            ["implementation.id"],
            name=op.f("fk_implementation_account_implementation_id_implementation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"], ["user.id"], name=op.f("fk_implementation_account_submitted_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_implementation_account")),
        sa.UniqueConstraint("implementation_id", name=op.f("uq_implementation_account_implementation_id")),
    )
    _backfill()


def downgrade():
    op.drop_table("implementation_account")
    with op.batch_alter_table("implementation_payment", schema=None) as batch_op:
        batch_op.drop_index("ix_implementation_payment_implementation")
    op.drop_table("implementation_payment")
    with op.batch_alter_table("implementation_milestone", schema=None) as batch_op:
        batch_op.drop_index("ix_implementation_milestone_implementation")
    op.drop_table("implementation_milestone")
    with op.batch_alter_table("implementation_update", schema=None) as batch_op:
        batch_op.drop_index("ix_implementation_update_implementation")
    op.drop_table("implementation_update")
    with op.batch_alter_table("implementation", schema=None) as batch_op:
        batch_op.drop_index("ix_implementation_round")
    op.drop_table("implementation")
