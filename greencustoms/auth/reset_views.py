"""Password reset pages: /password/forgot asks for a link by e-mail; /reset/<token> sets a new password from a
link (e-mailed, or handed over by an administrator)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms.validators import DataRequired, Length

from greencustoms import mail
from greencustoms.access import Access, requires
from greencustoms.auth import throttle
from greencustoms.auth.forms import new_password_field, repeat_field
from greencustoms.auth.reset import ResetError, pending_reset, redeem_reset, request_self_reset
from greencustoms.auth.session import sign_in
from greencustoms.extensions import limiter

bp = Blueprint("password_reset", __name__)


class ResetPasswordForm(FlaskForm):
    new = new_password_field(_l("New password"))
    confirm = repeat_field(_l("Repeat the new password"), "new")


class ForgotForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)], render_kw={"autocomplete": "email"})


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@requires(Access.PUBLIC, no_store=True)
def form(token: str):
    """Show the form while the link is unused and unexpired (else 404); a successful POST spends the link, ends
    every session of the account, and signs the person in on this browser (a sign-in by "reset")."""
    throttle.check("reset")
    if pending_reset(token[:100]) is None:
        throttle.failed("reset")  # a guessed link: counted against the address like any credential
        return _no_store(current_app.make_response((render_template("password_reset/invalid.html"), 404)))
    reset_form = ResetPasswordForm()
    if reset_form.validate_on_submit():
        try:
            user = redeem_reset(token, reset_form.new.data)
        except ResetError as exc:
            reset_form.new.errors.append(str(exc))
        else:
            sign_in(user, "reset")  # whoever was signed in on this browser before is signed out
            flash(_("Your new password is set, and you are signed in."), "success")
            return redirect(url_for("learning.me"), 303)
    page = render_template("password_reset/form.html", form=reset_form)
    return _no_store(current_app.make_response((page, 400 if reset_form.errors else 200)))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@requires(Access.PUBLIC, no_store=True)
def forgot():
    """Ask for a reset link by e-mail. The answer is the same whether the address has an account or not."""
    forgot_form = ForgotForm()
    if forgot_form.validate_on_submit():
        throttle.check("reset_request", account=forgot_form.email.data)
        # Every request counts against the account's and the address's limits: no mail bombing.
        throttle.counted("reset_request", account=forgot_form.email.data, event="password_reset.requested")
        request_self_reset(forgot_form.email.data)
        return redirect(url_for("password_reset.forgot_sent"), 303)
    page = render_template("password_reset/forgot.html", form=forgot_form, mail_enabled=mail.enabled())
    return page, 400 if forgot_form.errors else 200


@bp.get("/password/forgot/sent")
@requires(Access.PUBLIC, no_store=True)
def forgot_sent():
    return render_template("password_reset/forgot_sent.html", mail_enabled=mail.enabled())
