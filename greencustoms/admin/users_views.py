"""Account administration pages: list and filter accounts, one account's page, and its actions."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from greencustoms import profiles
from greencustoms.access import Access, requires, scope
from greencustoms.admin import accounts, coordinators
from greencustoms.admin.blueprint import bp, public_url
from greencustoms.admin.forms import (
    ROLE_LABELS,
    ActionForm,
    ConfirmForm,
    CoordinatorScopeForm,
    IdentityForm,
    RoleForm,
)
from greencustoms.auth.reset import RESET_LIFETIME, ResetError, issue_reset_link
from greencustoms.extensions import db
from greencustoms.forms_common import country_choices, show_rule_errors
from greencustoms.inputguard import page_number
from greencustoms.models import Certificate, User
from greencustoms.profiles.forms import submitted_values, with_profile_fields
from greencustoms.rules import RuleError


@bp.get("/users")
@requires(Access.ADMIN)
def users():
    query = accounts.UserQuery.from_args(request.args)
    page = accounts.search_users(query, page_number())
    return render_template("admin/users.html", query=query, page=page, roles=ROLE_LABELS, countries=country_choices())


@bp.get("/users/<int:user_id>")
@requires(Access.ADMIN)
def user(user_id: int):
    return _user_page(db.get_or_404(User, user_id))


def _user_page(user: User, status: int = 200, error: str | None = None, **forms):
    certificates = (
        db.session.execute(db.select(Certificate).filter_by(user_id=user.id).order_by(Certificate.issued_at.desc()))
        .scalars()
        .all()
    )
    return render_template(
        "admin/user.html",
        user=user,
        summary=accounts.account_summary(user.id),
        certificates=certificates,
        anonymised=accounts.is_anonymised(user),
        is_self=user.id == current_user.id,
        error=error,
        roles=ROLE_LABELS,
        role_form=forms.get("role_form") or RoleForm(role=user.role),
        identity_form=forms.get("identity_form") or IdentityForm(obj=user),
        anonymise_form=forms.get("anonymise_form") or ConfirmForm(prefix="anonymise"),
        delete_form=forms.get("delete_form") or ConfirmForm(prefix="delete"),
        scopes=scope.scope_rows(user.id),
        scope_form=forms.get("scope_form") or _scope_form(),
        profile_form=forms.get("profile_form") or _profile_form(user),
        profile_inputs=[profiles.form_name(field) for field in profiles.active_fields()],
    ), status


def _profile_form(user: User):
    """The form of the account's profile fields (the active ones), holding its stored values."""
    return with_profile_fields(ActionForm, profiles.active_fields(), profiles.values_of(user.id))()


def _scope_form(form: CoordinatorScopeForm | None = None) -> CoordinatorScopeForm:
    form = form or CoordinatorScopeForm(prefix="scope")
    form.country.choices = list(country_choices())
    return form


def _act(user: User, action: Callable, *args, done: str):
    """Run an account action for the signed-in administrator: a refusal re-shows the page with its reason (400)."""
    try:
        action(current_user._get_current_object(), user, *args)
    except accounts.AdminActionError as exc:
        return _user_page(user, 400, str(exc))
    flash(done, "success")
    return redirect(url_for("admin.user", user_id=user.id), 303)


@bp.post("/users/<int:user_id>/role")
@requires(Access.ADMIN)
def change_role(user_id: int):
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _user_page(user, 400, role_form=form)
    return _act(
        user,
        accounts.change_role,
        form.role.data,
        done=_("The role is now %(role)s.", role=ROLE_LABELS[form.role.data]),
    )


@bp.post("/users/<int:user_id>/identity")
@requires(Access.ADMIN)
def change_identity(user_id: int):
    """Set or correct the name, username and e-mail; a broken rule shows next to its field (400)."""
    user = db.get_or_404(User, user_id)
    form = IdentityForm()
    if form.validate_on_submit():
        try:
            accounts.update_identity(
                current_user._get_current_object(),
                user,
                full_name=form.full_name.data,
                username=form.username.data or None,
                email=form.email.data or None,
            )
        except accounts.AdminActionError as exc:
            return _user_page(user, 400, str(exc), identity_form=form)
        except RuleError as exc:
            db.session.rollback()
            show_rule_errors(form, exc, "full_name")
        else:
            flash(_("The name, username and e-mail are saved."), "success")
            return redirect(url_for("admin.user", user_id=user.id), 303)
    return _user_page(user, 400, identity_form=form)


