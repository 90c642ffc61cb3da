"""Account pages: register, log in, log out, profile and password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from greencustoms import audit, i18n
from greencustoms.auth import service
from greencustoms.auth.forms import LoginForm, PasswordForm, ProfileForm, RegisterForm
from greencustoms.auth.session import is_safe_next
from greencustoms.extensions import limiter
from greencustoms.forms_common import country_choices, language_choices

bp = Blueprint("auth", __name__)


def _address_and_email() -> str:
    """Rate-limit key for sign-in: the client address plus the e-mail tried. A workshop room behind one address
    can sign in together, while guessing one account's password stays slow (and the address has its own limit)."""
    return f"{get_remote_address()}|{(request.form.get('email') or '').strip().lower()[:254]}"


def _with_choices(form):
    form.country.choices = country_choices()
    form.language.choices = language_choices()
    return form


def _start_session(user) -> None:
    """Renew the session at sign-in: drop whatever the anonymous session held, then log in."""
    session.clear()
    login_user(user)


def _after_login_target() -> str:
    target = request.args.get("next")
    return target if is_safe_next(target) else url_for("learning.me")


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], key_func=_address_and_email, methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_IP_RATE_LIMIT"], methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("learning.me"))
    form = _with_choices(RegisterForm(language=str(get_locale())))
    if form.validate_on_submit():
        try:
            user = service.create_user(
                email=form.email.data,
                full_name=form.full_name.data,
                password=form.password.data,
                country=form.country.data,
                organisation=form.organisation.data or "",
                language=form.language.data,
            )
        except service.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            _start_session(user)
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.full_name), "success")
            return redirect(_after_login_target())
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], key_func=_address_and_email, methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_IP_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_after_login_target())
    form = LoginForm()
    if form.validate_on_submit():
        user = service.authenticate(form.email.data, form.password.data)
        if user is not None:
            audit.record("auth.login", user.id, f"user:{user.id}", {"ip": request.remote_addr})
            _start_session(user)
            return redirect(_after_login_target())
        tried = {"email": form.email.data.strip()[:254], "ip": request.remote_addr}  # never the password
        audit.record("auth.login_failed", None, None, tried)
        form.password.errors.append(_("The e-mail or password is not correct."))
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("learning.catalogue"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    form = _with_choices(ProfileForm(obj=current_user))
    form.timezone.choices = [(zone, zone.replace("_", " ")) for zone in i18n.time_zones()]
    if form.validate_on_submit():
        try:
            service.update_profile(
                current_user,
                full_name=form.full_name.data,
                email=form.email.data,
                country=form.country.data,
                organisation=form.organisation.data or "",
                language=form.language.data,
            )
            i18n.set_time_zone(current_user, form.timezone.data)
        except service.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form), 400 if form.errors else 200


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            service.change_password(current_user, form.current.data, form.new.data)
        except service.AccountError as exc:
            form.current.errors.append(str(exc))
        else:
            _start_session(current_user._get_current_object())  # other sessions end; this one continues
            flash(_("Your password is changed. Other devices are signed out."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/password.html", form=form), 400 if form.errors else 200
