"""Registration and e-mail changes confirmed by a link sent to the address, so that no page tells whether an
address has an account (no enumeration).

With mail configured (greencustoms.mail), `request_registration` answers the same way for every address: a new
address receives a link that creates the account when opened; the owner of a known address receives a notice
instead, and the visitor learns nothing. `request_email_change` works alike for the new address of a profile.
Links are single use, valid for CONFIRM_LIFETIME, stored as hashes only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from werkzeug.security import generate_password_hash

from greencustoms import mail, rules
from greencustoms.auth import service
from greencustoms.database import spend_once
from greencustoms.extensions import db
from greencustoms.models import EmailConfirmation, User, normalise_email, utcnow
from greencustoms.models.tokens import hash_secret, new_secret
from greencustoms.web import public_url

CONFIRM_LIFETIME = timedelta(hours=24)


class ConfirmError(service.AccountError):
    """The link is unknown, used, expired, or its address was taken meanwhile; the message says what to do."""


def _owner(email: str) -> User | None:
    return db.session.execute(db.select(User).filter_by(email=normalise_email(email))).scalar_one_or_none()


def _pending(kind: str, email: str, now: datetime, user_id: int | None = None, **details) -> str:
    secret = new_secret()
    db.session.add(
        EmailConfirmation(
            token_hash=hash_secret(secret),
            kind=kind,
            email=email,
            user_id=user_id,
            details=details,
            created_at=now,
            expires_at=now + CONFIRM_LIFETIME,
        )
    )
    db.session.commit()
    return secret


def _notice(email: str) -> None:
    """Tell the owner of `email` that someone tried to use it; never tell the visitor."""
    mail.send(
        email,
        _("Someone tried to use your e-mail address"),
        _(
            "Someone asked to use this e-mail address for an account on %(site)s, but you already have an account "
            "with it. If it was you, sign in at %(url)s (an administrator can give you a password-reset link). If it "
            "was not you, you can ignore this message: nothing has changed.",
            site=public_url("/").rstrip("/"),
            url=public_url("/login"),
        ),
    )


def request_registration(
    *, email: str, full_name: str, password: str, country: str, organisation: str, language: str
) -> None:
    """Check every rule, then mail a confirmation link (new address) or a notice (known address). Both paths hash
    the password, so they take the same time. Raises RuleError on bad input, whichever the address."""
    checks, values = service._profile_checks(email, full_name, country, organisation)
    checks.run(rules.password, password, field="password")
    checks.raise_if_any()
    password_hash = generate_password_hash(password, method="scrypt")
    if _owner(values["email"]) is not None:
        _notice(values["email"])
        return
    profile = {key: value for key, value in values.items() if key != "email"}
    secret = _pending("register", values["email"], utcnow(), password_hash=password_hash, language=language, **profile)
    mail.send(
        values["email"],
        _("Confirm your e-mail address"),
        _(
            "Open this link within 24 hours to create your account: %(url)s\n\nIf you did not ask for an "
            "account, ignore this message.",
            url=public_url(f"/register/confirm/{secret}"),
        ),
    )


def _spend(secret: str, kind: str, now: datetime) -> EmailConfirmation:
    row = db.session.execute(
        db.select(EmailConfirmation).filter_by(token_hash=hash_secret(secret[:100]), kind=kind)
    ).scalar_one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise ConfirmError(_("This link is not valid any more. Start again."))
    if not spend_once(EmailConfirmation, row.id, now):
        raise ConfirmError(_("This link is not valid any more. Start again."))
    return row


def confirm_registration(secret: str, now: datetime | None = None) -> User:
    """Create the account of a confirmed registration and return it. Raises ConfirmError (bad link) or
    EmailTaken (the address got an account meanwhile)."""
    row = _spend(secret, "register", now or utcnow())
    details = dict(row.details)
    db.session.commit()
    return service.create_user(
        email=row.email,
        full_name=details["full_name"],
        password=None,
        password_hash=details["password_hash"],
        country=details.get("country") or "",
        organisation=details.get("organisation") or "",
        language=details.get("language") or "en",
    )


def request_email_change(user: User, new_email: str) -> None:
    """Mail a link to `new_email` that moves the account to it, or a notice to its owner when it is taken. The
    caller says the same either way. Raises RuleError on an invalid address."""
    address = rules.email(new_email)
    if address == user.email:
        return
    if _owner(address) is not None:
        _notice(address)
        return
    secret = _pending("email_change", address, utcnow(), user_id=user.id)
    mail.send(
        address,
        _("Confirm your new e-mail address"),
        _(
            "Open this link within 24 hours to sign in with this address from now on: %(url)s\n\nIf you did not "
            "ask for this, ignore this message.",
            url=public_url(f"/email/confirm/{secret}"),
        ),
    )


def confirm_email_change(secret: str, now: datetime | None = None) -> User:
    """Move the account to its confirmed new address. Raises ConfirmError (bad link) or EmailTaken."""
    row = _spend(secret, "email_change", now or utcnow())
    user = db.session.get(User, row.user_id) if row.user_id else None
    if user is None or not user.active:
        db.session.rollback()
        raise ConfirmError(_("This link is not valid any more. Start again."))
    if service.email_in_use(row.email, except_user_id=user.id):
        db.session.rollback()
        raise service.EmailTaken(_("An account with this e-mail address already exists."), "email")
    user.email = row.email
    db.session.commit()
    return user
