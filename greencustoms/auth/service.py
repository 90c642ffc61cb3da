"""Account rules: registration, authentication, profile and password changes, account creation by an operator."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from greencustoms import audit, rules
from greencustoms.auth.usernames import find_account
from greencustoms.extensions import db
from greencustoms.models import ROLES, User, normalise_email
from greencustoms.rules import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, RuleError, RulesBroken

__all__ = [
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "AccountError",
    "EmailTaken",
    "RuleError",
    "RulesBroken",
    "WrongPassword",
]
# A real hash to compare against when the e-mail is unknown, so both paths take the same time.
_DUMMY_HASH = "scrypt:32768:8:1$0000000000000000$" + "0" * 128


class AccountError(RuleError):
    """A rule about accounts was broken; the message is shown to the user."""


class WrongPassword(AccountError):
    """The current password given to confirm a change is not the account's."""


class EmailTaken(AccountError):
    """Another account already uses this e-mail address."""


def password_problem(password: str) -> str | None:
    """Why a new password is unacceptable (greencustoms.rules.password), or None."""
    try:
        rules.password(password)
    except RuleError as error:
        return str(error)
    return None


def _profile_checks(email: str | None, full_name: str, country: str, organisation: str) -> tuple[rules.Checks, dict]:
    """Run the profile rules; return the checks (to raise) and the canonical values."""
    checks = rules.Checks()
    values = {
        "email": checks.run(rules.email, email, field="email") if email else None,
        "full_name": checks.run(rules.display_name, full_name, field="full_name"),
        "country": checks.run(rules.country, country, field="country", required=False),
        "organisation": checks.run(rules.plain_text, organisation, field="organisation"),
    }
    return checks, values


def create_user(
    *,
    email: str | None,
    full_name: str,
    password: str | None,
    role: str = "learner",
    country: str = "",
    organisation: str = "",
    language: str = "en",
    password_hash: str | None = None,
) -> User:
    """Create and commit an account, after every input rule (greencustoms.rules) has passed: nothing is stored
    otherwise. `password_hash` instead of `password`: a hash made earlier (a registration confirmed by e-mail).

    Raises RuleError (RulesBroken listing each when several inputs are wrong), EmailTaken if the e-mail is in use.
    """
    checks, values = _profile_checks(email, full_name, country, organisation)
    if password_hash is None:
        checks.run(rules.password, password or "", field="password")
    if role not in ROLES:
        checks.errors.append(RuleError(_l("Unknown role; choose one of %(roles)s.", roles=", ".join(ROLES)), "role"))
    checks.raise_if_any()
    user = User(role=role, language=language, **values)
    if password_hash is None:
        user.set_password(password or "")
    else:
        user.password_hash = password_hash
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise EmailTaken(_l("An account with this e-mail address already exists."), "email") from exc
    return user


def generate_password() -> str:
    """A random password for an operator to hand over (about 100 bits, easy to read aloud)."""
    return "-".join(secrets.token_urlsafe(6) for _ in range(3))


def email_in_use(email: str, except_user_id: int | None = None) -> bool:
    """True when another account has this e-mail."""
    user = db.session.execute(db.select(User).filter_by(email=normalise_email(email))).scalar_one_or_none()
    return user is not None and user.id != except_user_id


def authenticate(typed: str, password: str) -> User | None:
    """The active account that `typed` names (an e-mail address, or a username: greencustoms.auth.usernames
    .find_account) when `password` is its password, else None. Takes the same time whether or not the account
    exists. Signing in (and recording it) is greencustoms.auth.session.sign_in."""
    user = find_account(typed)
    if user is None:
        User(password_hash=_DUMMY_HASH).check_password(password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def disabled_account(typed: str, password: str) -> bool:
    """True when the e-mail or username and the password are right but the account is disabled: the person may be
    told so, since they proved they hold the account (anyone else learns nothing new)."""
    user = find_account(typed)
    return user is not None and not user.active and user.check_password(password)


def update_profile(
    user: User, *, full_name: str, email: str | None, country: str, organisation: str, language: str
) -> None:
    """Save profile fields after the input rules (greencustoms.rules). Raises RuleError, or EmailTaken when the
    new e-mail belongs to someone else."""
    checks, values = _profile_checks(email, full_name, country, organisation)
    checks.raise_if_any()
    if values["email"] and email_in_use(values["email"], except_user_id=user.id):
        raise EmailTaken(_l("An account with this e-mail address already exists."), "email")
    for key, value in values.items():
        setattr(user, key, value)
    user.language = language
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Replace the password and end every session (the caller opens a new one for this browser); audited as
    auth.password_changed. Raises WrongPassword if `current` is wrong, RuleError if `new` is weak."""
    if not user.check_password(current):
        raise WrongPassword(_l("Your current password is not correct."), "current")
    rules.password(new)
    user.set_password(new)
    user.end_sessions()
    audit.record("auth.password_changed", user.id, f"user:{user.id}", commit=False)
    db.session.commit()
