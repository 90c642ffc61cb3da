"""ONE throttle policy for every credential check: sign-in, the current password on /account/password, password
reset links, sign-in slips and API tokens.

Failed checks are counted per account (the e-mail tried, or the signed-in user) and per client address, in the
rate limiter's own storage (Flask-Limiter's `limiter.limiter`: memory by default, Redis when
RATELIMIT_STORAGE_URI names it, so every worker and instance shares the counts). Once a count is over
CREDENTIAL_ACCOUNT_LIMIT or CREDENTIAL_ADDRESS_LIMIT, the check is refused with 429 BEFORE the secret is even
compared, so a right guess after many wrong ones gets nowhere. Every failed and every throttled attempt is audited
(`auth.login_failed` / `auth.credential_failed`, `auth.throttled`), with the address and never the secret.

    throttle.check("password", account=user.email, actor_id=user.id)   # raises Throttled (429)
    if not ok:
        throttle.failed("password", account=user.email, actor_id=user.id)
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from limits import parse_many

from greencustoms import audit
from greencustoms.errors import UserFacingError
from greencustoms.extensions import limiter

KINDS = ("login", "password", "reset", "reset_request", "slip", "api_token")
NAMESPACE = "credentials"


class Throttled(UserFacingError):
    """Too many failed attempts on this account or from this address: 429, the check was not made."""

    def __init__(self, kind: str):
        super().__init__(429, str(_l("Too many failed attempts. Wait a few minutes and try again.")))
        self.kind = kind


def _address() -> str:
    return get_remote_address() if request else "-"


def _counters(account: str | None) -> list[tuple[Any, str]]:
    """(limit, identifier) pairs of the policy: the account's and the address's."""
    config = current_app.config
    pairs = [(item, f"address:{_address()}") for item in parse_many(config["CREDENTIAL_ADDRESS_LIMIT"])]
    if account:
        key = f"account:{account.strip().lower()[:254]}"
        pairs += [(item, key) for item in parse_many(config["CREDENTIAL_ACCOUNT_LIMIT"])]
    return pairs


def _keys(identifier: str) -> tuple[str, ...]:
    """The counter's key parts: the app's RATELIMIT_KEY_PREFIX (as for the limiter's own counters, so instances
    sharing a Redis keep apart when they should), this policy's namespace, the account or address."""
    return (current_app.config.get("RATELIMIT_KEY_PREFIX") or "", NAMESPACE, identifier)


def check(kind: str, *, account: str | None = None, actor_id: int | None = None) -> None:
    """Raise Throttled (and audit `auth.throttled`) when this account or address has failed too often."""
    for item, identifier in _counters(account):
        if not limiter.limiter.test(item, *_keys(identifier)):
            audit.record("auth.throttled", actor_id, _target(account), _details(kind, account))
            raise Throttled(kind)


def failed(kind: str, *, account: str | None = None, actor_id: int | None = None, **details: Any) -> None:
    """Count a failed check against the account and the address, and audit it (never pass the secret)."""
    for item, identifier in _counters(account):
        limiter.limiter.hit(item, *_keys(identifier))
    event = "auth.login_failed" if kind == "login" else "auth.credential_failed"
    audit.record(event, actor_id, _target(account), {**_details(kind, account), **details})


def counted(kind: str, *, account: str | None = None, event: str) -> None:
    """Count a request that is not a failure but must not repeat without end (a password-reset e-mail) against the
    same counters, and audit it as `event`."""
    for item, identifier in _counters(account):
        limiter.limiter.hit(item, *_keys(identifier))
    audit.record(event, None, _target(account), _details(kind, account))


def _target(account: str | None) -> str | None:
    return f"account:{account.strip().lower()[:190]}" if account else None


def _details(kind: str, account: str | None) -> dict[str, Any]:
    if kind not in KINDS:
        raise ValueError(f"unknown credential kind {kind!r}")
    details: dict[str, Any] = {"kind": kind, "ip": _address()}
    if account:
        details["email"] = account.strip()[:254]
    return details
