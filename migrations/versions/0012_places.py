"""A place on the map: an initiative's point and the districts' outlines.

- initiative.latitude, initiative.longitude: the plan's point (WGS 84 degrees), both or
  neither; the free-text initiative.location stays its label.
- district_outline: one per district, uploaded by staff as GeoJSON and stored as the
  coordinates of one MultiPolygon, with its bounding box and number of positions.

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("initiative") as batch:
        batch.add_column(sa.Column("latitude", sa.Double(), nullable=True))
        batch.add_column(sa.Column("longitude", sa.Double(), nullable=True))
    op.create_table(
        "district_outline",
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("coordinates", sa.Text(), nullable=False),
        sa.Column("positions", sa.Integer(), nullable=False),
        sa.Column("west", sa.Double(), nullable=False),
        sa.Column("south", sa.Double(), nullable=False),
        sa.Column("east", sa.Double(), nullable=False),
        sa.Column("north", sa.Double(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["district_id"], ["district.id"], name=op.f("fk_district_outline_district_id_district"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["user.id"], name=op.f("fk_district_outline_uploaded_by_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("district_id", name=op.f("pk_district_outline")),
    )


def downgrade():
    op.drop_table("district_outline")
    with op.batch_alter_table("initiative") as batch:
        batch.drop_column("longitude")
        batch.drop_column("latitude")
