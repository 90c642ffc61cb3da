"""The `workshops` blueprint, its guard and the lookups every workshop page shares.

Every route is for trainers and administrators (others get 403, anonymous visitors the sign-in page), except the
participants' pages listed in PUBLIC_ENDPOINTS (/join and /slip). A workshop id in a URL is only ever resolved
through `visible_workshop`, which answers 404 unless the current user may see that workshop.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request
from flask_login import current_user

from greencustoms.models import Workshop
from greencustoms.web import public_url
from greencustoms.workshops.service import find_workshop

bp = Blueprint("workshops", __name__)
__all__ = ["PUBLIC_ENDPOINTS", "bp", "form_ids", "public_url", "visible_workshop"]

PUBLIC_ENDPOINTS = {
    "workshops.join_lookup",
    "workshops.join",
    "workshops.slip_lookup",
    "workshops.slip",
    "workshops.slip_password",
}


@bp.before_request
def trainers_only():
    """Trainer pages need a signed-in trainer or administrator, for GET and POST alike."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not current_user.has_role("trainer"):
        abort(403)
    return None


@bp.after_request
def no_store(response):
    """Workshop pages show personal data and one-time secrets: never cache them."""
    response.headers["Cache-Control"] = "no-store"
    return response


def visible_workshop(workshop_id: int) -> Workshop:
    """The workshop if the current user owns it, co-trains it or is an administrator; 404 otherwise."""
    return find_workshop(current_user, workshop_id) or abort(404)


def form_ids(name: str) -> list[int]:
    """The ids a form sent under `name` (checkboxes); 400 when one is not a plain number of at most 9 digits."""
    values = request.form.getlist(name)
    if not all(value.isdigit() and len(value) <= 9 for value in values):
        abort(400)
    return [int(value) for value in values]
