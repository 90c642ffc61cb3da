"""The attempt lifecycle: start (within the attempt limits of greencustoms.quiz.attempts), save answers, submit
once, close when time is up.

Every function takes plain arguments (user id, Quiz, `now`) so that views, the CLI and tests share the rules.
Concurrency: saving and closing are conditional UPDATEs (`WHERE status = 'in_progress' AND revision = :seen`)
whose row count says who won, so 20 parallel submits grade an attempt exactly once on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError

from greencustoms.content import Quiz, get_catalog
from greencustoms.database import as_utc, rowcount
from greencustoms.extensions import db
from greencustoms.models.attempt import EXPIRED, IN_PROGRESS, SUBMITTED, QuizAttempt
from greencustoms.signals import attempt_graded, scenario_decided

from .attempts import attempt_allowance, open_attempt, seen_questions
from .draw import build_layout, draw_questions
from .exceptions import AttemptClosed, AttemptRefused, StaleAttempt
from .grading import grade_attempt


def start_attempt(
    user_id: int,
    quiz: Quiz,
    now: datetime,
    *,
    count_since: datetime | None = None,
    rng: random.Random | None = None,
    language: str = "en",
) -> QuizAttempt:
    """Resume the open attempt, or draw a new one. `count_since` lets a renewal retake ignore older attempts.
    A new attempt is shown in `language` (`quiz` is the quiz as read in it) and records it.

    Raises AttemptRefused when max_attempts is used up or wait_minutes has not passed. Two parallel calls
    open one attempt: the second insert hits the (user, quiz, number) unique constraint and resumes the first.
    """
    current = open_attempt(user_id, quiz.slug)
    if current is not None and not close_if_overdue(current, quiz, now):
        return current
    allowance = attempt_allowance(user_id, quiz, now, count_since=count_since)
    if not allowance.can_start:
        raise AttemptRefused(allowance.reason)
    rng = rng or random.SystemRandom()
    number = db.session.execute(
        db.select(func.coalesce(func.max(QuizAttempt.number), 0)).filter_by(user_id=user_id, quiz_slug=quiz.slug)
    ).scalar_one()
    attempt = QuizAttempt(
        user_id=user_id,
        quiz_slug=quiz.slug,
        quiz_version=quiz.version,
        number=number + 1,
        pass_mark=quiz.pass_mark,
        status=IN_PROGRESS,
        started_at=now,
        revision=0,
        answers={},
        language=language,
        deadline_at=now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None,
        questions=build_layout(quiz, draw_questions(quiz, rng, seen_questions(user_id, quiz.slug)), rng),
    )
    try:
        db.session.add(attempt)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = open_attempt(user_id, quiz.slug)
        if existing is None:
            raise AttemptRefused(_l("Another attempt was being started at the same moment. Try again.")) from None
        return existing
    return attempt


def is_overdue(attempt: QuizAttempt, quiz: Quiz, now: datetime) -> bool:
    """True when an open timed attempt is past its deadline plus the quiz's grace_seconds."""
    if not attempt.is_open or attempt.deadline_at is None:
        return False
    return now > as_utc(attempt.deadline_at) + timedelta(seconds=quiz.grace_seconds)


def close_if_overdue(attempt: QuizAttempt, quiz: Quiz, now: datetime) -> bool:
    """Grade and close an attempt whose time is up, with the answers saved before; status "expired", closed at
    its deadline. Returns True when the attempt is (now) closed by time, False when it is still open or was
    closed otherwise. Safe to call on every access."""
    while attempt.deadline_at is not None and is_overdue(attempt, quiz, now):  # no deadline: never overdue
        if _close(attempt, quiz, EXPIRED, as_utc(attempt.deadline_at), attempt.revision):
            return True
    return attempt.status == EXPIRED


def close_overdue_attempts(user_id: int, quizzes: Mapping[str, Quiz], now: datetime) -> int:
    """Close every attempt of the user whose time is up (e.g. before listing results). Returns how many."""
    candidates = db.session.execute(
        db.select(QuizAttempt).filter(
            QuizAttempt.user_id == user_id, QuizAttempt.status == IN_PROGRESS, QuizAttempt.deadline_at < now
        )
    ).scalars()
    closed = 0
    for attempt in list(candidates):
        quiz = quizzes.get(attempt.quiz_slug)
        if quiz is not None and attempt.status == IN_PROGRESS and close_if_overdue(attempt, quiz, now):
            closed += 1
    return closed


