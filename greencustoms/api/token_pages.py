"""What the administrator's and the coordinator's API token pages share: the form, creating a token (its secret
shown once, never cached) and revoking one. Each area keeps its own routes, its own access rule and its own list
of tokens (every token for an administrator, one's own for a coordinator); `page` re-renders that list."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from greencustoms.api import tokens
from greencustoms.forms_common import no_control_characters
from greencustoms.models import ApiToken


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=100), no_control_characters],
        description=_l("What the token is for, e.g. “National HR report”."),
    )


class RevokeForm(FlaskForm):
    """The revoke button: it carries only the CSRF token."""


def create_token(area: str, page: Callable[..., tuple]):
    """Create a token named by the posted form and show its secret once; `page(form, error, status)` on error."""
    form = TokenForm()
    if not form.validate_on_submit():
        return page(form, status=400)
    try:
        token, secret = tokens.create_api_token(current_user._get_current_object(), form.name.data)
    except tokens.TokenError as exc:
        return page(form, str(exc), 400)
    created = "admin/api_token_created.html" if area == "admin" else f"{area}/token_created.html"
    response = make_response(render_template(created, token=token, secret=secret))
    response.headers["Cache-Control"] = "no-store"
    return response


def revoke_token(area: str, token: ApiToken, page: Callable[..., tuple]):
    """Revoke `token` (the caller has checked it may) and go back to the area's token list."""
    if not RevokeForm().validate_on_submit():
        return page(status=400)
    try:
        tokens.revoke_api_token(current_user._get_current_object(), token)
    except tokens.TokenError as exc:
        return page(error=str(exc), status=400)
    flash(_("The token “%(name)s” is revoked: requests using it now get 401.", name=token.name), "success")
    return redirect(url_for(f"{area}.api_tokens"), 303)
