"""Item statistics: share correct, discrimination (point-biserial), answer distribution, filters, one query."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from greencustoms.content import get_catalog
from greencustoms.extensions import db
from greencustoms.models import QuizAttempt
from greencustoms.quiz import service
from greencustoms.quiz.stats import correlation, item_statistics
from tests.quiz.helpers import BASICS, right_answers

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def graded(app, auth):
    """Four learners at demo-basics: all right; all right but the single choice; only the single choice; nothing.
    Returns their user ids in that order."""
    users = [auth.create(email=f"u{n}@example.org") for n in range(4)]
    with app.test_request_context():
        quiz = get_catalog().quizzes[BASICS]
        plans = [lambda a: a, lambda a: {**a, "basics-single": "b"}, lambda a: {"basics-single": "a"}, lambda a: {}]
        for user_id, plan in zip(users, plans, strict=True):
            attempt = service.start_attempt(user_id, quiz, T0)
            service.save_answers(attempt, quiz, 0, plan(right_answers(quiz, attempt)), T0)
            service.submit_attempt(attempt, quiz, attempt.revision, T0)
        service.start_attempt(users[0], quiz, T0)  # in progress: never counted
    return users


def rest_scores(credits_by_user, question):
    return [(sum(c.values()) - c[question]) / (len(c) - 1) for c in credits_by_user]


def test_share_correct_discrimination_and_distribution(app, graded):
    """Per question: attempts, mean credit, correlation with the rest of the test, and who answered what."""
    with app.app_context():
        stats = item_statistics(BASICS)
        credits = [
            dict(row)
            for row in db.session.scalars(
                db.select(QuizAttempt.results).filter(QuizAttempt.status != "in_progress").order_by(QuizAttempt.id)
            )
        ]
    single = stats["basics-single"]
    assert (single.attempts, single.mean_score, single.unanswered) == (4, 0.5, 1)
    assert single.distribution == {"a": 2, "b": 1}
    item = [c["basics-single"] for c in credits]
    expected = statistics.correlation(item, rest_scores(credits, "basics-single"))
    assert single.discrimination == pytest.approx(expected, abs=1e-4)
    numeric = stats["basics-numeric"]
    assert numeric.mean_score == 0.5 and numeric.distribution == {"60": 2} and numeric.unanswered == 2
    assert numeric.discrimination == pytest.approx(
        statistics.correlation([c["basics-numeric"] for c in credits], rest_scores(credits, "basics-numeric")),
        abs=1e-4,
    )
    assert stats["basics-multiple"].distribution == {"a": 2, "b": 2}
    assert stats["basics-matching"].distribution == {"Movement document → Carrier": 2, "Notification → Exporter": 2}
    assert stats["basics-ordering"].distribution == {"Notification > Consent > Shipment > Confirmation of disposal": 2}
    assert stats["basics-short-text"].distribution == {"prior informed consent": 2}


def test_filters_by_users_and_by_condition(app, graded):
    """user_ids limits the statistics to a group (a workshop session); attempt_filter adds any SQL condition."""
    with app.app_context():
        pair = item_statistics(BASICS, user_ids=graded[:2])
        strong = item_statistics(BASICS, QuizAttempt.score >= 50)
        alone = item_statistics(BASICS, user_ids=[graded[0]])
        nobody = item_statistics(BASICS, user_ids=[])
    assert pair["basics-single"].attempts == 2 and pair["basics-single"].distribution == {"a": 1, "b": 1}
    assert strong["basics-single"].attempts == 2
    assert alone["basics-single"].discrimination is None
    assert nobody == {}


def test_item_statistics_use_one_query(app, graded):
    """However many attempts and questions, the statistics cost one query."""
    statements = []
    with app.app_context():
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            item_statistics(BASICS, user_ids=graded)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1


def test_correlation_is_undefined_without_variation():
    """The correlation is None for fewer than two pairs or a constant variable, and 1.0 for a perfect line."""
    assert correlation([]) is None and correlation([(1, 0.5)]) is None
    assert correlation([(1, 0.2), (1, 0.9)]) is None
    pairs = [(0, 0.1), (1, 0.9), (1, 0.8), (0, 0.2)]
    expected = statistics.correlation([x for x, _y in pairs], [y for _x, y in pairs])
    assert correlation(pairs) == pytest.approx(expected, abs=1e-4) and expected > 0.98
    assert correlation([(0, 0.0), (1, 1.0), (2, 2.0)]) == 1.0
