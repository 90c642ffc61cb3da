"""/reset/<token>: the page where a user sets a new password from a link an administrator handed over."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo

from greencustoms.access import Access, requires
from greencustoms.auth import throttle
from greencustoms.auth.forms import strong_password
from greencustoms.auth.reset import ResetError, pending_reset, redeem_reset
from greencustoms.extensions import limiter

bp = Blueprint("password_reset", __name__)


class ResetPasswordForm(FlaskForm):
    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(), strong_password],
        description=_l("At least 10 characters. A short sentence is easy to remember."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new", _l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@requires(Access.PUBLIC, no_store=True)
def form(token: str):
    """Show the form while the link is unused and unexpired (else 404); a successful POST spends the link, ends
    every session of the account and sends the user to sign in."""
    throttle.check("reset")
    if pending_reset(token[:100]) is None:
        throttle.failed("reset")  # a guessed link: counted against the address like any credential
        return _no_store(current_app.make_response((render_template("password_reset/invalid.html"), 404)))
    reset_form = ResetPasswordForm()
    if reset_form.validate_on_submit():
        try:
            redeem_reset(token, reset_form.new.data)
        except ResetError as exc:
            reset_form.new.errors.append(str(exc))
        else:
            logout_user()
            flash(_("Your new password is set. Sign in with it."), "success")
            return redirect(url_for("auth.login"), 303)
    page = render_template("password_reset/form.html", form=reset_form)
    return _no_store(current_app.make_response((page, 400 if reset_form.errors else 200)))
