"""Workshops: dated sessions of a course run by trainers, their participants, quiz control, attendance and slips.

A workshop refers to its course and quizzes by slug (never a foreign key into content). Participants, co-trainers,
quiz states, attendance and sign-in slips belong to the workshop and go with it; deleting an account removes its
participations (and their attendance and slips) but leaves the workshop to its other trainers.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from greencustoms.database import Model, utcnow


class Workshop(Model):
    """A dated session of one course. `join_code` (8 Crockford base32 characters) lets participants join;
    `pre_quiz_slug`/`post_quiz_slug` name the quizzes compared by the gain report (they may be the same)."""

    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    course_slug: Mapped[str] = mapped_column(String(64), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    # ISO 3166 code of the country the workshop is held for ("" when not declared): national coordinators of
    # that country manage it (greencustoms.access.scope).
    country: Mapped[str] = mapped_column(String(2), default="", index=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    pre_quiz_slug: Mapped[str | None] = mapped_column(String(64))
    post_quiz_slug: Mapped[str | None] = mapped_column(String(64))
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")  # IANA name: quiz schedules are typed in it
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Workshop {self.id} {self.course_slug} {self.starts_on}>"


class WorkshopTrainer(Model):
    """A co-trainer: a trainer account that sees and runs the workshop like its owner (except the co-trainer list)."""

    __tablename__ = "workshop_trainers"
    __table_args__ = (UniqueConstraint("workshop_id", "user_id", name="uq_workshop_trainers_workshop_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class WorkshopQuiz(Model):
    """Whether one quiz of the workshop's course is open for its participants. A course quiz without a row is
    closed: the workshop controls every quiz of its course during its dates."""

    __tablename__ = "workshop_quizzes"
    __table_args__ = (UniqueConstraint("workshop_id", "quiz_slug", name="uq_workshop_quizzes_workshop_quiz"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    quiz_slug: Mapped[str] = mapped_column(String(64))
    is_open: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    opens_at: Mapped[datetime | None]  # UTC; the quiz opens by itself then (greencustoms.workshops.schedule)
    closes_at: Mapped[datetime | None]  # UTC; and closes by itself then


class WorkshopParticipant(Model):
    """A person taking part in a workshop. `via` says how they came: "code" (joined with the join code) or
    "roster" (imported by the trainer). `account_created` is True when the roster import created the account:
    only such accounts may receive sign-in slips."""

    __tablename__ = "workshop_participants"
    __table_args__ = (
        UniqueConstraint("workshop_id", "user_id", name="uq_workshop_participants_workshop_user"),
        Index("ix_workshop_participants_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    via: Mapped[str] = mapped_column(String(16), default="code")
    account_created: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)


class WorkshopAttendance(Model):
    """Whether a participant was present on one day of the workshop (no row: not recorded yet)."""

    __tablename__ = "workshop_attendance"
    __table_args__ = (UniqueConstraint("participant_id", "day", name="uq_workshop_attendance_participant_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("workshop_participants.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    present: Mapped[bool]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class WorkshopRemoval(Model):
    """A participant the trainer took out of the workshop, kept so that bringing them back (re-import or join)
    restores how they came, whether the roster created their account, and their attendance
    (`attendance`: {"YYYY-MM-DD": present}). Deleted when they come back."""

    __tablename__ = "workshop_removals"
    __table_args__ = (UniqueConstraint("workshop_id", "user_id", name="uq_workshop_removals_workshop_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    via: Mapped[str] = mapped_column(String(16))
    account_created: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[datetime]
    attendance: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    removed_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class SignInSlip(Model):
    """A one-time sign-in token printed for a participant: stored as a SHA-256 hash only, spent at first use,
    worthless after `expires_at`."""

    __tablename__ = "workshop_sign_in_slips"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("workshop_participants.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class WorkshopInvitation(Model):
    """An existing account named in a roster import: the person is NOT a participant (and shows in no list,
    grid, report or export of the workshop) until they accept, or an administrator confirms. `status` is
    "pending", "accepted" or "declined"; `decided_by_id` is the person or the administrator who decided."""

    __tablename__ = "workshop_invitations"
    __table_args__ = (
        UniqueConstraint("workshop_id", "user_id", name="uq_workshop_invitations_workshop_user"),
        CheckConstraint("status IN ('pending', 'accepted', 'declined')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
