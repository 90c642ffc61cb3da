"""certificates: hours printed, and the design (issuing body, logo, signatory, signature) each was issued with

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "certificate_designs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("issuing_body", sa.String(length=200), nullable=False),
        sa.Column("signatory_name", sa.String(length=200), nullable=False),
        sa.Column("signatory_title", sa.String(length=200), nullable=False),
        sa.Column("signature_png", sa.LargeBinary(), nullable=True),
        sa.Column("logo_png", sa.LargeBinary(), nullable=True),
        sa.Column("show_hours", sa.Boolean(), nullable=False),
        sa.Column("show_score", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_certificate_designs_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_designs")),
    )
    with op.batch_alter_table("certificates") as batch_op:
        batch_op.add_column(sa.Column("hours", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("design_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_certificates_design_id_certificate_designs"),
            "certificate_designs",
            ["design_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("certificates") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_certificates_design_id_certificate_designs"), type_="foreignkey")
        batch_op.drop_column("design_id")
        batch_op.drop_column("hours")
    op.drop_table("certificate_designs")
