"""API token pages: list, create (the secret is shown once), revoke."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from greencustoms.access import Access, requires
from greencustoms.admin.blueprint import bp
from greencustoms.admin.forms import ActionForm, ApiTokenForm
from greencustoms.api import tokens
from greencustoms.extensions import db
from greencustoms.models import ApiToken, User


def _tokens_page(form: ApiTokenForm | None = None, error: str | None = None, status: int = 200):
    listed = tokens.all_tokens()
    people = {token.created_by_id for token in listed} | {token.revoked_by_id for token in listed}
    people.discard(None)
    names = {u.id: u for u in db.session.execute(db.select(User).where(User.id.in_(people))).scalars()}
    return render_template(
        "admin/api_tokens.html",
        tokens=listed,
        people=names,
        form=form or ApiTokenForm(),
        action_form=ActionForm(),
        error=error,
    ), status


@bp.get("/api-tokens")
@requires(Access.ADMIN)
def api_tokens():
    return _tokens_page()


@bp.post("/api-tokens")
@requires(Access.ADMIN)
def create_api_token():
    """Create a token and show its secret once; the page is never cached."""
    form = ApiTokenForm()
    if not form.validate_on_submit():
        return _tokens_page(form, status=400)
    try:
        token, secret = tokens.create_api_token(current_user._get_current_object(), form.name.data)
    except tokens.TokenError as exc:
        return _tokens_page(form, str(exc), 400)
    response = make_response(render_template("admin/api_token_created.html", token=token, secret=secret))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/api-tokens/<int:token_id>/revoke")
@requires(Access.ADMIN)
def revoke_api_token(token_id: int):
    token = db.get_or_404(ApiToken, token_id)
    if not ActionForm().validate_on_submit():
        return _tokens_page(status=400)
    try:
        tokens.revoke_api_token(current_user._get_current_object(), token)
    except tokens.TokenError as exc:
        return _tokens_page(error=str(exc), status=400)
    flash(_("The token “%(name)s” is revoked: requests using it now get 401.", name=token.name), "success")
    return redirect(url_for("admin.api_tokens"), 303)
