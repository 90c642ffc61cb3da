"""Profile fields an administrator defines (e.g. a staff number) and each person's values

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "profile_fields",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("hint", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('text', 'choice')", name=op.f("ck_profile_fields_kind_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_fields")),
        sa.UniqueConstraint("key", name=op.f("uq_profile_fields_key")),
    )
    op.create_table(
        "profile_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("field_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["field_id"], ["profile_fields.id"], name=op.f("fk_profile_values_field_id_profile_fields")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_profile_values_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_values")),
        sa.UniqueConstraint("user_id", "field_id", name="uq_profile_values_user_field"),
    )
    with op.batch_alter_table("profile_values") as batch_op:
        batch_op.create_index(batch_op.f("ix_profile_values_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_profile_values_field_id"), ["field_id"], unique=False)


def downgrade():
    with op.batch_alter_table("profile_values") as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_values_field_id"))
        batch_op.drop_index(batch_op.f("ix_profile_values_user_id"))
    op.drop_table("profile_values")
    op.drop_table("profile_fields")
