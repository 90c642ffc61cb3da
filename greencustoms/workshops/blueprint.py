"""The `workshops` blueprint and the lookups every workshop page shares.

Who may call each route is declared on the view (greencustoms.access): trainer pages are
`@requires(Access.TRAINER)`, so a workshop id in a URL is resolved by the access policy before the view runs
(404 unless the current user trains that workshop); the participants' pages (/join, /slip) are public.
"""

from __future__ import annotations

from flask import Blueprint, abort, request

from greencustoms.access import trained_workshop_of_request
from greencustoms.models import Workshop
from greencustoms.web import public_url

bp = Blueprint("workshops", __name__)
__all__ = ["bp", "form_ids", "public_url", "visible_workshop"]


def visible_workshop(workshop_id: int) -> Workshop:
    """The workshop of the URL, already checked by the TRAINER route class (owner, co-trainer or
    administrator); 404 if the route did not check it."""
    workshop = trained_workshop_of_request()
    if workshop is None or workshop.id != workshop_id:
        abort(404)
    return workshop


def form_ids(name: str) -> list[int]:
    """The ids a form sent under `name` (checkboxes); 400 when one is not a plain number of at most 9 digits."""
    values = request.form.getlist(name)
    if not all(value.isdigit() and len(value) <= 9 for value in values):
        abort(400)
    return [int(value) for value in values]
