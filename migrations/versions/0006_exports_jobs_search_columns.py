"""exports-jobs: folded search columns (users, certificates) filled from the existing rows; export jobs

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from greencustoms.textsearch import fold, joined

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 500


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("organisation_search", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("certificates") as batch_op:
        batch_op.add_column(sa.Column("holder_search", sa.Text(), nullable=False, server_default=""))
    _fill_search_columns()
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("search_text", server_default=None)
        batch_op.alter_column("organisation_search", server_default=None)
    with op.batch_alter_table("certificates") as batch_op:
        batch_op.alter_column("holder_search", server_default=None)
    op.create_table(
        "export_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=43), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=True),
        sa.Column("stored_as", sa.String(length=100), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed', 'expired')", name=op.f("ck_export_jobs_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_export_jobs_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_jobs")),
        sa.UniqueConstraint("token", name=op.f("uq_export_jobs_token")),
    )
    with op.batch_alter_table("export_jobs") as batch_op:
        batch_op.create_index("ix_export_jobs_status", ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_export_jobs_user_id"), ["user_id"], unique=False)


def _fill_search_columns():
    """Write the folded copies of every existing name, e-mail and organisation (the rule of textsearch.fold)."""
    bind = op.get_bind()
    users = sa.table(
        "users",
        sa.column("id", sa.Integer),
        sa.column("full_name", sa.String),
        sa.column("email", sa.String),
        sa.column("organisation", sa.String),
        sa.column("search_text", sa.String),
        sa.column("organisation_search", sa.String),
    )
    certificates = sa.table(
        "certificates", sa.column("id", sa.Integer), sa.column("holder_name", sa.String), sa.column("holder_search")
    )
    last = 0
    while rows := bind.execute(
        sa.select(users.c.id, users.c.full_name, users.c.email, users.c.organisation)
        .where(users.c.id > last)
        .order_by(users.c.id)
        .limit(BATCH)
    ).all():
        for row in rows:
            bind.execute(
                users.update()
                .where(users.c.id == row.id)
                .values(search_text=joined(row.full_name, row.email), organisation_search=fold(row.organisation))
            )
        last = rows[-1].id
    last = 0
    while rows := bind.execute(
        sa.select(certificates.c.id, certificates.c.holder_name)
        .where(certificates.c.id > last)
        .order_by(certificates.c.id)
        .limit(BATCH)
    ).all():
        for row in rows:
            bind.execute(
                certificates.update().where(certificates.c.id == row.id).values(holder_search=fold(row.holder_name))
            )
        last = rows[-1].id


def downgrade():
    with op.batch_alter_table("export_jobs") as batch_op:
        batch_op.drop_index(batch_op.f("ix_export_jobs_user_id"))
        batch_op.drop_index("ix_export_jobs_status")
    op.drop_table("export_jobs")
    with op.batch_alter_table("certificates") as batch_op:
        batch_op.drop_column("holder_search")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("organisation_search")
        batch_op.drop_column("search_text")
