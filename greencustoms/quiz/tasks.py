"""Closing timed quiz attempts whose owner never came back: every minute, each attempt past its deadline plus the
quiz's grace is graded and closed through the quiz service's own rule (`close_if_overdue`), which sends
`attempt_graded`, so a passed final completes the course and issues the certificate as if the learner had
submitted. Safe to run beside learners' own requests: closing is a conditional UPDATE, graded exactly once.
"""

from __future__ import annotations

import logging
from datetime import datetime

from greencustoms.content import get_catalog
from greencustoms.extensions import db
from greencustoms.jobs.registry import periodic
from greencustoms.models.attempt import IN_PROGRESS, QuizAttempt
from greencustoms.quiz import clock
from greencustoms.quiz.service import close_if_overdue

log = logging.getLogger(__name__)
BATCH = 200  # attempts looked at per query


def close_overdue(now: datetime) -> int:
    """Grade and close every open attempt past its deadline plus grace at `now`; returns how many were closed.
    An attempt of a quiz no longer in the catalog is left alone (nothing to grade it against)."""
    quizzes = get_catalog().quizzes
    closed, last_id = 0, 0
    while True:
        batch = list(
            db.session.execute(
                db.select(QuizAttempt)
                .where(QuizAttempt.status == IN_PROGRESS, QuizAttempt.deadline_at < now, QuizAttempt.id > last_id)
                .order_by(QuizAttempt.id)
                .limit(BATCH)
            ).scalars()
        )
        if not batch:
            return closed
        for attempt in batch:
            quiz = quizzes.get(attempt.quiz_slug)
            if quiz is not None and attempt.status == IN_PROGRESS and close_if_overdue(attempt, quiz, now):
                closed += 1
        last_id = batch[-1].id


@periodic(minute="*")
def close_overdue_attempts() -> int:
    """The periodic task: close overdue attempts at the quiz clock's now."""
    closed = close_overdue(clock.now())
    if closed:
        log.info("closed %d timed quiz attempt(s) past their deadline", closed)
    return closed
