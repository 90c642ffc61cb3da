"""The language menu's target: POST /language remembers the choice (a cookie, and the account when signed in)."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from greencustoms import i18n
from greencustoms.access import Access, requires
from greencustoms.auth.session import is_safe_next
from greencustoms.errors import fail
from greencustoms.extensions import csrf

bp = Blueprint("language", __name__)


@bp.post("/language")
@csrf.exempt
@requires(Access.PUBLIC)
def choose():
    """Set the interface language and go back to the page the menu was on (a local path only). 400 for a language
    that is not offered.

    A signed-in person's choice is stored on the account, so their request must carry the CSRF token. An anonymous
    visitor's choice only sets a preference cookie in their own browser: no token is asked, which keeps public pages
    free of a session (and the same for every visitor, so they can be cached)."""
    if current_user.is_authenticated:
        csrf.protect()
    code = request.form.get("lang", "")
    if not i18n.supported(code):
        fail(400, _("Choose one of the languages offered."))
    if current_user.is_authenticated:
        i18n.set_language(current_user, code)
    target = request.form.get("next")
    response = redirect(target if is_safe_next(target) else url_for("learning.catalogue"), 303)
    response.set_cookie(
        i18n.COOKIE,
        code,
        max_age=i18n.COOKIE_MAX_AGE,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response
