"""Helpers for the administration, export, API and audit tests: signed-in clients and seeded learning records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from greencustoms.certificates.codes import generate_code
from greencustoms.extensions import db
from greencustoms.models import AuditEvent, Certificate, CourseCompletion, Enrolment, User
from tests.conftest import PASSWORD, post_form

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def signed_in(app, role: str = "admin", email: str | None = None, name: str = "Ada Admin", **extra):
    """Create an account with `role`, sign it in on a new client; returns (user_id, client)."""
    from greencustoms.auth.service import create_user

    email = email or f"{role}@example.org"
    with app.app_context():
        user_id = create_user(email=email, full_name=name, password=PASSWORD, role=role, **extra).id
    client = app.test_client()
    response = post_form(client, "/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 302, "sign-in failed"
    return user_id, client


def add_learner(
    name: str = "Amina Njoroge",
    *,
    email: str | None = None,
    country: str = "KE",
    organisation: str = "Kenya Revenue Authority",
    language: str = "en",
) -> int:
    """Insert a learner directly (no form rules: tests can store hostile strings); returns its id."""
    user = User(
        email=email,
        full_name=name,
        password_hash="x",
        role="learner",
        country=country,
        organisation=organisation,
        language=language,
    )
    db.session.add(user)
    db.session.commit()
    return user.id


def add_record(
    user_id: int,
    course: str = "demo",
    *,
    completed: datetime | None = None,
    score: float | None = None,
    certificate: str | None = None,
    expires: datetime | None = None,
    enrolled: datetime = T0,
    holder: str = "Holder",
) -> Certificate | None:
    """An enrolment, optionally a completion and a certificate in state `certificate` (valid, revoked...)."""
    db.session.add(
        Enrolment(
            user_id=user_id, course_slug=course, course_version="v1", enrolled_at=enrolled, last_activity_at=enrolled
        )
    )
    issued = None
    if completed:
        db.session.add(
            CourseCompletion(
                user_id=user_id, course_slug=course, course_version="v1", completed_at=completed, final_score=score
            )
        )
    if certificate:
        issued = Certificate(
            code=generate_code(),
            user_id=user_id,
            course_slug=course,
            sequence=1,
            holder_name=holder,
            course_title="Demo course",
            modules_covered=["Basics"],
            score=score,
            issued_at=completed or T0,
            expires_at=expires,
            language="en",
            content_version="v1",
            issuing_body="Green Customs Learn",
            status=certificate,
            reason="completion",
        )
        db.session.add(issued)
    db.session.commit()
    return issued


def seed_rows(count: int, start: int = 0, course: str = "demo") -> None:
    """Bulk-insert `count` learners, each enrolled in, completed and certified for `course` (fast, no ORM units)."""
    users = [
        {
            "email": f"learner{i}@example.org",
            "full_name": f"Learner Ñumber {i}",
            "password_hash": "x",
            "role": "learner",
            "country": "KE",
            "organisation": "Kenya Revenue Authority",
            "language": "en",
            "active": True,
            "session_epoch": 0,
            "created_at": T0,
        }
        for i in range(start, start + count)
    ]
    db.session.execute(insert(User), users)
    ids = db.session.execute(select(User.id).where(User.email.in_([u["email"] for u in users]))).scalars().all()
    when = T0 + timedelta(days=1)
    db.session.execute(
        insert(Enrolment),
        [
            {"user_id": i, "course_slug": course, "course_version": "v1", "enrolled_at": T0, "last_activity_at": T0}
            for i in ids
        ],
    )
    db.session.execute(
        insert(CourseCompletion),
        [
            {"user_id": i, "course_slug": course, "course_version": "v1", "completed_at": when, "final_score": 87.5}
            for i in ids
        ],
    )
    db.session.execute(
        insert(Certificate),
        [
            {
                "code": generate_code(),
                "user_id": i,
                "course_slug": course,
                "sequence": 1,
                "holder_name": f"Learner {i}",
                "course_title": "Demo course",
                "modules_covered": ["Basics"],
                "score": 87.5,
                "issued_at": when,
                "expires_at": None,
                "language": "en",
                "content_version": "v1",
                "issuing_body": "Green Customs Learn",
                "status": "valid",
                "reason": "completion",
            }
            for i in ids
        ],
    )
    db.session.commit()


def audit_events(app, event: str | None = None) -> list[AuditEvent]:
    """The audit events written so far (optionally of one kind), oldest first."""
    with app.app_context():
        statement = select(AuditEvent).order_by(AuditEvent.id)
        if event:
            statement = statement.where(AuditEvent.event == event)
        events = db.session.execute(statement).scalars().all()
        db.session.expunge_all()
        return events
