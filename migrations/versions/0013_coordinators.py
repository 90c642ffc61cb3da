"""National coordinators: their scopes (countries, optional organisation) and each workshop's country

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "coordinator_scopes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_coordinator_scopes_user_id_users"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_coordinator_scopes_added_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coordinator_scopes")),
        sa.UniqueConstraint("user_id", "country", "organisation", name="uq_coordinator_scopes_user_country_org"),
    )
    op.create_index(op.f("ix_coordinator_scopes_user_id"), "coordinator_scopes", ["user_id"], unique=False)
    with op.batch_alter_table("workshops") as batch_op:
        batch_op.add_column(sa.Column("country", sa.String(length=2), nullable=False, server_default=""))
        batch_op.create_index(batch_op.f("ix_workshops_country"), ["country"], unique=False)
    with op.batch_alter_table("workshops") as batch_op:
        batch_op.alter_column("country", server_default=None)


def downgrade():
    with op.batch_alter_table("workshops") as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshops_country"))
        batch_op.drop_column("country")
    op.drop_index(op.f("ix_coordinator_scopes_user_id"), table_name="coordinator_scopes")
    op.drop_table("coordinator_scopes")
