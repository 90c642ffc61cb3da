"""One-time sign-in slips for participants without an e-mail address at hand.

A slip carries a 65-bit random token (13 Crockford base32 characters, from `secrets`), stored only as its SHA-256
hash. It signs its participant in ONCE, then asks them to set a password; a second use is refused. A slip is
valid for SLIP_LIFETIME (7 days) from printing. A trainer may print one at any time, also after the workshop is
over (a participant who lost their password); printing new slips for a participant cancels their older unused
ones, which stop working at once. A participant without an e-mail gets a username (greencustoms.auth.usernames)
when their slip is printed, if they had none: it is printed on the slip, and they sign in with it afterwards.

Slips are only for learner accounts that a roster import of this workshop created: a trainer can never use a
slip to enter an account that existed before (a learner's own account, a trainer's or an administrator's).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from greencustoms import audit, mail, rules
from greencustoms.access import policy
from greencustoms.auth.confirm import request_email_change
from greencustoms.auth.service import AccountError, EmailTaken, email_in_use, password_problem
from greencustoms.auth.usernames import give_usernames
from greencustoms.database import spend_once
from greencustoms.extensions import db
from greencustoms.models import SignInSlip, User, Workshop, WorkshopParticipant, utcnow
from greencustoms.models.tokens import hash_secret
from greencustoms.workshops.codes import SLIP_TOKEN_LENGTH, normalise, random_code
from greencustoms.workshops.participants import Participant
from greencustoms.workshops.service import WorkshopError

SLIP_LIFETIME = timedelta(days=7)


class SlipError(WorkshopError):
    """The slip cannot sign anyone in; the message says why and what to do."""


@dataclass(frozen=True)
class IssuedSlip:
    """A slip to print: the token is shown this once and never stored."""

    participant: Participant
    token: str
    expires_at: datetime

    @property
    def printed_token(self) -> str:
        return format_token(self.token)


def format_token(token: str) -> str:
    """The token in three groups for print: XXXX-XXXX-XXXXX."""
    return f"{token[:4]}-{token[4:8]}-{token[8:]}"


def eligible(participant: Participant) -> bool:
    """True when a slip may be printed for this participant (see the module docstring)."""
    user = participant.user
    return participant.participation.account_created and policy.is_learner_account(user)


def issue_slips(
    workshop: Workshop, participants: Iterable[Participant], actor: User, now: datetime | None = None
) -> list[IssuedSlip]:
    """Create one slip per participant (of this workshop, already checked by the caller) and return the tokens;
    e-mail-less participants without a username get one. Audited as workshop.slips_issued.

    Raises WorkshopError when none is chosen or when one is not eligible.
    """
    chosen = list(participants)
    now = now or utcnow()
    if not chosen:
        raise WorkshopError(_l("Choose at least one participant."))
    refused = [p.user.full_name for p in chosen if not eligible(p) or p.participation.workshop_id != workshop.id]
    if refused:
        raise WorkshopError(
            _l(
                "Sign-in slips are only for accounts created by this workshop's roster import: %(names)s.",
                names=", ".join(refused),
            )
        )
    expires_at = now + SLIP_LIFETIME
    ids = [p.id for p in chosen]
    give_usernames(p.user for p in chosen)
    db.session.execute(db.delete(SignInSlip).where(SignInSlip.participant_id.in_(ids), SignInSlip.used_at.is_(None)))
    issued = []
    for participant in chosen:
        token = random_code(SLIP_TOKEN_LENGTH)
        db.session.add(
            SignInSlip(
                participant_id=participant.id,
                token_hash=hash_secret(token),
                created_by_id=actor.id,
                created_at=now,
                expires_at=expires_at,
            )
        )
        issued.append(IssuedSlip(participant, token, expires_at))
    audit.record(
        "workshop.slips_issued",
        actor.id,
        f"workshop:{workshop.id}",
        {"participants": ids, "expires_at": expires_at.isoformat(timespec="seconds")},
        commit=False,
    )
    db.session.commit()
    return issued


def _find(typed: str) -> tuple[SignInSlip, User] | None:
    token = normalise(typed[:64], SLIP_TOKEN_LENGTH)
    if token is None:
        return None
    row = db.session.execute(
        db.select(SignInSlip, User)
        .join(WorkshopParticipant, WorkshopParticipant.id == SignInSlip.participant_id)
        .join(User, User.id == WorkshopParticipant.user_id)
        .where(SignInSlip.token_hash == hash_secret(token))
    ).first()
    return (row[0], row[1]) if row else None


@dataclass(frozen=True)
class SlipProblem:
    """Why a slip cannot sign anyone in: `kind` is "unknown", "used", "expired" or "refused"."""

    kind: str
    message: str


def slip_problem(typed: str, now: datetime | None = None) -> SlipProblem | None:
    """Why this slip cannot sign anyone in (unknown, used, expired, account not allowed), or None when it can."""
    found = _find(typed)
    if found is None:
        return SlipProblem(
            "unknown", str(_l("This sign-in code is not known. Check what you typed, or ask your trainer."))
        )
    slip, user = found
    if slip.used_at is not None:
        return SlipProblem("used", _used_message())
    if slip.expires_at <= (now or utcnow()):
        return SlipProblem("expired", str(_l("This sign-in slip has expired. Ask your trainer for a new one.")))
    if not policy.is_learner_account(user):
        return SlipProblem("refused", str(_l("This sign-in slip cannot be used. Ask your trainer.")))
    return None


def _used_message() -> str:
    return str(
        _l(
            "This sign-in slip has already been used. Sign in with the password you chose, or ask your "
            "trainer for a new slip."
        )
    )


def holder_name(typed: str) -> str | None:
    """The name of the person a valid slip signs in (shown before they confirm), or None."""
    found = _find(typed)
    return found[1].full_name if found else None


def redeem_slip(typed: str, now: datetime | None = None) -> User:
    """Spend the slip and return its participant's account, whose older sessions end. The slip is spent with
    one conditional UPDATE, so two simultaneous uses cannot both succeed. Raises SlipError (with the reason) when
    the slip is unknown, used, expired or its account cannot use slips. Audited as workshop.slip_used."""
    now = now or utcnow()
    problem = slip_problem(typed, now)
    if problem is not None:
        raise SlipError(problem.message)
    found = _find(typed)
    if found is None:  # deleted since slip_problem looked it up
        raise SlipError(str(_l("This sign-in code is not known. Check what you typed, or ask your trainer.")))
    slip, user = found
    if not spend_once(SignInSlip, slip.id, now, SignInSlip.expires_at > now):
        raise SlipError(_used_message())
    user.end_sessions()
    audit.record("workshop.slip_used", user.id, f"user:{user.id}", {"slip": slip.id}, commit=False)
    db.session.commit()
    return user


def set_first_password(user: User, password: str, email: str | None) -> bool:
    """After a slip sign-in: set the participant's password and, optionally, the e-mail they will sign in with.
    With mail configured the e-mail goes through the confirmation link like any e-mail change
    (greencustoms.auth.confirm; returns True: a link was sent, or a notice to the owner of a taken address);
    without, it is set at once. Raises AccountError on a weak password or (without mail) an e-mail that another
    account uses, RuleError on a malformed e-mail."""
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    address = rules.email(email) if email else None
    confirming = address is not None and address != user.email and mail.enabled()
    if address and not confirming:
        if email_in_use(address, except_user_id=user.id):
            raise EmailTaken(str(_l("An account with this e-mail address already exists.")))
        user.email = address
    user.set_password(password)
    db.session.commit()
    if confirming and address:
        request_email_change(user, address)
    return confirming
