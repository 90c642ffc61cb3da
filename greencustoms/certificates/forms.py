"""Administration forms for certificates."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from greencustoms.forms_common import person_name


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for revoking"),
        validators=[DataRequired(), Length(max=1000)],
        description=_l("Recorded for administrators. The public page only says that the certificate is revoked."),
    )


class ReissueForm(FlaskForm):
    holder_name = StringField(
        _l("Corrected name"),
        validators=[DataRequired(), Length(max=200), person_name],
        description=_l("The new certificate prints this name; the old code will read “superseded”."),
    )
