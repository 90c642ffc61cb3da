"""Administration forms. Filters are GET forms read straight from the query string; these are the POST forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from greencustoms.forms_common import no_control_characters

ROLE_LABELS = {"learner": _l("Learner"), "trainer": _l("Trainer"), "admin": _l("Administrator")}


class ActionForm(FlaskForm):
    """A button that changes something: it carries only the CSRF token."""


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[SelectChoice(value, label) for value, label in ROLE_LABELS.items()])


class ConfirmForm(FlaskForm):
    """An irreversible action: the administrator must tick the box."""

    confirm = BooleanField(
        _l("I understand that this cannot be undone."), validators=[DataRequired(_l("Tick the box to confirm."))]
    )


class ApiTokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=100), no_control_characters],
        description=_l("What the token is for, e.g. “National HR report”."),
    )


class CoordinatorScopeForm(FlaskForm):
    """A country (and optionally one organisation there) for a national coordinator."""

    country = SelectField(_l("Country"), validators=[DataRequired(_l("Choose a country."))])
    organisation = StringField(
        _l("Organisation (optional)"),
        validators=[Length(max=200), no_control_characters],
        description=_l("Only the learners of this organisation in the country; leave empty for the whole country."),
    )
