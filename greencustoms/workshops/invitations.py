"""Invitations: an existing account named in a trainer's roster is invited, never pulled in.

A roster import may create accounts (those join the workshop at once: the trainer made them), but a person who
already has an account (another workshop's learner, another trainer) is only INVITED. They are not a participant,
and no participant list, progress grid, report, analysis, results file or certificate bundle of the workshop
shows them, until they accept (on /invitations, linked from /me) or an administrator confirms. Declining is
final for that workshop: importing the roster again invites nobody twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func
from sqlalchemy.exc import IntegrityError

from greencustoms import audit
from greencustoms.access import policy
from greencustoms.content import Catalog
from greencustoms.database import read_columns
from greencustoms.extensions import db
from greencustoms.models import User, Workshop, WorkshopInvitation, WorkshopParticipant, utcnow
from greencustoms.workshops.gate import has_ended
from greencustoms.workshops.participants import enrol, restore
from greencustoms.workshops.service import WorkshopError

PENDING, ACCEPTED, DECLINED = "pending", "accepted", "declined"


@dataclass(frozen=True)
class Invitation:
    """One invitation with its workshop (what the invited person sees) or its person (what an admin sees)."""

    invitation: WorkshopInvitation
    workshop: Workshop
    user: User

    @property
    def id(self) -> int:
        return self.invitation.id


def created_by_trainer_of(actor: User, user_ids: Iterable[int]) -> set[int]:
    """Of these accounts, those a roster import created in a workshop `actor` trains: they join directly."""
    ids = set(user_ids)
    if not ids:
        return set()
    return set(
        db.session.execute(
            db.select(WorkshopParticipant.user_id)
            .join(Workshop, Workshop.id == WorkshopParticipant.workshop_id)
            .where(
                WorkshopParticipant.user_id.in_(ids),
                WorkshopParticipant.account_created.is_(True),
                policy.workshops_trained_by(actor),
            )
        ).scalars()
    )


def invite(workshop: Workshop, users: Iterable[User], actor: User) -> tuple[int, int]:
    """Invite these accounts to the workshop unless they already were (pending, accepted or declined). Returns
    (invited now, invited before). The caller commits (the roster import, in its own transaction)."""
    users = list(users)
    if not users:
        return 0, 0
    known = set(
        db.session.execute(
            db.select(WorkshopInvitation.user_id).where(
                WorkshopInvitation.workshop_id == workshop.id,
                WorkshopInvitation.user_id.in_([user.id for user in users]),
            )
        ).scalars()
    )
    fresh = [user for user in users if user.id not in known]
    for user in fresh:
        db.session.add(WorkshopInvitation(workshop_id=workshop.id, user_id=user.id, invited_by_id=actor.id))
    if fresh:
        audit.record(
            "workshop.invited",
            actor.id,
            f"workshop:{workshop.id}",
            {"users": [user.id for user in fresh]},
            commit=False,
        )
    return len(fresh), len(users) - len(fresh)


def _rows(statement) -> list[Invitation]:
    return [Invitation(*row) for row in db.session.execute(statement)]


def _select():
    return (
        db.select(WorkshopInvitation, Workshop, User)
        .join(Workshop, Workshop.id == WorkshopInvitation.workshop_id)
        .join(User, User.id == WorkshopInvitation.user_id)
    )


def pending_for(user_id: int) -> list[Invitation]:
    """The person's pending invitations, newest first."""
    return _rows(
        _select()
        .where(WorkshopInvitation.user_id == user_id, WorkshopInvitation.status == PENDING)
        .order_by(WorkshopInvitation.id.desc())
    )


def pending_count(user_id: int) -> int:
    """How many invitations wait for the person's answer."""
    return read_columns(_PENDING_COUNT, {"user_id": user_id}).scalar_one()


# /me asks on every visit: built once (building a statement costs more than running it)
_PENDING_COUNT = db.select(func.count(WorkshopInvitation.id)).where(
    WorkshopInvitation.user_id == bindparam("user_id"), WorkshopInvitation.status == PENDING
)


def pending_of(workshop: Workshop) -> list[Invitation]:
    """The workshop's pending invitations (the trainer sees the e-mail they typed, nothing else)."""
    return _rows(
        _select()
        .where(WorkshopInvitation.workshop_id == workshop.id, WorkshopInvitation.status == PENDING)
        .order_by(User.email)
    )


def all_pending() -> list[Invitation]:
    """Every pending invitation, oldest first (the administrators' page)."""
    return _rows(_select().where(WorkshopInvitation.status == PENDING).order_by(WorkshopInvitation.id))


def find(invitation_id: int) -> WorkshopInvitation | None:
    """The invitation with this id, or None (also for ids no row can have)."""
    return db.session.get(WorkshopInvitation, invitation_id) if 0 < invitation_id < 2**31 else None


def _decide(invitation: WorkshopInvitation, status: str, decider: User) -> None:
    if invitation.status != PENDING:
        raise WorkshopError(_l("This invitation was already answered."))
    invitation.status, invitation.decided_at, invitation.decided_by_id = status, utcnow(), decider.id


def accept(invitation: WorkshopInvitation, decider: User, catalog: Catalog) -> Workshop:
    """Join the workshop (a participant "via roster", enrolled in its course): by the invited person, or by an
    administrator confirming. Audited. Raises WorkshopError when already answered or the workshop is over."""
    workshop = db.session.get(Workshop, invitation.workshop_id)
    if workshop is None or has_ended(workshop, utcnow()):
        raise WorkshopError(_l("This workshop is over: it can no longer be joined."))
    _decide(invitation, ACCEPTED, decider)
    participation = WorkshopParticipant(workshop_id=workshop.id, user_id=invitation.user_id, via="roster")
    try:
        with db.session.begin_nested():
            db.session.add(participation)
    except IntegrityError:
        pass  # already joined with the code meanwhile: the invitation is simply answered
    else:
        restore(workshop, participation)
    course = catalog.course(workshop.course_slug)
    if course is not None:
        enrol([invitation.user_id], course.slug, course.version)
    event = "workshop.invitation_accepted" if decider.id == invitation.user_id else "workshop.invitation_confirmed"
    audit.record(event, decider.id, f"workshop:{workshop.id}", {"user": invitation.user_id}, commit=False)
    db.session.commit()
    return workshop


def decline(invitation: WorkshopInvitation, person: User) -> None:
    """The invited person says no: they never appear in the workshop. Audited. Raises WorkshopError when
    already answered."""
    _decide(invitation, DECLINED, person)
    audit.record(
        "workshop.invitation_declined",
        person.id,
        f"workshop:{invitation.workshop_id}",
        {"user": person.id},
        commit=False,
    )
    db.session.commit()
