"""Content in several languages: the language each learner studies a course in, and each attempt's language

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "study_languages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_slug", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("chosen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_study_languages_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_languages")),
        sa.UniqueConstraint("user_id", "course_slug", name="uq_study_languages_user_course"),
    )
    with op.batch_alter_table("study_languages") as batch_op:
        batch_op.create_index(batch_op.f("ix_study_languages_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("quiz_attempts") as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=False, server_default="en"))


def downgrade():
    with op.batch_alter_table("quiz_attempts") as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("study_languages") as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_languages_user_id"))
    op.drop_table("study_languages")
