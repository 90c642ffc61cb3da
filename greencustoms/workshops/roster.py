"""Roster import: a CSV of participants (full name, e-mail, country, organisation) checked whole, then imported
in one transaction, or not at all.

The file may be UTF-8 (with or without a byte-order mark) or Windows-1252 (what Excel saves as "CSV" on many
office PCs): it is read as UTF-8 first and as Windows-1252 when that fails. The delimiter is a comma or a
semicolon, whichever the first line uses more. A first row naming the columns (in any order) is a header;
without one the columns are taken in the order full name, e-mail, country, organisation. Rows with an e-mail
match existing accounts: those this trainer's rosters created join, every other one is only invited (and joins
when the person accepts, greencustoms.workshops.invitations); the others create learner accounts with an
unusable password (their owners sign in with a sign-in slip; those without an e-mail get a username to sign in
with afterwards, greencustoms.auth.usernames). Every wrong row is reported by its line number
(greencustoms.workshops.roster_file), and then nothing is imported, unless the trainer asks to import the good
rows only. Someone the trainer removed from this workshop comes back as the same account, with their attendance
(greencustoms.workshops.removals): matched by e-mail, or without e-mail by the same full name. A staff number
column fills the profile field `staff_number` of the accounts the import creates, never of an existing account.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy.exc import IntegrityError

from greencustoms import audit, profiles
from greencustoms.auth.usernames import give_usernames
from greencustoms.content import Catalog
from greencustoms.extensions import db
from greencustoms.models import ProfileField, ProfileValue, User, Workshop, WorkshopParticipant
from greencustoms.workshops.invitations import created_by_trainer_of, invite
from greencustoms.workshops.participants import enrol, restore
from greencustoms.workshops.removals import removed_users
from greencustoms.workshops.roster_file import (
    STAFF_NUMBER,
    RosterProblem,
    RosterRejected,
    RosterRow,
    decode,
    parse_roster,
)

__all__ = ["ImportReport", "RosterProblem", "RosterRejected", "decode", "import_roster", "parse_roster"]


@dataclass(frozen=True)
class ImportReport:
    """What an import did: accounts created, existing accounts added (accounts this trainer's rosters created),
    existing accounts invited (everyone else: greencustoms.workshops.invitations), people already there."""

    created: int
    matched: int
    already: int
    invited: int = 0


def unusable_password_hash() -> str:
    """A random marker in place of a password hash: no password matches it (it is not a hash format)."""
    return "!roster:" + secrets.token_hex(16)


def import_roster(
    workshop: Workshop, data: bytes, actor: User, catalog: Catalog, *, skip_wrong_rows: bool = False
) -> ImportReport:
    """Check the file and add its people to the workshop in ONE transaction: existing accounts are matched by
    e-mail and invited (unless a roster of this trainer created them: those join), the others created (learner
    role, unusable password); everyone who joins is enrolled in the course; a row
    without e-mail whose name is already an e-mail-less participant's is taken as that participant (importing
    the same file twice adds nobody twice). Audited as
    workshop.roster_imported. Raises RosterRejected, importing nothing, when any row is wrong or an account
    found is disabled."""
    staff_field = next((field for field in profiles.active_fields() if field.key == STAFF_NUMBER), None)
    rows = parse_roster(data, skip_wrong_rows=skip_wrong_rows, staff_field=staff_field)
    _refuse_lost_staff_numbers(rows, staff_field)
    emails = [row.email for row in rows if row.email]
    existing = (
        {user.email: user for user in db.session.execute(db.select(User).where(User.email.in_(emails))).scalars()}
        if emails
        else {}
    )
    disabled = [
        RosterProblem(
            row.line, _l("Line %(n)d: the account of %(email)s is disabled.", n=row.line, email=escape(row.email))
        )
        for row in rows
        if row.email in existing and not existing[row.email].active
    ]
    if disabled:
        raise RosterRejected(disabled)
    current = db.session.execute(
        db.select(User.id, User.email, User.full_name)
        .join(WorkshopParticipant, WorkshopParticipant.user_id == User.id)
        .where(WorkshopParticipant.workshop_id == workshop.id)
    ).all()
    current_ids = {user_id for user_id, _email, _name in current}
    nameless = Counter(name.casefold() for _id, email, name in current if email is None)
    removed = removed_users(workshop)
    removed_nameless = {user.full_name.casefold(): user for user in removed if user.email is None}
    created = matched = already = 0
    new_participants, to_invite = [], []
    numbered: list[tuple[User, str]] = []  # accounts this import creates, with their staff number
    own = created_by_trainer_of(actor, [user.id for user in existing.values()]) | {user.id for user in removed}
    for row in rows:
        user = existing.get(row.email) if row.email else None
        if row.email is None and nameless[row.full_name.casefold()] > 0:
            nameless[row.full_name.casefold()] -= 1  # the same person in a file imported again
            already += 1
            continue
        if row.email is None and row.full_name.casefold() in removed_nameless:
            user = removed_nameless.pop(row.full_name.casefold())  # removed, now brought back: the same account
        if user is not None and user.id in current_ids:
            already += 1
            continue
        if user is not None and user.id not in own:  # someone else's learner or a trainer: invite, never pull
            to_invite.append(user)
            continue
        if user is None:
            user = User(
                email=row.email,
                full_name=row.full_name,
                role="learner",
                country=row.country,
                organisation=row.organisation,
                language=workshop.language,
                password_hash=unusable_password_hash(),
            )
            db.session.add(user)
            created += 1
            if staff_field is not None and row.staff_number:
                numbered.append((user, row.staff_number))
        else:
            matched += 1
        new_participants.append((user, user.id is None))
    give_usernames(user for user, was_created in new_participants if was_created)  # they sign in with it later
    try:
        db.session.flush()
        for user, was_created in new_participants:
            participation = WorkshopParticipant(
                workshop_id=workshop.id, user_id=user.id, via="roster", account_created=was_created
            )
            db.session.add(participation)
            db.session.flush()
            restore(workshop, participation)
        if staff_field is not None:
            db.session.add_all(
                ProfileValue(user_id=user.id, field_id=staff_field.id, value=number) for user, number in numbered
            )
        course = catalog.course(workshop.course_slug)
        if course is not None:
            enrol([user.id for user, _new in new_participants], course.slug, course.version)
        invited, invited_before = invite(workshop, to_invite, actor)
        already += invited_before
        audit.record(
            "workshop.roster_imported",
            actor.id,
            f"workshop:{workshop.id}",
            {"rows": len(rows), "created": created, "matched": matched, "already": already, "invited": invited},
            commit=False,
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise RosterRejected(
            [
                RosterProblem(
                    0,
                    _l(
                        "Someone registered with one of these e-mail addresses while "
                        "the file was imported. Import the file again."
                    ),
                )
            ]
        ) from None
    return ImportReport(created, matched, already, invited)


def _refuse_lost_staff_numbers(rows: list[RosterRow], field: ProfileField | None) -> None:
    """Raises RosterRejected when the file gives staff numbers and no profile field keyed STAFF_NUMBER is active
    (`field` is None): they would be lost without a word."""
    if field is None and any(row.staff_number for row in rows):
        raise RosterRejected(
            [
                RosterProblem(
                    0,
                    _l(
                        "The file has staff numbers, but no profile field “staff_number” is active: ask an "
                        "administrator to add it, or remove the column."
                    ),
                )
            ]
        )
