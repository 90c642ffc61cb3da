"""API tokens: created and revoked by administrators, shown once, stored as SHA-256 hashes, checked per request.

Format: "gcl_" followed by 43 URL-safe characters (32 random bytes). A token acts with the authority of the
administrator who created it: once that account is disabled or no longer an administrator, it is refused (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from greencustoms import audit
from greencustoms.access import policy
from greencustoms.extensions import db
from greencustoms.models import ApiToken, User, utcnow
from greencustoms.models.tokens import hash_secret, new_secret

PREFIX = "gcl_"
# last_used_at is refreshed at most this often, so that busy clients do not write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(ValueError):
    """A token cannot be created or revoked; the message says why."""


@dataclass(frozen=True)
class ApiAuthError(Exception):
    """A request's bearer token is refused: `status` is 401 (missing, unknown, revoked) or 403 (no authority)."""

    status: int
    message: str


def create_api_token(actor: User, name: str) -> tuple[ApiToken, str]:
    """Create a named token; return it with its secret, which is shown once and never stored.

    Raises TokenError when the name is empty or longer than 100 characters.
    """
    name = name.strip()
    if not name or len(name) > 100:
        raise TokenError(_l("Give the token a name of up to 100 characters, e.g. “National HR report”."))
    secret = PREFIX + new_secret()
    token = ApiToken(name=name, token_hash=hash_secret(secret), hint=secret[-4:], created_by_id=actor.id)
    db.session.add(token)
    db.session.flush()
    audit.record("api_token.created", actor.id, f"api-token:{token.id}", {"name": name}, commit=False)
    db.session.commit()
    return token, secret


def revoke_api_token(actor: User, token: ApiToken, now: datetime | None = None) -> None:
    """Revoke the token for good. Raises TokenError when it is already revoked."""
    if token.revoked:
        raise TokenError(_l("This token is already revoked."))
    token.revoked_at = now or utcnow()
    token.revoked_by_id = actor.id
    audit.record("api_token.revoked", actor.id, f"api-token:{token.id}", {"name": token.name}, commit=False)
    db.session.commit()


def all_tokens() -> list[ApiToken]:
    """Every token, newest first (revoked ones too: they stay listed)."""
    statement = db.select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    return list(db.session.execute(statement).scalars())


def bearer_secret(authorization: str | None) -> str | None:
    """The token from an "Authorization: Bearer <token>" header, or None."""
    scheme, _, value = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def authenticate_token(secret: str | None, now: datetime | None = None) -> ApiToken:
    """The live token for this secret; records when it was last used. Raises ApiAuthError (401 when missing,
    unknown or revoked; 403 when its creator is no longer an active administrator)."""
    if not secret:
        raise ApiAuthError(401, _l("Send an API token: Authorization: Bearer <token>."))
    token = db.session.execute(db.select(ApiToken).filter_by(token_hash=hash_secret(secret))).scalar_one_or_none()
    if token is None:
        raise ApiAuthError(401, _l("This API token is not valid."))
    if token.revoked:
        raise ApiAuthError(401, _l("This API token has been revoked."))
    creator = db.session.get(User, token.created_by_id) if token.created_by_id else None
    if not policy.may_issue_api_tokens(creator):
        raise ApiAuthError(
            403, _l("The administrator who created this token no longer has access; ask for a new token.")
        )
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.commit()
    return token