def save_answers(attempt: QuizAttempt, quiz: Quiz, revision: int, answers: Mapping[str, Any], now: datetime) -> int:
    """Merge responses (None clears one) into the saved answers; returns the attempt's new revision.

    Raises AttemptClosed when the attempt is submitted or its time (plus grace) is up, and StaleAttempt when
    `revision` is older than the attempt's and the save would change something: the page came from another tab.
    A save that changes nothing is accepted from any revision, so a retried request is harmless.
    """
    if close_if_overdue(attempt, quiz, now) or not attempt.is_open:
        raise AttemptClosed(_time_up_message() if attempt.status == EXPIRED else _closed_message())
    merged = dict(attempt.answers or {})
    for question_id, response in answers.items():
        if response is None:
            merged.pop(question_id, None)
        else:
            merged[question_id] = response
    if merged == (attempt.answers or {}):
        return attempt.revision
    if revision != attempt.revision:
        raise StaleAttempt(_stale_message())
    result = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.status == IN_PROGRESS, QuizAttempt.revision == revision)
        .values(answers=merged, revision=revision + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if rowcount(result) != 1:
        db.session.refresh(attempt)
        raise AttemptClosed(_closed_message()) if not attempt.is_open else StaleAttempt(_stale_message())
    db.session.refresh(attempt)
    if any(_took_a_decision(quiz, question_id, response) for question_id, response in answers.items()):
        scenario_decided.send(
            current_app._get_current_object(),  # type: ignore[attr-defined]  # the app itself, not the proxy
            user_id=attempt.user_id,
            quiz_slug=attempt.quiz_slug,
            attempt_id=attempt.id,
        )
    return revision + 1


def _took_a_decision(quiz: Quiz, question_id: str, response: Any) -> bool:
    """True for a saved scenario path (learning records list each decision; see greencustoms.xapi)."""
    question = quiz.question(question_id)
    return question is not None and question.type == "scenario" and bool(response)


def submit_attempt(attempt: QuizAttempt, quiz: Quiz, revision: int, now: datetime) -> bool:
    """Grade and close the attempt; True when this call graded it, False when it was already closed (a double
    click, a parallel request, or the time limit got there first). Raises StaleAttempt when `revision` is older
    than the attempt's: answers were changed in another tab that this page has not seen."""
    if close_if_overdue(attempt, quiz, now) or not attempt.is_open:
        return False
    if revision != attempt.revision:
        raise StaleAttempt(_stale_message())
    if _close(attempt, quiz, SUBMITTED, now, revision):
        return True
    if attempt.is_open:
        raise StaleAttempt(_stale_message())
    return False


def _close(attempt: QuizAttempt, quiz: Quiz, status: str, closed_at: datetime, revision: int) -> bool:
    """Grade the answers of `revision` and close the attempt if nobody changed it meanwhile; send
    attempt_graded after the commit. Returns False (attempt refreshed) when another request won."""
    grade = grade_attempt(
        in_language(quiz, attempt.language), attempt.questions, attempt.answers or {}, attempt.pass_mark
    )
    result = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.status == IN_PROGRESS, QuizAttempt.revision == revision)
        .values(
            status=status,
            score=grade.score,
            passed=grade.passed,
            results=grade.results,
            submitted_at=closed_at,
            revision=revision + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(attempt)
    if rowcount(result) != 1:
        return False
    attempt_graded.send(
        # Flask's stubs type current_app as Flask, not the LocalProxy it is; signals take the real app object.
        current_app._get_current_object(),  # type: ignore[attr-defined]
        user_id=attempt.user_id,
        quiz_slug=attempt.quiz_slug,
        attempt_id=attempt.id,
        score=grade.score,
        passed=grade.passed,
    )
    return True


def in_language(quiz: Quiz, language: str) -> Quiz:
    """The quiz as read in `language` (the attempt's): the answers of matching and ordering questions name their
    items in it. Keys and credit are the source's in every language. `quiz` itself when it has no such view."""
    if quiz.language == language or not has_app_context():
        return quiz
    localized = get_catalog().localized(language).quiz(quiz.slug)
    return localized if localized is not None and localized.version == quiz.version else quiz


def _time_up_message() -> Any:
    return _l(
        "Time is up: answers sent after the time limit were not saved. Your attempt was graded with the "
        "answers saved before."
    )


def _closed_message() -> Any:
    return _l("This attempt has already been submitted: its answers can no longer change.")


def _stale_message() -> Any:
    return _l(
        "This attempt was changed in another window or tab since this page was loaded. Your saved answers "
        "are kept: reload the page to see them, then continue."
    )