@bp.post("/users/<int:user_id>/profile")
@requires(Access.ADMIN)
def change_profile_values(user_id: int):
    """Set the account's profile fields (a staff number...); audited with the fields changed, not their values."""
    user = db.get_or_404(User, user_id)
    if accounts.is_anonymised(user):
        return _user_page(user, 400, _("This account is anonymised; it cannot be changed or used again."))
    form = _profile_form(user)
    if form.validate_on_submit():
        fields = profiles.active_fields()
        try:
            values = profiles.clean_values(fields, submitted_values(form, fields), profiles.values_of(user.id))
            profiles.store_values(user, values, actor=current_user._get_current_object())
        except RuleError as exc:
            show_rule_errors(form, exc, profiles.form_name(fields[0]) if fields else "csrf_token")
        else:
            flash(_("The profile fields are saved."), "success")
            return redirect(url_for("admin.user", user_id=user.id), 303)
    return _user_page(user, 400, profile_form=form)


@bp.post("/users/<int:user_id>/disable")
@requires(Access.ADMIN)
def disable_user(user_id: int):
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        return _user_page(user, 400)
    return _act(user, accounts.disable_user, done=_("The account is disabled and its sessions have ended."))


@bp.post("/users/<int:user_id>/enable")
@requires(Access.ADMIN)
def enable_user(user_id: int):
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        return _user_page(user, 400)
    return _act(user, accounts.enable_user, done=_("The account is enabled."))


@bp.post("/users/<int:user_id>/anonymise")
@requires(Access.ADMIN)
def anonymise_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = ConfirmForm(prefix="anonymise")
    if not form.validate_on_submit():
        return _user_page(user, 400, anonymise_form=form)
    return _act(user, accounts.anonymise_user, done=_("The account is anonymised."))


@bp.post("/users/<int:user_id>/delete")
@requires(Access.ADMIN)
def delete_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = ConfirmForm(prefix="delete")
    if not form.validate_on_submit():
        return _user_page(user, 400, delete_form=form)
    try:
        accounts.delete_user(current_user._get_current_object(), user)
    except accounts.AdminActionError as exc:
        return _user_page(user, 400, str(exc))
    flash(_("The account is deleted."), "success")
    return redirect(url_for("admin.users"), 303)


@bp.post("/users/<int:user_id>/reset-link")
@requires(Access.ADMIN)
def reset_link(user_id: int):
    """Issue a password-reset link and show it once; the page is never cached."""
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        return _user_page(user, 400)
    try:
        secret = issue_reset_link(current_user._get_current_object(), user)
    except ResetError as exc:
        return _user_page(user, 400, str(exc))
    link = public_url(url_for("password_reset.form", token=secret))
    hours = int(RESET_LIFETIME.total_seconds() // 3600)
    response = make_response(render_template("admin/reset_link.html", user=user, link=link, hours=hours))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/users/<int:user_id>/coordinator")
@requires(Access.ADMIN)
def add_coordinator_scope(user_id: int):
    """Make the account national coordinator of a country (optionally one organisation); audited."""
    user = db.get_or_404(User, user_id)
    form = _scope_form(CoordinatorScopeForm(prefix="scope"))
    if not form.validate_on_submit():
        return _user_page(user, 400, scope_form=form)
    return _act(
        user,
        coordinators.add_scope,
        form.country.data,
        form.organisation.data or "",
        done=_("The account now coordinates this country."),
    )


@bp.post("/users/<int:user_id>/coordinator/<int:scope_id>/remove")
@requires(Access.ADMIN)
def remove_coordinator_scope(user_id: int, scope_id: int):
    """Take one country (or organisation) away from the coordinator; audited. 404 when not the account's."""
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        return _user_page(user, 400)
    if not coordinators.remove_scope(current_user._get_current_object(), user, scope_id):
        abort(404)
    flash(_("The account no longer coordinates this country."), "success")
    return redirect(url_for("admin.user", user_id=user.id), 303)
