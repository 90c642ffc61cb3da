"""Replay: rebuild every statement from the stored records, for a new LRS (or to fill a gap)."""

from __future__ import annotations

from greencustoms.extensions import db
from greencustoms.models import Certificate, LessonProgress, QuizAttempt, XapiStatement
from greencustoms.xapi import statements
from greencustoms.xapi.outbox import record


def replay(resend: bool = True) -> tuple[int, int]:
    """Record the statements of every completed lesson, scenario decision, graded attempt and earned certificate
    (ids already in the outbox are kept as they are) and, with `resend`, mark every statement as not yet sent so
    that the next sending runs deliver them all to the (new) LRS. Returns (new statements, statements to send)."""
    new = 0
    for progress in db.session.execute(db.select(LessonProgress).order_by(LessonProgress.id)).scalars():
        new += record(statements.lesson_completed(progress), progress.user_id)
    for attempt in db.session.execute(db.select(QuizAttempt).order_by(QuizAttempt.id)).scalars():
        new += record(statements.scenario_decisions(attempt), attempt.user_id)  # open attempts too
        new += record(statements.quiz_graded(attempt), attempt.user_id)  # nothing until graded
    for certificate in db.session.execute(db.select(Certificate).order_by(Certificate.id)).scalars():
        new += record(statements.certificate_earned(certificate), certificate.user_id)
    if resend:
        db.session.execute(
            db.update(XapiStatement).values(sent_at=None, attempts=0, next_attempt_at=db.func.now(), last_error=None)
        )
        db.session.commit()
    pending = db.session.execute(
        db.select(db.func.count(XapiStatement.id)).where(XapiStatement.sent_at.is_(None))
    ).scalar_one()
    return new, pending
