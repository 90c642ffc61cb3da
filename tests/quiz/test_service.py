"""The attempt lifecycle as services: start and limits, saving with revisions, submitting once, time limits."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from greencustoms.content import get_catalog
from greencustoms.extensions import db
from greencustoms.models import QuizAttempt
from greencustoms.quiz import attempts, service
from greencustoms.quiz.exceptions import AttemptClosed, AttemptRefused, StaleAttempt
from greencustoms.quiz.results import best_results
from tests.conftest import recorded_statements
from tests.quiz.helpers import BASICS, WASTE, right_answers

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def user_id(app, auth):
    return auth.create()


@pytest.fixture
def ctx(app):
    """A request context (messages are translated for a request) and the catalog."""
    with app.test_request_context():
        yield get_catalog()


def test_start_draws_and_records_versions(ctx, user_id):
    """A new attempt stores the quiz version, pass mark, each drawn question's id and version, and a deadline."""
    quiz = ctx.quizzes[WASTE]
    attempt = service.start_attempt(user_id, quiz, T0, rng=random.Random(1))
    assert (attempt.quiz_version, attempt.pass_mark, attempt.number, attempt.status) == (
        quiz.version,
        60,
        1,
        "in_progress",
    )
    assert len(attempt.questions) == quiz.draw
    assert all(entry["v"] == quiz.question(entry["id"]).version for entry in attempt.questions)
    assert attempt.deadline_at == T0 + timedelta(minutes=20)


def test_start_resumes_the_open_attempt(ctx, user_id):
    """Starting again while an attempt is open returns that attempt: one open attempt per quiz."""
    quiz = ctx.quizzes[BASICS]
    first = service.start_attempt(user_id, quiz, T0)
    assert service.start_attempt(user_id, quiz, T0 + timedelta(days=3)).id == first.id
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 1
    assert first.deadline_at is None


def test_max_attempts_is_enforced_and_count_since_allows_a_renewal(ctx, user_id):
    """After max_attempts graded attempts a new start is refused; attempts before count_since do not count."""
    quiz = ctx.quizzes[WASTE]
    for minute in range(3):
        attempt = service.start_attempt(user_id, quiz, T0 + timedelta(minutes=minute))
        assert service.submit_attempt(attempt, quiz, attempt.revision, T0 + timedelta(minutes=minute, seconds=30))
    with pytest.raises(AttemptRefused) as refused:
        service.start_attempt(user_id, quiz, T0 + timedelta(hours=1))
    assert "all 3 attempts" in str(refused.value.message)
    renewal = service.start_attempt(user_id, quiz, T0 + timedelta(days=400), count_since=T0 + timedelta(days=399))
    assert renewal.number == 4
    allowance = attempts.attempt_allowance(
        user_id, quiz, T0 + timedelta(days=400), count_since=T0 + timedelta(days=399)
    )
    assert (allowance.used, allowance.left) == (1, 2)


def test_wait_minutes_between_attempts(ctx, user_id):
    """wait_minutes after the last closed attempt must pass before the next start."""
    quiz = replace(ctx.quizzes[BASICS], wait_minutes=30)
    attempt = service.start_attempt(user_id, quiz, T0)
    service.submit_attempt(attempt, quiz, 0, T0 + timedelta(minutes=5))
    with pytest.raises(AttemptRefused) as refused:
        service.start_attempt(user_id, quiz, T0 + timedelta(minutes=34))
    assert "09:35 UTC" in str(refused.value.message)
    assert service.start_attempt(user_id, quiz, T0 + timedelta(minutes=35)).number == 2


def test_save_merges_answers_and_bumps_the_revision(ctx, user_id):
    """Saving merges responses (None clears one) and each change raises the revision by one."""
    quiz = ctx.quizzes[BASICS]
    attempt = service.start_attempt(user_id, quiz, T0)
    assert service.save_answers(attempt, quiz, 0, {"basics-single": "a"}, T0) == 1
    assert service.save_answers(attempt, quiz, 1, {"basics-numeric": 60.0}, T0) == 2
    assert service.save_answers(attempt, quiz, 2, {"basics-single": None}, T0) == 3
    assert attempt.answers == {"basics-numeric": 60.0}


def test_stale_save_is_refused_but_an_identical_one_is_harmless(ctx, user_id):
    """A save from an older revision that would change answers raises StaleAttempt and changes nothing;
    repeating what is already saved is accepted from any revision."""
    quiz = ctx.quizzes[BASICS]
    attempt = service.start_attempt(user_id, quiz, T0)
    service.save_answers(attempt, quiz, 0, {"basics-single": "a"}, T0)
    with pytest.raises(StaleAttempt):
        service.save_answers(attempt, quiz, 0, {"basics-single": "b"}, T0)
    assert service.save_answers(attempt, quiz, 0, {"basics-single": "a"}, T0) == 1
    db.session.refresh(attempt)
    assert attempt.answers == {"basics-single": "a"} and attempt.revision == 1


