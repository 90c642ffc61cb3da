"""Session identity: loading the signed-in user, and the safe `next` target after sign-in. (Who may call which
route is declared with greencustoms.access.requires.)"""

from __future__ import annotations

from typing import TypeGuard
from urllib.parse import urlsplit

from flask import request, session
from flask_login import current_user, login_user, logout_user

from greencustoms import audit
from greencustoms.auth import sessions
from greencustoms.extensions import db
from greencustoms.models import User, utcnow


def load_user_from_session(session_id: str) -> User | None:
    """Flask-Login loader: the cookie's secret must name a live server-side session (greencustoms.auth.sessions),
    else the visitor is signed out. The remember cookie goes through the same check."""
    return sessions.load_user(session_id)


SIGN_IN_WAYS = ("password", "slip", "reset", "registration")


def sign_in(user: User, way: str) -> None:
    """Sign a person in, whichever way they proved who they are (`way`: the sign-in form's "password", a
    workshop "slip", a password-"reset" link, a confirmed "registration"). The ONE place that records it: the
    account's last sign-in and an `auth.login` audit event naming the way. Then start a fresh session (renew)."""
    if way not in SIGN_IN_WAYS:
        raise ValueError(f"unknown way of signing in {way!r}")
    user.last_login_at = utcnow()
    audit.record("auth.login", user.id, f"user:{user.id}", {"ip": request.remote_addr, "way": way}, commit=False)
    db.session.commit()
    renew(user)


def renew(user: User) -> None:
    """Start a fresh signed-in session for `user` (no sign-in is recorded: sign_in does that): drop whatever the
    session held, open a server-side session row for this browser, and let Flask-Login write its secret into the
    cookie. After a password change the person stays signed in on this browser through it."""
    session.clear()
    sessions.start_session(user, request.user_agent.string)
    login_user(user)


def sign_out() -> None:
    """End this browser's session on the server (a copy of the cookie stops working too), then clear it."""
    if current_user.is_authenticated:
        sessions.end_session(current_user.session_secret)
    logout_user()
    session.clear()


def is_safe_next(target: str | None) -> TypeGuard[str]:
    """Only a path on this site may follow login: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and all(ord(c) >= 32 for c in target)
