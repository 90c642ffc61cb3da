"""Helpers for the workshop tests: signed-in trainers, workshops around today, bulk participants, attempts."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from greencustoms.content import get_catalog
from greencustoms.extensions import db
from greencustoms.models import QuizAttempt, User, Workshop, WorkshopParticipant, utcnow
from greencustoms.workshops.service import WorkshopDetails, create_workshop
from tests.adminkit import signed_in  # noqa: F401  (re-exported for the workshop tests)


def today() -> date:
    return utcnow().date()


def make_workshop(
    app,
    owner_id: int,
    *,
    title: str = "Mombasa port workshop",
    course: str = "demo",
    starts_on: date | None = None,
    ends_on: date | None = None,
    open_quizzes=("demo-basics",),
    pre: str | None = None,
    post: str | None = None,
    country: str = "",
) -> int:
    """A workshop of the demo course running from yesterday to tomorrow (unless dates are given); its id."""
    with app.app_context():
        owner = db.session.get(User, owner_id)
        details = WorkshopDetails(
            title=title,
            course_slug=course,
            starts_on=starts_on or today() - timedelta(days=1),
            ends_on=ends_on or today() + timedelta(days=1),
            place="Mombasa",
            language="en",
            country=country,
            open_quizzes=frozenset(open_quizzes),
            pre_quiz_slug=pre,
            post_quiz_slug=post,
        )
        return create_workshop(owner, details, get_catalog()).id


def join_code(app, workshop_id: int) -> str:
    with app.app_context():
        return db.session.get(Workshop, workshop_id).join_code


def add_participants(
    app, workshop_id: int, count: int, *, prefix: str = "Participant", created: bool = False, country: str = "KE"
) -> list[int]:
    """Insert `count` learners (no password) as participants, in bulk; returns their user ids."""
    with app.app_context():
        users = [
            User(
                email=None,
                full_name=f"{prefix} {n:03d}",
                password_hash="x",
                role="learner",
                country=country,
                organisation="KRA",
            )
            for n in range(count)
        ]
        db.session.add_all(users)
        db.session.flush()
        db.session.add_all(
            WorkshopParticipant(workshop_id=workshop_id, user_id=user.id, via="roster", account_created=created)
            for user in users
        )
        db.session.commit()
        return [user.id for user in users]


def add_attempt(
    user_id: int,
    quiz_slug: str,
    score: float,
    results: dict[str, float],
    *,
    number: int,
    started_at: datetime | None = None,
    answers: dict | None = None,
    types: dict | None = None,
    status: str = "submitted",
) -> int:
    """A graded attempt with the given score and per-question credits (call inside an app context)."""
    started_at = started_at or utcnow()
    types = types or {}
    attempt = QuizAttempt(
        user_id=user_id,
        quiz_slug=quiz_slug,
        quiz_version="v1",
        number=number,
        pass_mark=70,
        status=status,
        started_at=started_at,
        submitted_at=started_at + timedelta(minutes=5),
        score=score,
        passed=score >= 70,
        questions=[{"id": qid, "type": types.get(qid, "single")} for qid in results],
        answers=answers or {},
        results=results,
        revision=1,
    )
    db.session.add(attempt)
    db.session.commit()
    return attempt.id