def test_submit_grades_once_and_signals_once(ctx, user_id, graded_signals):
    """Submit grades and closes; a second submit is a no-op returning False; one attempt_graded signal."""
    quiz = ctx.quizzes[BASICS]
    attempt = service.start_attempt(user_id, quiz, T0)
    service.save_answers(attempt, quiz, 0, right_answers(quiz, attempt), T0)
    assert service.submit_attempt(attempt, quiz, 1, T0 + timedelta(minutes=1)) is True
    assert service.submit_attempt(attempt, quiz, 1, T0 + timedelta(minutes=2)) is False
    assert (attempt.status, attempt.score, attempt.passed) == ("submitted", 100.0, True)
    assert attempt.submitted_at == T0 + timedelta(minutes=1)
    assert [(s["user_id"], s["quiz_slug"], s["attempt_id"], s["score"], s["passed"]) for s in graded_signals] == [
        (user_id, BASICS, attempt.id, 100.0, True)
    ]
    with pytest.raises(AttemptClosed):
        service.save_answers(attempt, quiz, attempt.revision, {"basics-single": "b"}, T0)


def test_submit_from_a_stale_page_is_refused(ctx, user_id, graded_signals):
    """Submitting with a revision older than the attempt's raises StaleAttempt; the attempt stays open."""
    quiz = ctx.quizzes[BASICS]
    attempt = service.start_attempt(user_id, quiz, T0)
    service.save_answers(attempt, quiz, 0, {"basics-single": "a"}, T0)
    with pytest.raises(StaleAttempt):
        service.submit_attempt(attempt, quiz, 0, T0)
    assert attempt.is_open and graded_signals == []


def test_time_limit_closes_with_saved_answers(ctx, user_id, graded_signals):
    """Past deadline + grace the attempt is graded with what was saved, status "expired", closed at the deadline;
    saves inside the grace period still count, later ones are refused."""
    quiz = ctx.quizzes[WASTE]  # 20 minutes + 30 s grace
    attempt = service.start_attempt(user_id, quiz, T0)
    first = attempt.questions[0]["id"]
    correct = right_answers(quiz, attempt)
    service.save_answers(attempt, quiz, 0, {first: correct[first]}, T0 + timedelta(minutes=20, seconds=29))
    assert service.close_if_overdue(attempt, quiz, T0 + timedelta(minutes=20, seconds=30)) is False
    with pytest.raises(AttemptClosed) as closed:
        service.save_answers(attempt, quiz, 1, correct, T0 + timedelta(minutes=20, seconds=31))
    assert "Time is up" in str(closed.value.message)
    assert attempt.status == "expired" and attempt.submitted_at == T0 + timedelta(minutes=20)
    assert attempt.results[first] == 1.0 and attempt.score == round(100 / quiz.draw, 2)
    assert len(graded_signals) == 1 and graded_signals[0]["attempt_id"] == attempt.id
    assert service.submit_attempt(attempt, quiz, attempt.revision, T0 + timedelta(hours=1)) is False
    assert len(graded_signals) == 1


def test_close_overdue_attempts_closes_only_expired_ones(ctx, user_id):
    """close_overdue_attempts grades every attempt of the user whose time is up, and leaves others open."""
    timed = service.start_attempt(user_id, ctx.quizzes[WASTE], T0)
    untimed = service.start_attempt(user_id, ctx.quizzes[BASICS], T0)
    assert service.close_overdue_attempts(user_id, ctx.quizzes, T0 + timedelta(minutes=10)) == 0
    assert service.close_overdue_attempts(user_id, ctx.quizzes, T0 + timedelta(hours=2)) == 1
    db.session.refresh(timed)
    db.session.refresh(untimed)
    assert (timed.status, untimed.status) == ("expired", "in_progress")


def test_best_results_in_one_query(app, ctx, user_id):
    """best_results gives best score, passed, first pass time and graded attempt count, in ONE query."""
    quiz = ctx.quizzes[BASICS]
    times = []
    for minute, right in ((0, False), (10, True), (20, True)):
        attempt = service.start_attempt(user_id, quiz, T0 + timedelta(minutes=minute))
        answers = right_answers(quiz, attempt) if right else {}
        if right and minute == 20:
            answers.pop(next(iter(answers)))
        service.save_answers(attempt, quiz, 0, answers, T0)
        service.submit_attempt(attempt, quiz, attempt.revision, T0 + timedelta(minutes=minute + 1))
        times.append(T0 + timedelta(minutes=minute + 1))
    service.start_attempt(user_id, quiz, T0 + timedelta(minutes=40))  # open: never counts
    with recorded_statements(app) as statements:
        results = best_results(user_id, [BASICS, WASTE])
    assert len(statements) == 1
    result = results[BASICS]
    assert (result.best_score, result.passed, result.passed_at, result.attempts) == (100.0, True, times[1], 3)
    assert WASTE not in results
    assert best_results(user_id, [BASICS], since=T0 + timedelta(minutes=15))[BASICS].attempts == 1
    assert best_results(user_id, []) == {}
