"""PostgreSQL: audit_chain_head() locks the audit chain and reads its last event in one call.

Every ballot appends an audit event. Before this, that took three round trips: take the
chain's lock, read the last event, append. The last event must be read after the lock
is held (in READ COMMITTED a statement sees the data as of its own start), which is what
a VOLATILE function gives: each query in it starts with a fresh snapshot. SQLite needs no
lock of its own (its write lock is taken at BEGIN IMMEDIATE) and gets no function.

Revision ID: 0003
Revises: 0002
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The advisory lock key of the audit chain (any writer of audit events takes it).
CHAIN_LOCK = 724011


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"""
        CREATE FUNCTION audit_chain_head() RETURNS TABLE (seq integer, hash varchar)
        LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock({CHAIN_LOCK});
            RETURN QUERY SELECT e.seq, e.hash FROM audit_event AS e ORDER BY e.seq DESC LIMIT 1;
        END
        $$
    """)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION audit_chain_head()")
