"""Workshops: sessions, co-trainers, quiz control, participants, attendance, sign-in slips

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "workshops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("course_slug", sa.String(length=64), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("join_code", sa.String(length=16), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("pre_quiz_slug", sa.String(length=64), nullable=True),
        sa.Column("post_quiz_slug", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_workshops_owner_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshops")),
        sa.UniqueConstraint("join_code", name=op.f("uq_workshops_join_code")),
    )
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workshops_course_slug"), ["course_slug"], unique=False)
        batch_op.create_index(batch_op.f("ix_workshops_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "workshop_trainers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_workshop_trainers_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"], ["workshops.id"], name=op.f("fk_workshop_trainers_workshop_id_workshops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_trainers")),
        sa.UniqueConstraint("workshop_id", "user_id", name="uq_workshop_trainers_workshop_user"),
    )
    with op.batch_alter_table("workshop_trainers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workshop_trainers_user_id"), ["user_id"], unique=False)

    op.create_table(
        "workshop_quizzes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("quiz_slug", sa.String(length=64), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workshop_id"], ["workshops.id"], name=op.f("fk_workshop_quizzes_workshop_id_workshops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_quizzes")),
        sa.UniqueConstraint("workshop_id", "quiz_slug", name="uq_workshop_quizzes_workshop_quiz"),
    )

    op.create_table(
        "workshop_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("account_created", sa.Boolean(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_workshop_participants_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"], ["workshops.id"], name=op.f("fk_workshop_participants_workshop_id_workshops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_participants")),
        sa.UniqueConstraint("workshop_id", "user_id", name="uq_workshop_participants_workshop_user"),
    )
    with op.batch_alter_table("workshop_participants", schema=None) as batch_op:
        batch_op.create_index("ix_workshop_participants_user_id", ["user_id"], unique=False)

    op.create_table(
        "workshop_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["workshop_participants.id"],
            name=op.f("fk_workshop_attendance_participant_id_workshop_participants"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_attendance")),
        sa.UniqueConstraint("participant_id", "day", name="uq_workshop_attendance_participant_day"),
    )

    op.create_table(
        "workshop_sign_in_slips",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_workshop_sign_in_slips_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["workshop_participants.id"],
            name=op.f("fk_workshop_sign_in_slips_participant_id_workshop_participants"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_sign_in_slips")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_workshop_sign_in_slips_token_hash")),
    )
    with op.batch_alter_table("workshop_sign_in_slips", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workshop_sign_in_slips_participant_id"), ["participant_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("workshop_sign_in_slips", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_sign_in_slips_participant_id"))
    op.drop_table("workshop_sign_in_slips")
    op.drop_table("workshop_attendance")
    with op.batch_alter_table("workshop_participants", schema=None) as batch_op:
        batch_op.drop_index("ix_workshop_participants_user_id")
    op.drop_table("workshop_participants")
    op.drop_table("workshop_quizzes")
    with op.batch_alter_table("workshop_trainers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_trainers_user_id"))
    op.drop_table("workshop_trainers")
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshops_owner_id"))
        batch_op.drop_index(batch_op.f("ix_workshops_course_slug"))
    op.drop_table("workshops")
