"""Signal receivers: record the xAPI statements of each learning event in the outbox, then ask a worker to send.

Connected by the factory (connect_receivers; blinker signals are global); each does nothing unless the sending
app has an LRS configured. They run after the sender's transaction has committed, so a failure here never loses
the event itself; `flask xapi replay` rebuilds any statement from the records.
"""

from __future__ import annotations

import logging

from greencustoms import jobs
from greencustoms.extensions import db
from greencustoms.models import Certificate, LessonProgress, QuizAttempt, utcnow
from greencustoms.signals import attempt_graded, certificate_issued, lesson_completed, scenario_decided
from greencustoms.xapi import statements
from greencustoms.xapi.outbox import enabled, record

log = logging.getLogger(__name__)


def _keep(built: list[dict], user_id: int) -> None:
    """Record the statements; a failure here is logged and never breaks the learner's action (replay rebuilds)."""
    try:
        new = bool(built) and record(built, user_id)
    except Exception:
        db.session.rollback()
        log.exception("xAPI: statements of user %s not recorded; `flask xapi replay` rebuilds them", user_id)
        return
    if new:
        from greencustoms.xapi.sender import send_statements

        try:
            jobs.enqueue(send_statements)
        except Exception:  # the periodic run sends them anyway; the statements are safe in the outbox
            log.exception("xAPI: could not queue a sending run")


def on_lesson_completed(app, *, user_id: int, course_slug: str, lesson_id: str) -> None:
    if not enabled():
        return
    module_slug, lesson_slug = lesson_id.split("/", 1)
    progress = db.session.execute(
        db.select(LessonProgress).filter_by(user_id=user_id, module_slug=module_slug, lesson_slug=lesson_slug)
    ).scalar_one_or_none()
    if progress is not None:
        _keep(statements.lesson_completed(progress), user_id)


def on_attempt_graded(app, *, user_id: int, quiz_slug: str, attempt_id: int, score: float, passed: bool) -> None:
    if not enabled():
        return
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is not None:
        _keep(statements.quiz_graded(attempt), user_id)


def on_scenario_decided(app, *, user_id: int, quiz_slug: str, attempt_id: int) -> None:
    if not enabled():
        return
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is not None:  # decisions already recorded keep their ids: only the new ones are added
        _keep(statements.scenario_decisions(attempt, utcnow()), user_id)


def on_certificate_issued(app, *, user_id: int, certificate_id: int) -> None:
    if not enabled():
        return
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is not None:
        _keep(statements.certificate_earned(certificate), user_id)


def connect_receivers() -> None:
    """Listen to lesson_completed, attempt_graded, certificate_issued and scenario_decided (connecting again is a
    no-op)."""
    lesson_completed.connect(on_lesson_completed)
    attempt_graded.connect(on_attempt_graded)
    certificate_issued.connect(on_certificate_issued)
    scenario_decided.connect(on_scenario_decided)
