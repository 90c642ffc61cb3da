"""Password-reset links: issued by an administrator (valid 72 hours) or asked for by the learner ("Forgot your
password?", sent by e-mail, valid 1 hour); single use, stored as a hash only.

The administrator hands the link over (it is shown to them once); a learner gets it by e-mail. The user opens it,
sets a new password, and the link is spent. Using it ends every session of the account. Issuing a new link
cancels older unused ones. A request for an address with no active account does nothing, and the page that asked
says the same either way.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from greencustoms import audit
from greencustoms.auth.service import AccountError, normalise_email, password_problem
from greencustoms.database import spend_once
from greencustoms.extensions import db
from greencustoms.models import PasswordResetToken, User, utcnow
from greencustoms.models.tokens import hash_secret, new_secret

RESET_LIFETIME = timedelta(hours=72)
SELF_RESET_LIFETIME = timedelta(hours=1)


class ResetError(AccountError):
    """The reset cannot go ahead; the message says why."""


def issue_reset_link(actor: User, user: User, now: datetime | None = None, lifetime: timedelta = RESET_LIFETIME) -> str:
    """Create a reset token for `user` and return its secret (to be shown once, never stored).

    Raises ResetError when the account is disabled (enable it first) or anonymised.
    """
    if not user.active:
        raise ResetError(_l("This account is disabled. Enable it before issuing a password-reset link."))
    now = now or utcnow()
    secret = new_secret()
    db.session.execute(
        db.delete(PasswordResetToken).where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
    )
    db.session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=hash_secret(secret),
            created_by_id=actor.id,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    audit.record(
        "password_reset.issued",
        actor.id,
        f"user:{user.id}",
        {"expires_at": (now + lifetime).isoformat(timespec="seconds")},
        commit=False,
    )
    db.session.commit()
    return secret


def pending_reset(secret: str, now: datetime | None = None) -> PasswordResetToken | None:
    """The unused, unexpired token for this secret, or None (unknown, used or expired all look the same)."""
    token = db.session.execute(
        db.select(PasswordResetToken).filter_by(token_hash=hash_secret(secret))
    ).scalar_one_or_none()
    if token is None or token.used_at is not None or token.expires_at <= (now or utcnow()):
        return None
    return token


def redeem_reset(secret: str, new_password: str, now: datetime | None = None) -> User:
    """Set the new password, spend the token and end every session of the account.

    The token is spent with one conditional UPDATE, so two simultaneous uses cannot both succeed. Raises
    ResetError when the password is weak, or the link is unknown, used, expired, or its account disabled.
    """
    problem = password_problem(new_password)
    if problem:
        raise ResetError(problem)
    now = now or utcnow()
    token = pending_reset(secret, now)
    user = db.session.get(User, token.user_id) if token else None
    if token is None or user is None or not user.active:
        raise ResetError(_l("This link is not valid any more. Ask your administrator for a new one."))
    if not spend_once(PasswordResetToken, token.id, now):
        raise ResetError(_l("This link is not valid any more. Ask your administrator for a new one."))
    user.set_password(new_password)
    user.end_sessions()
    audit.record("password_reset.used", user.id, f"user:{user.id}", commit=False)
    db.session.commit()
    return user


def request_self_reset(email: str, now: datetime | None = None) -> None:
    """ "Forgot your password?": e-mail a one-hour link to the active account that uses `email`, if there is one.
    Nothing happens (and nothing is said) for an unknown, disabled or e-mail-less address. Without a mail server
    the link goes to the application log, for an administrator to hand over."""
    from flask import current_app
    from flask_babel import gettext as _

    from greencustoms import mail
    from greencustoms.web import public_url

    address = normalise_email(email or "")
    user = db.session.execute(db.select(User).filter_by(email=address)).scalar_one_or_none() if address else None
    if user is None or not user.active:
        return
    secret = issue_reset_link(user, user, now, lifetime=SELF_RESET_LIFETIME)
    link = public_url(f"/reset/{secret}")
    if not mail.enabled():
        current_app.logger.warning("password reset asked for user %s; no mail server, hand over: %s", user.id, link)
        return
    mail.send(
        user.email,
        _("Your password-reset link"),
        _(
            "Someone (we hope you) asked to reset the password of your account on %(site)s. Open this link within "
            "one hour to choose a new password; it works once:\n\n%(link)s\n\nIf it was not you, ignore this "
            "message: your password has not changed.",
            site=public_url("/").rstrip("/"),
            link=link,
        ),
    )
