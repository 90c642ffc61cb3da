"""Learner progress: enrolments and completed lessons, keyed by content slugs, never by foreign keys into content."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from greencustoms.database import Model, utcnow


class Enrolment(Model):
    """A learner following a course; created the first time they record progress in it."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("user_id", "course_slug", name="uq_enrolments_user_course"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_slug: Mapped[str] = mapped_column(String(64), index=True)
    course_version: Mapped[str] = mapped_column(String(32))
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)


class LessonProgress(Model):
    """A lesson the learner marked complete.

    Keyed by module and lesson slug, so it counts in every course that uses the module.
    """

    __tablename__ = "lesson_progress"
    __table_args__ = (
        UniqueConstraint("user_id", "module_slug", "lesson_slug", name="uq_lesson_progress_user_lesson"),
        # The live grid's refresh counts a workshop's completed lessons from this index alone (migration 0017).
        Index("ix_lesson_progress_grid", "user_id", "module_slug", "completed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_slug: Mapped[str] = mapped_column(String(64))
    lesson_slug: Mapped[str] = mapped_column(String(64))
    # The lesson's content version when it was completed: later edits never erase the record.
    content_version: Mapped[str] = mapped_column(String(32))
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def lesson_id(self) -> str:
        return f"{self.module_slug}/{self.lesson_slug}"


class StudyLanguage(Model):
    """The language a learner chose to study a course in (content ids are the same in every language, so changing
    it never touches progress, attempts or certificates)."""

    __tablename__ = "study_languages"
    __table_args__ = (UniqueConstraint("user_id", "course_slug", name="uq_study_languages_user_course"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_slug: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    chosen_at: Mapped[datetime] = mapped_column(default=utcnow)
