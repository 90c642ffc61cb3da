"""The audit service: record who did what, and read the log back for the administration page.

Appending is the only write: this module has no function that changes or removes an event, and the model
refuses ORM updates and deletes (greencustoms.models.audit). Call `record` AFTER the action has succeeded, or
with `commit=False` inside the action's own transaction so that the event and the change commit together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import Session

from greencustoms.extensions import db
from greencustoms.models import AuditEvent, User, Workshop
from greencustoms.models.audit import AuditLogIsAppendOnly
from greencustoms.textsearch import contains

# Every event the application writes; the admin page offers them as a filter. Keep docs/admin.md in step.
EVENTS = (
    "auth.login",
    "auth.login_failed",
    "auth.credential_failed",
    "auth.throttled",
    "auth.registered",
    "auth.password_changed",
    "auth.signed_out_everywhere",
    "user.role_changed",
    "user.identity_changed",
    "user.disabled",
    "user.enabled",
    "user.anonymised",
    "user.deleted",
    "user.profile_changed",
    "profile_field.created",
    "profile_field.changed",
    "profile_field.moved",
    "profile_field.retired",
    "profile_field.reactivated",
    "coordinator.scope_added",
    "coordinator.scope_removed",
    "password_reset.issued",
    "password_reset.used",
    "password_reset.requested",
    "export.completions",
    "export.workshop_results",
    "export.audit_log",
    "certificate.revoked",
    "certificate.reissued",
    "certificate.design_changed",
    "api_token.created",
    "api_token.revoked",
    "workshop.created",
    "workshop.roster_imported",
    "workshop.slips_issued",
    "workshop.slip_used",
    "workshop.invited",
    "workshop.invitation_accepted",
    "workshop.invitation_declined",
    "workshop.invitation_confirmed",
    "workshop.participant_removed",
    "workshop.joined",
    "workshop.attendance_marked",
    "workshop.quiz_opened",
    "workshop.quiz_closed",
    "workshop.quiz_scheduled",
    "access.probe",
)
PER_PAGE = 50
ABOUT_LIMIT = 500  # people or workshops an "about" filter may name at once

__all__ = [
    "EVENTS",
    "AuditLogIsAppendOnly",
    "AuditQuery",
    "actors_of",
    "filtered",
    "groups",
    "record",
    "record_detached",
    "search",
]


def _event(event: str, actor_id: int | None, target: str | None, details: dict[str, Any] | None) -> AuditEvent:
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}: add it to greencustoms.audit.EVENTS")
    return AuditEvent(event=event, actor_id=actor_id, target=(target or None) and target[:200], details=details or {})


def record(
    event: str, actor_id: int | None, target: str | None, details: dict[str, Any] | None = None, *, commit: bool = True
) -> AuditEvent:
    """Append an event in the current session and commit it (or leave the commit to the caller's transaction).

    `details` must be JSON-serialisable and never hold a secret (no password, no token). Raises ValueError on an
    event name missing from EVENTS.
    """
    entry = _event(event, actor_id, target, details)
    db.session.add(entry)
    if commit:
        db.session.commit()
    return entry


def record_detached(
    event: str, actor_id: int | None, target: str | None, details: dict[str, Any] | None = None
) -> None:
    """Append an event in a session and transaction of its own, leaving the current session untouched.

    Used at the end of a streamed export, while the request's session may still hold the export's cursor.
    """
    with Session(db.engine) as session, session.begin():
        session.add(_event(event, actor_id, target, details))


@dataclass(frozen=True)
class AuditQuery:
    """Filters of the audit page: event name or group (the part before the dot), actor (name or e-mail fragment,
    or #id), whom or what it was about (a person's name or e-mail, a workshop's title, or a code), date range
    (inclusive)."""

    event: str = ""
    actor: str = ""
    date_from: date | None = None
    date_to: date | None = None
    group: str = ""
    about: str = ""


def groups() -> list[str]:
    """The event groups, in the order of EVENTS."""
    return list(dict.fromkeys(event.split(".", 1)[0] for event in EVENTS))


def filtered(query: AuditQuery):
    """The SELECT of the events matching `query`, newest first."""
    statement = db.select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if query.event:
        statement = statement.where(AuditEvent.event == query.event)
    elif query.group:
        statement = statement.where(AuditEvent.event.startswith(query.group + ".", autoescape=True))
    about = query.about.strip()
    if about:
        statement = statement.where(_about(about))
    actor = query.actor.strip()
    if actor.startswith("#") and actor[1:].isdigit():
        statement = statement.where(AuditEvent.actor_id == int(actor[1:]))
    elif actor:
        matching = db.select(User.id).where(contains(User.search_text, actor))
        statement = statement.where(AuditEvent.actor_id.in_(matching))
    if query.date_from:
        statement = statement.where(AuditEvent.occurred_at >= _midnight(query.date_from))
    if query.date_to:
        statement = statement.where(AuditEvent.occurred_at < _midnight(query.date_to + timedelta(days=1)))
    return statement


def _about(typed: str):
    """Events whose target is a person whose name or e-mail contains `typed`, a workshop whose title contains it,
    or whose target itself contains it (a certificate code, with or without dashes)."""
    people = db.session.execute(db.select(User.id).where(contains(User.search_text, typed)).limit(ABOUT_LIMIT))
    workshops = db.session.execute(
        db.select(Workshop.id)
        .where(func.lower(Workshop.title).contains(typed.lower(), autoescape=True))
        .limit(ABOUT_LIMIT)
    )
    targets = [f"user:{user_id}" for user_id in people.scalars()] + [f"workshop:{wid}" for wid in workshops.scalars()]
    code = typed.replace("-", "").replace(" ", "").upper()
    return (
        AuditEvent.target.in_(targets)
        | AuditEvent.target.contains(typed, autoescape=True)
        | (AuditEvent.target == f"certificate:{code}")
    )


def search(query: AuditQuery, page: int = 1, per_page: int = PER_PAGE):
    """A page of events, newest first (a Flask-SQLAlchemy Pagination of AuditEvent). Never fails on a page
    number out of range: it is simply empty."""
    return db.paginate(filtered(query), page=page, per_page=per_page, error_out=False, count=True)


def actors_of(events: list[AuditEvent]) -> dict[int, User]:
    """The current accounts of the events' actors, in one query (a deleted actor is simply absent)."""
    ids = {entry.actor_id for entry in events if entry.actor_id is not None}
    if not ids:
        return {}
    return {user.id: user for user in db.session.execute(db.select(User).where(User.id.in_(ids))).scalars()}


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)
