"""Account rules: registration, authentication, profile and password changes, account creation by an operator."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from greencustoms.extensions import db
from greencustoms.models import ROLES, User, normalise_email, utcnow

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128
# A real hash to compare against when the e-mail is unknown, so both paths take the same time.
_DUMMY_HASH = "scrypt:32768:8:1$0000000000000000$" + "0" * 128


class AccountError(ValueError):
    """A rule about accounts was broken; the message is shown to the user."""


class EmailTaken(AccountError):
    """Another account already uses this e-mail address."""


def password_problem(password: str) -> str | None:
    """Why a new password is unacceptable, or None. Length is what matters; no composition rules."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _l("Use at most %(n)d characters.", n=MAX_PASSWORD_LENGTH)
    if len(set(password)) < 4:
        return _l("Use a less repetitive password.")
    return None


def create_user(
    *,
    email: str | None,
    full_name: str,
    password: str,
    role: str = "learner",
    country: str = "",
    organisation: str = "",
    language: str = "en",
) -> User:
    """Create and commit an account.

    Raises EmailTaken if the e-mail is in use, AccountError on an unknown role or a weak password.
    """
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    user = User(
        email=normalise_email(email) if email else None,
        full_name=full_name.strip(),
        role=role,
        country=country,
        organisation=organisation.strip(),
        language=language,
    )
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise EmailTaken(_l("An account with this e-mail address already exists.")) from exc
    return user


def generate_password() -> str:
    """A random password for an operator to hand over (about 100 bits, easy to read aloud)."""
    return "-".join(secrets.token_urlsafe(6) for _ in range(3))


def email_in_use(email: str, except_user_id: int | None = None) -> bool:
    """True when another account has this e-mail."""
    user = db.session.execute(db.select(User).filter_by(email=normalise_email(email))).scalar_one_or_none()
    return user is not None and user.id != except_user_id


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None. Takes the same time whether or not the e-mail exists."""
    user = db.session.execute(db.select(User).filter_by(email=normalise_email(email))).scalar_one_or_none()
    if user is None:
        User(password_hash=_DUMMY_HASH).check_password(password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def update_profile(user: User, *, full_name: str, email: str, country: str, organisation: str, language: str) -> None:
    """Save profile fields. Raises EmailTaken when the new e-mail belongs to someone else."""
    if email_in_use(email, except_user_id=user.id):
        raise EmailTaken(_l("An account with this e-mail address already exists."))
    user.full_name = full_name.strip()
    user.email = normalise_email(email)
    user.country = country
    user.organisation = organisation.strip()
    user.language = language
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Replace the password and end every other session. Raises AccountError if `current` is wrong or `new` is weak."""
    if not user.check_password(current):
        raise AccountError(_l("Your current password is not correct."))
    problem = password_problem(new)
    if problem:
        raise AccountError(problem)
    user.set_password(new)
    user.end_sessions()
    db.session.commit()
