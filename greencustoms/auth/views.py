"""Account pages: register, log in, log out, profile and password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale, refresh
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from greencustoms import audit, i18n, mail, profiles, rules
from greencustoms.access import Access, requires
from greencustoms.auth import confirm, service, sessions, throttle
from greencustoms.auth.forms import LoginForm, PasswordForm, ProfileForm, ProfileFormWithoutEmail, RegisterForm
from greencustoms.auth.session import is_safe_next, renew, sign_in, sign_out
from greencustoms.extensions import limiter
from greencustoms.forms_common import country_choices, language_choices, show_rule_errors
from greencustoms.profiles.forms import submitted_values, with_profile_fields

bp = Blueprint("auth", __name__)


def _address_and_email() -> str:
    """Rate-limit key for sign-in: the client address plus the e-mail or username tried. A workshop room behind one
    address can sign in together, while guessing one account's password stays slow (and the address has its own
    limit)."""
    return f"{get_remote_address()}|{(request.form.get('email') or '').strip().lower()[:254]}"


def _with_choices(form):
    form.country.choices = country_choices()
    form.language.choices = language_choices()
    return form


def _after_login_target() -> str:
    target = request.args.get("next")
    return target if is_safe_next(target) else url_for("learning.me")


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], key_func=_address_and_email, methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_IP_RATE_LIMIT"], methods=["POST"])
@requires(Access.PUBLIC, no_store=True)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("learning.me"))
    form = _with_choices(RegisterForm(language=str(get_locale())))
    if form.validate_on_submit():
        fields = {
            "email": form.email.data,
            "full_name": form.full_name.data,
            "password": form.password.data,
            "country": form.country.data,
            "organisation": form.organisation.data or "",
            "language": form.language.data,
        }
        try:
            if mail.enabled():  # the same answer for every address: see greencustoms.auth.confirm
                confirm.request_registration(**fields)
                return redirect(url_for("auth.register_sent"), 303)
            user = service.create_user(**fields)
        except service.RuleError as exc:
            show_rule_errors(form, exc, "email")
        else:
            audit.record("auth.registered", user.id, f"user:{user.id}", {"confirmed_by_mail": False}, commit=False)
            sign_in(user, "registration")
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.full_name), "success")
            return redirect(_after_login_target())
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.get("/register/sent")
@requires(Access.PUBLIC, no_store=True)
def register_sent():
    return render_template("auth/register_sent.html")


@bp.get("/register/confirm/<token>")
@requires(Access.PUBLIC, no_store=True)
def register_confirm(token: str):
    """Open a registration link: the account is created and signed in; a bad or spent link gets a 404 page."""
    try:
        user = confirm.confirm_registration(token)
    except service.AccountError as exc:
        return render_template("auth/register_sent.html", problem=str(exc)), 404
    audit.record("auth.registered", user.id, f"user:{user.id}", {"confirmed_by_mail": True}, commit=False)
    sign_in(user, "registration")
    flash(_("Welcome, %(name)s. Your account is ready.", name=user.full_name), "success")
    return redirect(url_for("learning.me"), 303)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], key_func=_address_and_email, methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_IP_RATE_LIMIT"], methods=["POST"])
@requires(Access.PUBLIC, no_store=True)
def login():
    if current_user.is_authenticated:
        return redirect(_after_login_target())
    form = LoginForm()
    if form.validate_on_submit():
        typed = form.email.data.strip()[:254]
        throttle.check("login", account=typed)
        user = service.authenticate(typed, form.password.data)
        if user is not None:
            sign_in(user, "password")
            return redirect(_after_login_target())
        throttle.failed("login", account=typed)  # audited with the e-mail or username tried, never the password
        if service.disabled_account(typed, form.password.data):
            form.password.errors.append(
                _("This account is disabled. Ask your trainer or an administrator to enable it.")
            )
        else:
            form.password.errors.append(_("The e-mail, username or password is not correct."))
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
@requires(Access.PUBLIC)
def logout():
    sign_out()
    flash(_("You are signed out."), "info")
    return redirect(url_for("learning.catalogue"))


@bp.post("/account/sessions/end")
@requires(Access.SIGNED_IN)
def sign_out_everywhere():
    """End every session of this account, on every device, this one included."""
    sessions.end_all_sessions(current_user._get_current_object())
    sign_out()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("auth.login"), 303)


@bp.route("/account", methods=["GET", "POST"])
@requires(Access.SIGNED_IN)
def profile():
    # An account without an e-mail (it signs in with its username) may add one, or leave the field empty. The
    # profile fields an administrator defined (greencustoms.profiles) follow the built-in ones.
    fields, stored = profiles.active_fields(), profiles.values_of(current_user.id)
    base = ProfileForm if current_user.email else ProfileFormWithoutEmail
    form = _with_choices(with_profile_fields(base, fields, stored)(obj=current_user))
    form.timezone.choices = [(zone, zone.replace("_", " ")) for zone in i18n.time_zones()]
    if form.validate_on_submit():
        user = current_user._get_current_object()
        new_email = form.email.data or None
        confirming = mail.enabled() and new_email is not None and rules.email(new_email) != user.email
        try:
            values = profiles.clean_values(fields, submitted_values(form, fields), stored)
            service.update_profile(
                user,
                full_name=form.full_name.data,
                email=user.email if confirming else new_email,
                country=form.country.data,
                organisation=form.organisation.data or "",
                language=form.language.data,
            )
            if confirming and new_email:  # the same answer whether the new address has an account or not
                confirm.request_email_change(user, new_email)
            i18n.set_time_zone(current_user, form.timezone.data)
            profiles.store_values(user, values)
        except service.RuleError as exc:
            show_rule_errors(form, exc, "email")
        else:
            refresh()  # the messages below speak the language just chosen, as the next page will
            flash(_("Your profile is saved."), "success")
            if confirming:
                flash(_("To use your new e-mail address, open the link we sent to it."), "info")
            return redirect(url_for("auth.profile"))
    devices = sessions.open_sessions(current_user._get_current_object())
    page = render_template(
        "auth/profile.html",
        form=form,
        profile_inputs=[form[profiles.form_name(field)] for field in fields],
        devices=devices,
        this_device=g.get("user_session_id"),
    )
    return page, 400 if form.errors else 200


@bp.get("/email/confirm/<token>")  # public: the link may be opened signed out
@requires(Access.PUBLIC, no_store=True)
def email_confirm(token: str):
    """Open an e-mail change link: the account signs in with the new address from now on."""
    try:
        confirm.confirm_email_change(token)
    except service.AccountError as exc:
        return render_template("auth/register_sent.html", problem=str(exc)), 404
    flash(_("Your new e-mail address is confirmed."), "success")
    return redirect(url_for("auth.profile") if current_user.is_authenticated else url_for("auth.login"), 303)


@bp.route("/account/password", methods=["GET", "POST"])
@requires(Access.SIGNED_IN)
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        throttle.check("password", account=user.email or f"user:{user.id}", actor_id=user.id)
        try:
            service.change_password(user, form.current.data, form.new.data)
        except service.WrongPassword as exc:
            throttle.failed("password", account=user.email or f"user:{user.id}", actor_id=user.id)
            form.current.errors.append(str(exc))
        except service.RuleError as exc:
            form.new.errors.append(str(exc))
        else:
            renew(current_user._get_current_object())  # other sessions end; this one continues
            flash(_("Your password is changed. Other devices are signed out."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/password.html", form=form), 400 if form.errors else 200
