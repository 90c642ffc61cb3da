"""Removing a participant and bringing them back.

The rule: removing takes the person out of the workshop's lists, grid, reports and quiz gate, but never touches
their account, progress or attempts; it keeps a WorkshopRemoval with how they came, whether a roster of the
workshop created their account, and their attendance. When they come back (a re-import of the roster, by e-mail
or, without e-mail, by the same full name; or the join code) their participation is made again from it, with
that attendance, and the removal is deleted: nothing is duplicated (one participation per person and workshop,
one account). A removal of another workshop is never used.
"""

from __future__ import annotations

from greencustoms import audit
from greencustoms.extensions import db
from greencustoms.models import User, Workshop, WorkshopAttendance, WorkshopParticipant, WorkshopRemoval
from greencustoms.workshops.participants import Participant, find_participant


def remove(workshop: Workshop, participant_id: int, actor: User) -> Participant | None:
    """Take the participant with this id out of THIS workshop, keeping a removal (see the module docstring);
    audited as workshop.participant_removed. None (nothing changed) when the id is not a participant here."""
    person = find_participant(workshop, participant_id)
    if person is None:
        return None
    marks = db.session.execute(
        db.select(WorkshopAttendance.day, WorkshopAttendance.present).where(
            WorkshopAttendance.participant_id == participant_id
        )
    ).all()
    db.session.execute(db.delete(WorkshopRemoval).filter_by(workshop_id=workshop.id, user_id=person.user.id))
    db.session.add(
        WorkshopRemoval(
            workshop_id=workshop.id,
            user_id=person.user.id,
            via=person.participation.via,
            account_created=person.participation.account_created,
            joined_at=person.participation.joined_at,
            attendance={day.isoformat(): present for day, present in marks},
            removed_by_id=actor.id,
        )
    )
    db.session.execute(db.delete(WorkshopParticipant).where(WorkshopParticipant.id == participant_id))
    audit.record(
        "workshop.participant_removed",
        actor.id,
        f"workshop:{workshop.id}",
        {"user": person.user.id, "name": person.user.full_name},
        commit=False,
    )
    db.session.commit()
    return person


def removed_users(workshop: Workshop) -> list[User]:
    """The accounts removed from this workshop (to recognise them in a re-import), in one query."""
    return list(
        db.session.execute(
            db.select(User)
            .join(WorkshopRemoval, WorkshopRemoval.user_id == User.id)
            .where(WorkshopRemoval.workshop_id == workshop.id)
            .order_by(User.id)
        ).scalars()
    )
