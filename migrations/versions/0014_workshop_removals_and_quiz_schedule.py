"""workshops: removed participants kept for their return; quiz schedules (opens_at/closes_at) and time zone

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
        "workshop_removals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("account_created", sa.Boolean(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attendance", sa.JSON(), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["removed_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workshop_id", "user_id", name="uq_workshop_removals_workshop_user"),
    )
    with op.batch_alter_table("workshop_removals") as batch_op:
        batch_op.create_index("ix_workshop_removals_user_id", ["user_id"], unique=False)
    with op.batch_alter_table("workshop_quizzes") as batch_op:
        batch_op.add_column(sa.Column("opens_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("workshops") as batch_op:
        batch_op.add_column(sa.Column("time_zone", sa.String(length=64), nullable=False, server_default="UTC"))
    with op.batch_alter_table("workshops") as batch_op:
        batch_op.alter_column("time_zone", server_default=None)


def downgrade():
    with op.batch_alter_table("workshops") as batch_op:
        batch_op.drop_column("time_zone")
    with op.batch_alter_table("workshop_quizzes") as batch_op:
        batch_op.drop_column("closes_at")
        batch_op.drop_column("opens_at")
    with op.batch_alter_table("workshop_removals") as batch_op:
        batch_op.drop_index("ix_workshop_removals_user_id")
    op.drop_table("workshop_removals")
