"""The public verification form: one uploaded credential file."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class VerifyUploadForm(FlaskForm):
    credential = FileField(
        _l("Credential file"),
        validators=[FileRequired(_l("Choose the credential file (.json) to check."))],
        description=_l("The .json file the certificate holder gave you. It is checked and not kept."),
    )
