"""The `admin` blueprint and its guard: every route under /admin needs a signed-in administrator."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, request
from flask_login import current_user

from greencustoms.inputguard import MAX_ID
from greencustoms.web import public_url

__all__ = ["bp", "date_arg", "page_number", "public_url"]

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def admins_only():
    """Runs before every admin route, GET and POST alike: anonymous visitors go to the sign-in page, signed-in
    users who are not administrators (learners, trainers) get 403."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.role != "admin":
        abort(403)
    return None


def page_number() -> int:
    """The ?page= number, from 1 to MAX_ID (a larger one would overflow the query's OFFSET); anything unreadable
    means page 1."""
    return min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_ID)


def date_arg(name: str) -> date | None:
    """A YYYY-MM-DD query-string value, or None when empty. Raises ValueError when malformed."""
    raw = (request.args.get(name) or "").strip()
    return date.fromisoformat(raw) if raw else None
