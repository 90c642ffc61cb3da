"""Participants: joining with the code, the participant list, removal, and the course enrolment that goes with it.

Joining a workshop also enrols the participant in the workshop's course, so the course shows on their /me page.
Joining is possible until the workshop's last day is over (see greencustoms.workshops.gate.window).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from flask import request
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError

from greencustoms import audit
from greencustoms.content import Catalog
from greencustoms.extensions import db
from greencustoms.models import (
    Enrolment,
    User,
    Workshop,
    WorkshopAttendance,
    WorkshopParticipant,
    WorkshopRemoval,
    utcnow,
)
from greencustoms.workshops.codes import JOIN_CODE_LENGTH, normalise
from greencustoms.workshops.gate import has_ended
from greencustoms.workshops.service import WorkshopError


@dataclass(frozen=True)
class Participant:
    """One row of a participant list: the participation and the person's account."""

    participation: WorkshopParticipant
    user: User

    @property
    def id(self) -> int:
        return self.participation.id


def find_by_code(typed: str) -> Workshop | None:
    """The workshop with this join code, typed in any case, with or without dashes; None when unknown."""
    code = normalise(typed, JOIN_CODE_LENGTH)
    if code is None:
        return None
    return db.session.execute(db.select(Workshop).filter_by(join_code=code)).scalar_one_or_none()


def join_page_language() -> str | None:
    """The language of the workshop whose join page this is (/join/<code>), or that the sign-in or registration
    page will return to (?next=/join/<code>): the default for a visitor who has not chosen a language."""
    if request.endpoint == "workshops.join":
        typed = (request.view_args or {}).get("code", "")
    else:
        typed = request.args.get("next", "")
        if request.endpoint not in ("auth.login", "auth.register") or not typed.startswith("/join/"):
            return None
        typed = typed.removeprefix("/join/")
    workshop = find_by_code(typed[:40])
    return workshop.language if workshop is not None else None


def participation(workshop: Workshop, user_id: int) -> WorkshopParticipant | None:
    """The user's participation in this workshop, or None."""
    return db.session.execute(
        db.select(WorkshopParticipant).filter_by(workshop_id=workshop.id, user_id=user_id)
    ).scalar_one_or_none()


def enrol(user_ids: Iterable[int], course_slug: str, course_version: str) -> None:
    """Enrol these users in the course unless they already are (one query to find who is, then inserts; a
    parallel enrolment is not an error). The caller commits."""
    ids = set(user_ids)
    if not ids:
        return
    enrolled = set(
        db.session.execute(
            db.select(Enrolment.user_id).where(Enrolment.course_slug == course_slug, Enrolment.user_id.in_(ids))
        ).scalars()
    )
    for user_id in sorted(ids - enrolled):
        try:
            with db.session.begin_nested():
                db.session.add(Enrolment(user_id=user_id, course_slug=course_slug, course_version=course_version))
        except IntegrityError:
            continue


def join(workshop: Workshop, user: User, catalog: Catalog, now: datetime | None = None) -> bool:
    """Make the user a participant (via the join code) and enrol them in the course. Returns False when they
    already were one. Raises WorkshopError once the workshop is over."""
    if has_ended(workshop, now or utcnow()):
        raise WorkshopError(_l("This workshop is over: it can no longer be joined."))
    course = catalog.course(workshop.course_slug)
    participation = WorkshopParticipant(workshop_id=workshop.id, user_id=user.id, via="code")
    try:
        with db.session.begin_nested():
            db.session.add(participation)
        created = True
    except IntegrityError:
        created = False
    if created:
        restore(workshop, participation)
        audit.record("workshop.joined", user.id, f"workshop:{workshop.id}", {"via": "code"}, commit=False)
    if course is not None:
        enrol([user.id], course.slug, course.version)
    db.session.commit()
    return created


def participants(workshop: Workshop) -> list[Participant]:
    """Everyone in the workshop with their account, by name, in one query."""
    rows = db.session.execute(
        db.select(WorkshopParticipant, User)
        .join(User, User.id == WorkshopParticipant.user_id)
        .where(WorkshopParticipant.workshop_id == workshop.id)
        .order_by(User.full_name, User.id)
    )
    return [Participant(participation, user) for participation, user in rows]


def participant_ids(workshop: Workshop) -> Select:
    """SQL subquery of the workshop's participants' user ids (to filter other tables without an id list)."""
    return db.select(WorkshopParticipant.user_id).where(WorkshopParticipant.workshop_id == workshop.id)


def find_participant(workshop: Workshop, participant_id: int) -> Participant | None:
    """The participant with this id IN THIS workshop, or None (ids from a form are never trusted alone)."""
    row = db.session.execute(
        db.select(WorkshopParticipant, User)
        .join(User, User.id == WorkshopParticipant.user_id)
        .where(WorkshopParticipant.id == participant_id, WorkshopParticipant.workshop_id == workshop.id)
    ).first()
    return Participant(*row) if row else None


def workshops_of(user_id: int) -> list[Workshop]:
    """The workshops a person participates in, latest first (for their own page)."""
    return list(
        db.session.execute(
            db.select(Workshop)
            .join(WorkshopParticipant, WorkshopParticipant.workshop_id == Workshop.id)
            .where(WorkshopParticipant.user_id == user_id)
            .order_by(Workshop.starts_on.desc())
        ).scalars()
    )


def restore(workshop: Workshop, participation: WorkshopParticipant) -> bool:
    """Give a participation just added (flushed) back what its removal kept: how they came, whether a roster
    created the account, when they joined, their attendance; then delete the removal. False when this person
    was never removed from this workshop. The caller commits."""
    removal = db.session.execute(
        db.select(WorkshopRemoval).filter_by(workshop_id=workshop.id, user_id=participation.user_id)
    ).scalar_one_or_none()
    if removal is None:
        return False
    participation.via, participation.account_created = removal.via, removal.account_created
    participation.joined_at = removal.joined_at or utcnow()
    db.session.add_all(
        WorkshopAttendance(participant_id=participation.id, day=date.fromisoformat(day), present=bool(present))
        for day, present in (removal.attendance or {}).items()
    )
    db.session.delete(removal)
    return True
