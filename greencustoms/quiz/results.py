"""A learner's quiz results: best result per quiz (for course pages and certificates) and attempt history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, bindparam, case, func
from sqlalchemy.orm import load_only

from greencustoms.database import as_utc, read_columns
from greencustoms.extensions import db
from greencustoms.models.attempt import IN_PROGRESS, QuizAttempt


@dataclass(frozen=True)
class QuizResult:
    """The best of a learner's graded attempts at one quiz; passed_at is the first time they passed (or None)."""

    quiz_slug: str
    best_score: float
    passed: bool
    passed_at: datetime | None
    attempts: int


def best_results(user_id: int, quiz_slugs: Iterable[str], *, since: datetime | None = None) -> dict[str, QuizResult]:
    """The user's best result at each of these quizzes, in ONE query. Only graded attempts (submitted or closed
    by the time limit) count, and only those started at or after `since` when given; a quiz without any graded
    attempt is absent from the answer."""
    slugs = list(dict.fromkeys(quiz_slugs))
    if not slugs:
        return {}
    query = (
        db.select(
            QuizAttempt.quiz_slug,
            func.max(QuizAttempt.score),
            func.max(case((QuizAttempt.passed.is_(True), 1), else_=0)),
            func.min(case((QuizAttempt.passed.is_(True), QuizAttempt.submitted_at), else_=None)),
            func.count(QuizAttempt.id),
        )
        .filter(QuizAttempt.user_id == user_id, QuizAttempt.quiz_slug.in_(slugs), QuizAttempt.status != IN_PROGRESS)
        .group_by(QuizAttempt.quiz_slug)
    )
    if since is not None:
        query = query.filter(QuizAttempt.started_at >= since)
    return {
        slug: QuizResult(slug, float(best or 0.0), bool(passed), _as_datetime(passed_at), count)
        for slug, best, passed, passed_at, count in db.session.execute(query)
    }


@dataclass(frozen=True)
class AttemptSummary:
    """One line of the attempt history on /me."""

    attempt_id: int
    quiz_slug: str
    number: int
    status: str
    started_at: datetime
    submitted_at: datetime | None
    score: float | None
    passed: bool | None
    deadline_at: datetime | None = None

    def overdue(self, now: datetime) -> bool:
        """Still open although its deadline has passed (close_overdue_attempts closes it)."""
        deadline = as_utc(self.deadline_at)
        return self.status == IN_PROGRESS and deadline is not None and deadline < now


# What a line of the history shows (AttemptSummary's fields after attempt_id), newest first
_LISTED = (
    QuizAttempt.quiz_slug,
    QuizAttempt.number,
    QuizAttempt.status,
    QuizAttempt.started_at,
    QuizAttempt.submitted_at,
    QuizAttempt.score,
    QuizAttempt.passed,
    QuizAttempt.deadline_at,
)
_NEWEST_FIRST = (QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
_HISTORY = (
    db.select(QuizAttempt.id, *_LISTED).where(QuizAttempt.user_id == bindparam("user_id")).order_by(*_NEWEST_FIRST)
)
_HISTORY_NEWEST = _HISTORY.limit(bindparam("limit", type_=Integer))
HISTORY_PER_PAGE = 50


def attempt_history(user_id: int, limit: int = 100) -> list[AttemptSummary]:
    """The user's newest attempts at every quiz, newest first (at most `limit`), in one query (a statement built
    once: /me asks on every visit)."""
    rows = read_columns(_HISTORY_NEWEST, {"user_id": user_id, "limit": limit})
    return [AttemptSummary(*row) for row in rows]


def attempt_history_page(user_id: int, page: int, per_page: int = HISTORY_PER_PAGE):
    """One page of the user's whole attempt history, newest first (a Flask-SQLAlchemy Pagination of QuizAttempt
    rows holding only the listed columns; a page past the end is empty, not an error)."""
    statement = (
        db.select(QuizAttempt)
        .options(load_only(*_LISTED))
        .where(QuizAttempt.user_id == user_id)
        .order_by(*_NEWEST_FIRST)
    )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False, count=True)


def _as_datetime(value: datetime | str | None) -> datetime | None:
    """A CASE expression loses the column type, so SQLite hands back text: read it as a UTC datetime."""
    return as_utc(value if value is None or isinstance(value, datetime) else datetime.fromisoformat(value))
