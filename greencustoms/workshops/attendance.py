"""Attendance: whether each participant was present on each day of the workshop, recorded day by day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from greencustoms import audit
from greencustoms.extensions import db
from greencustoms.models import Workshop, WorkshopAttendance, WorkshopParticipant
from greencustoms.workshops.service import WorkshopError


def workshop_days(workshop: Workshop) -> list[date]:
    """Every day from the first to the last, inclusive."""
    return [workshop.starts_on + timedelta(days=n) for n in range((workshop.ends_on - workshop.starts_on).days + 1)]


def default_day(workshop: Workshop, today: date) -> date:
    """The day to take the roll for: today during the workshop, else its first or last day."""
    return min(max(today, workshop.starts_on), workshop.ends_on)


def attendance_marks(workshop: Workshop) -> dict[tuple[int, date], bool]:
    """(participant id, day) -> present, for every recorded mark of the workshop, in one query."""
    rows = db.session.execute(
        db.select(WorkshopAttendance.participant_id, WorkshopAttendance.day, WorkshopAttendance.present)
        .join(WorkshopParticipant, WorkshopParticipant.id == WorkshopAttendance.participant_id)
        .where(WorkshopParticipant.workshop_id == workshop.id)
    )
    return {(participant_id, day): present for participant_id, day, present in rows}


def record_day(workshop: Workshop, day: date, present_ids: Iterable[int], actor_id: int | None = None) -> int:
    """Record the roll for one day: the participants listed are present, every other participant of the
    workshop absent (ids of other workshops are ignored). Returns how many were present.

    Raises WorkshopError when the day is not a day of the workshop, or when someone saved the same day at the
    same moment (nothing is changed then).
    """
    if day not in workshop_days(workshop):
        raise WorkshopError(_l("Choose a day of the workshop."))
    members = list(
        db.session.execute(
            db.select(WorkshopParticipant.id).where(WorkshopParticipant.workshop_id == workshop.id)
        ).scalars()
    )
    present = set(present_ids) & set(members)
    db.session.execute(
        db.delete(WorkshopAttendance).where(
            WorkshopAttendance.participant_id.in_(members), WorkshopAttendance.day == day
        )
    )
    db.session.add_all(
        WorkshopAttendance(participant_id=member, day=day, present=member in present) for member in members
    )
    details = {"day": day.isoformat(), "present": len(present), "absent": len(members) - len(present)}
    audit.record("workshop.attendance_marked", actor_id, f"workshop:{workshop.id}", details, commit=False)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise WorkshopError(_l("Someone saved this day at the same moment. Reload the page and try again.")) from None
    return len(present)
