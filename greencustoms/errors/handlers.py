"""Error handlers for the whole app, rendered from templates/errors/."""

from __future__ import annotations

from typing import NoReturn

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

bp = Blueprint("errors", __name__)

MESSAGES = {
    400: _l("The request could not be understood. Please check what you sent and try again."),
    403: _l("You do not have permission to see this page."),
    404: _l("We could not find that page. It may have moved, or the address may be mistyped."),
    405: _l("This page does not accept that kind of request."),
    413: _l("What you sent is too large."),
    429: _l("Too many attempts. Please wait a minute and try again."),
    500: _l("Something went wrong on our side. Your saved work is safe; please try again."),
}


def _render(status: int, message: str | None = None):
    text = message or MESSAGES.get(status) or MESSAGES[500 if status >= 500 else 400]
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        return {"error": {"status": status, "message": str(text)}}, status
    return render_template("errors/error.html", status=status, message=text), status


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError):
    """A missing or stale CSRF token: 400 with advice to reload, nothing is changed."""
    return _render(400, _l("This form has expired or was not sent from this site. Reload the page and try again."))


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    """Every HTTP error gets the generic page; abort(400, description) keeps its message."""
    status = error.code or 500
    custom = error.description if getattr(error, "custom_message", False) else None
    return _render(status, custom)


@bp.app_errorhandler(Exception)
def unexpected_error(error: Exception):
    """Unexpected failures are logged in full and shown as a generic 500."""
    from flask import current_app

    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return _render(500)


class UserFacingError(HTTPException):
    """An HTTP error whose description is written for the user and shown on the error page."""

    custom_message = True

    def __init__(self, status: int, message: str):
        super().__init__(description=str(message))
        self.code = status


def fail(status: int, message: str) -> NoReturn:
    """Stop the request with `status` and a message the user can act on (e.g. 400 for tampered input)."""
    raise UserFacingError(status, message)
