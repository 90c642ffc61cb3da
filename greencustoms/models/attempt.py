"""Quiz attempts: what was drawn and shown, the answers saved so far, and the graded result.

An attempt refers to its quiz and questions by slug, id and content version, never by a foreign key into
content, and keeps its score and per-question results once graded: editing the bank never re-grades it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from greencustoms.database import Model, utcnow

IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"
EXPIRED = "expired"  # closed by the time limit and graded with the answers saved before it
STATUSES = (IN_PROGRESS, SUBMITTED, EXPIRED)


class QuizAttempt(Model):
    """One attempt of one learner at one quiz.

    `questions` is the layout drawn at the start, in the order shown: per question its id, version, type and
    the opaque per-attempt tokens that stand for its options (see greencustoms.quiz.types). `answers` maps a
    question id to the learner's response in content terms (option ids, texts, numbers). `revision` grows with
    every save, so that a page from a stale tab can be told apart. `number` counts the user's attempts at the
    quiz; with the partial unique index on open attempts it stops two parallel "start" requests from opening two
    attempts.
    """

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "quiz_slug", "number", name="uq_quiz_attempts_user_quiz_number"),
        CheckConstraint("status IN ('in_progress', 'submitted', 'expired')", name="status_known"),
        Index("ix_quiz_attempts_quiz_slug_status", "quiz_slug", "status"),
        # The live grid's refresh counts a workshop's graded attempts from this index alone (migration 0017).
        Index("ix_quiz_attempts_grid", "user_id", "quiz_slug", "status", "submitted_at"),
        # At most one attempt in progress per learner and quiz, even when two "Start" requests race.
        Index(
            "uq_quiz_attempts_one_open",
            "user_id",
            "quiz_slug",
            unique=True,
            sqlite_where=text("status = 'in_progress'"),
            postgresql_where=text("status = 'in_progress'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    quiz_slug: Mapped[str] = mapped_column(String(64))
    quiz_version: Mapped[str] = mapped_column(String(32))
    number: Mapped[int]
    # The pass mark when the attempt started: a later change of the quiz file applies to new attempts only.
    pass_mark: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=IN_PROGRESS)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    score: Mapped[float | None]
    passed: Mapped[bool | None]
    revision: Mapped[int] = mapped_column(default=0)
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    results: Mapped[dict[str, float] | None] = mapped_column(JSON)
    # The language the questions were shown in (the study language at the start); item statistics split by it.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")

    @property
    def is_open(self) -> bool:
        """True while the learner may still change answers (not yet submitted or expired)."""
        return self.status == IN_PROGRESS

    def question_ids(self) -> list[str]:
        """The drawn question ids in the order shown."""
        return [entry["id"] for entry in self.questions]

    def __repr__(self) -> str:
        return f"<QuizAttempt {self.id} {self.quiz_slug} user={self.user_id} {self.status}>"
