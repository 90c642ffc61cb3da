"""The profile fields as inputs of a form: /account and an administrator's account page add them to their own
form. Only the length is checked here (the browser's limit); the rules are the service's (`clean_values`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Length

from greencustoms.models import ProfileField
from greencustoms.profiles.service import MAX_VALUE, form_name


def with_profile_fields(base: type, fields: Sequence[ProfileField], stored: Mapping[int, str]) -> type:
    """A subclass of the form class `base` with one input per field, named `form_name(field)`, holding the stored
    value by default. A choice offers the field's options, an empty choice, and the stored value when an
    administrator has removed it from the options since."""
    inputs: dict[str, Any] = {}
    for field in fields:
        current = stored.get(field.id, "")
        if field.kind == "choice":
            options = list(field.options) + ([current] if current and current not in field.options else [])
            choices = [SelectChoice("", _l("(not given)")), *(SelectChoice(option, option) for option in options)]
            inputs[form_name(field)] = SelectField(
                field.label, choices=choices, default=current, description=field.hint, validate_choice=False
            )
        else:
            inputs[form_name(field)] = StringField(
                field.label,
                validators=[Length(max=MAX_VALUE)],
                default=current,
                description=field.hint,
                render_kw={"maxlength": MAX_VALUE},
            )
    return type(base.__name__, (base,), inputs)


def submitted_values(form: Any, fields: Sequence[ProfileField]) -> dict[str, str | None]:
    """The values the form received for the fields, keyed by their input names (for `clean_values`)."""
    return {form_name(field): getattr(form, form_name(field)).data for field in fields}
