"""A learner's attempts at a quiz, read: one by id (only their own), the one in progress, all of them, the
questions already seen, and whether a new attempt may start now (Allowance). Starting, saving and closing an
attempt is greencustoms.quiz.service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func

from greencustoms.content import Quiz
from greencustoms.database import as_utc
from greencustoms.extensions import db
from greencustoms.models.attempt import IN_PROGRESS, QuizAttempt


@dataclass(frozen=True)
class Allowance:
    """Whether a new attempt may start now: attempts counted, attempts left (None: unlimited), end of the wait."""

    used: int
    left: int | None
    wait_until: datetime | None

    @property
    def can_start(self) -> bool:
        return (self.left is None or self.left > 0) and self.wait_until is None

    @property
    def reason(self) -> Any:
        """Why no new attempt may start (a message for the learner), or None."""
        if self.left is not None and self.left <= 0:
            return _l("You have used all %(n)d attempts at this quiz.", n=self.used)
        if self.wait_until is not None:
            return _l(
                "You can start your next attempt on %(date)s at %(time)s UTC.",
                date=self.wait_until.strftime("%Y-%m-%d"),
                time=self.wait_until.strftime("%H:%M"),
            )
        return None


def find_attempt(attempt_id: int, user_id: int, quiz_slug: str) -> QuizAttempt | None:
    """The attempt only if it belongs to this user and this quiz; None otherwise (the caller answers 404)."""
    return db.session.execute(
        db.select(QuizAttempt).filter_by(id=attempt_id, user_id=user_id, quiz_slug=quiz_slug)
    ).scalar_one_or_none()


def open_attempt(user_id: int, quiz_slug: str) -> QuizAttempt | None:
    """The user's attempt in progress at this quiz, if any (there is at most one)."""
    return db.session.execute(
        db.select(QuizAttempt).filter_by(user_id=user_id, quiz_slug=quiz_slug, status=IN_PROGRESS)
    ).scalar_one_or_none()


def attempts_of(user_id: int, quiz_slug: str) -> list[QuizAttempt]:
    """Every attempt of the user at this quiz, newest first."""
    return list(
        db.session.execute(
            db.select(QuizAttempt).filter_by(user_id=user_id, quiz_slug=quiz_slug).order_by(QuizAttempt.number.desc())
        ).scalars()
    )


def seen_questions(user_id: int, quiz_slug: str) -> set[str]:
    """The ids of every question drawn in the user's earlier attempts at this quiz."""
    layouts = db.session.execute(
        db.select(QuizAttempt.questions).filter_by(user_id=user_id, quiz_slug=quiz_slug)
    ).scalars()
    return {entry["id"] for layout in layouts for entry in layout or ()}


def attempt_allowance(user_id: int, quiz: Quiz, now: datetime, *, count_since: datetime | None = None) -> Allowance:
    """Count the attempts started at or after `count_since` (all when None) against max_attempts, and the
    wait_minutes since the last closed attempt. One query."""
    counted: ColumnElement[int] = func.count(QuizAttempt.id)
    if count_since is not None:
        counted = func.count(QuizAttempt.id).filter(QuizAttempt.started_at >= count_since)
    used, last_closed = db.session.execute(
        db.select(counted, func.max(QuizAttempt.submitted_at)).filter_by(user_id=user_id, quiz_slug=quiz.slug)
    ).one()
    left = None if quiz.max_attempts is None else max(0, quiz.max_attempts - used)
    wait_until = None
    if quiz.wait_minutes and last_closed is not None:
        wait_until = as_utc(last_closed) + timedelta(minutes=quiz.wait_minutes)
        wait_until = wait_until if wait_until > now else None
    return Allowance(used=used, left=left, wait_until=wait_until)
