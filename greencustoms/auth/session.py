"""Session identity: loading the signed-in user, and the safe `next` target after sign-in. (Who may call which
route is declared with greencustoms.access.requires.)"""

from __future__ import annotations

from urllib.parse import urlsplit

from greencustoms.extensions import db
from greencustoms.models import User


def load_user_from_session(session_id: str) -> User | None:
    """Flask-Login loader: "<id>:<epoch>" must match an active user's current epoch, else the session is over."""
    user_id, _, epoch = session_id.partition(":")
    if not (user_id.isdigit() and epoch.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or (user.session_epoch or 0) != int(epoch):
        return None
    return user


def is_safe_next(target: str | None) -> bool:
    """Only a path on this site may follow login: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and all(ord(c) >= 32 for c in target)
