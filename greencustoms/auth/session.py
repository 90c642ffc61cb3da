"""Session identity: loading the signed-in user and the access decorators used by every blueprint."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import abort
from flask_login import current_user, login_required

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


def role_required(*roles: str) -> Callable:
    """Decorator: signed-in users holding one of `roles` (admins hold all) pass; others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def is_safe_next(target: str | None) -> bool:
    """Only a path on this site may follow login: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and all(ord(c) >= 32 for c in target)
