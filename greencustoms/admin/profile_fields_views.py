"""Profile field pages: the list of fields with the form for a new one, one field's edit page, and the buttons
that reorder, retire and reactivate fields. The rules are greencustoms.profiles'; every change is audited."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from greencustoms import profiles
from greencustoms.access import Access, requires
from greencustoms.admin.blueprint import bp
from greencustoms.admin.forms import KIND_LABELS, ActionForm, NewProfileFieldForm, ProfileFieldForm
from greencustoms.extensions import db
from greencustoms.forms_common import show_rule_errors
from greencustoms.models import ProfileField
from greencustoms.rules import RuleError


def _lines(text: str | None) -> list[str]:
    return (text or "").splitlines()


def _list_page(form: NewProfileFieldForm | None = None, status: int = 200, error: str | None = None):
    fields = profiles.all_fields()
    return render_template(
        "admin/profile_fields.html",
        fields=fields,
        active_count=sum(1 for field in fields if field.active),
        form=form or NewProfileFieldForm(),
        kinds=KIND_LABELS,
        max_fields=profiles.MAX_FIELDS,
        error=error,
    ), status


@bp.get("/profile-fields")
@requires(Access.ADMIN)
def profile_fields():
    return _list_page()


@bp.post("/profile-fields")
@requires(Access.ADMIN)
def create_profile_field():
    """Define a new field; a broken rule shows next to its input (400)."""
    form = NewProfileFieldForm()
    if form.validate_on_submit():
        try:
            field = profiles.define_field(
                current_user._get_current_object(),
                key=form.key.data,
                label=form.label.data,
                kind=form.kind.data,
                options=_lines(form.options.data),
                hint=form.hint.data or "",
            )
        except RuleError as exc:
            show_rule_errors(form, exc, "label")
        else:
            flash(_("The field “%(label)s” is added.", label=field.label), "success")
            return redirect(url_for("admin.profile_fields"), 303)
    return _list_page(form, 400)


@bp.route("/profile-fields/<int:field_id>", methods=["GET", "POST"])
@requires(Access.ADMIN)
def profile_field(field_id: int):
    """Edit a field's label, help text and choices (its key and kind are fixed)."""
    field = db.get_or_404(ProfileField, field_id)
    form = ProfileFieldForm(data=None if request.method == "POST" else _form_data(field))
    if form.validate_on_submit():
        try:
            profiles.update_field(
                current_user._get_current_object(),
                field,
                label=form.label.data,
                options=_lines(form.options.data),
                hint=form.hint.data or "",
            )
        except RuleError as exc:
            db.session.rollback()
            show_rule_errors(form, exc, "label")
        else:
            flash(_("The field “%(label)s” is saved.", label=field.label), "success")
            return redirect(url_for("admin.profile_fields"), 303)
    page = render_template("admin/profile_field.html", profile_field=field, form=form, kinds=KIND_LABELS)
    return page, 400 if request.method == "POST" else 200


def _form_data(field: ProfileField) -> dict[str, str]:
    return {"label": field.label, "hint": field.hint, "options": "\n".join(field.options)}


@bp.post("/profile-fields/<int:field_id>/move")
@requires(Access.ADMIN)
def move_profile_field(field_id: int):
    """Move an active field one place up or down (?direction=up|down in the form)."""
    field = db.get_or_404(ProfileField, field_id)
    direction = request.form.get("direction", "")
    if not ActionForm().validate_on_submit() or direction not in ("up", "down"):
        return _list_page(status=400, error=_("This request could not be carried out. Try again from this page."))
    profiles.move_field(current_user._get_current_object(), field, direction)
    return redirect(url_for("admin.profile_fields"), 303)


@bp.post("/profile-fields/<int:field_id>/retire")
@requires(Access.ADMIN)
def retire_profile_field(field_id: int):
    """Retire a field: hidden from forms and new exports; its values are kept."""
    return _set_active(field_id, False)


@bp.post("/profile-fields/<int:field_id>/reactivate")
@requires(Access.ADMIN)
def reactivate_profile_field(field_id: int):
    """Bring a retired field back, with the values kept since."""
    return _set_active(field_id, True)


def _set_active(field_id: int, active: bool):
    field = db.get_or_404(ProfileField, field_id)
    if not ActionForm().validate_on_submit():
        return _list_page(status=400, error=_("This request could not be carried out. Try again from this page."))
    try:
        profiles.set_active(current_user._get_current_object(), field, active)
    except RuleError as exc:
        return _list_page(status=400, error=str(exc))
    if active:
        flash(_("The field “%(label)s” is active again.", label=field.label), "success")
    else:
        flash(_("The field “%(label)s” is retired; its values are kept.", label=field.label), "success")
    return redirect(url_for("admin.profile_fields"), 303)
