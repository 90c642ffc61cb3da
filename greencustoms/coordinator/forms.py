"""The coordinator's POST forms (filters are GET forms read from the query string)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from greencustoms.forms_common import no_control_characters


class ActionForm(FlaskForm):
    """A button that changes something: it carries only the CSRF token."""


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=100), no_control_characters],
        description=_l("What the token is for, e.g. “National HR report”."),
    )
