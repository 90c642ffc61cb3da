"""Administration forms. Filters are GET forms read straight from the query string; these are the POST forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from greencustoms import rules
from greencustoms.forms_common import no_control_characters, person_name, rule_validator, valid_email

ROLE_LABELS = {"learner": _l("Learner"), "trainer": _l("Trainer"), "admin": _l("Administrator")}


class ActionForm(FlaskForm):
    """A button that changes something: it carries only the CSRF token."""


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[SelectChoice(value, label) for value, label in ROLE_LABELS.items()])


class IdentityForm(FlaskForm):
    """The name, username and e-mail of an account, as an administrator sets or corrects them."""

    full_name = StringField(
        _l("Full name"),
        validators=[DataRequired(), Length(max=200), person_name],
        description=_l("Exactly as it must appear on the certificates."),
    )
    username = StringField(
        _l("Username"),
        validators=[Optional(), Length(max=rules.MAX_USERNAME), rule_validator(rules.username)],
        description=_l("Signs in instead of the e-mail: letters a-z, digits, dots, dashes or underscores; no @."),
        render_kw={"autocapitalize": "none", "spellcheck": "false"},
    )
    email = StringField(
        _l("E-mail"),
        validators=[Optional(), Length(max=rules.MAX_EMAIL), valid_email],
        description=_l("Set here, it needs no confirmation link. Leave it empty for a person without e-mail."),
        render_kw={"type": "email", "spellcheck": "false"},
    )


class ConfirmForm(FlaskForm):
    """An irreversible action: the administrator must tick the box."""

    confirm = BooleanField(
        _l("I understand that this cannot be undone."), validators=[DataRequired(_l("Tick the box to confirm."))]
    )


class CertificateDesignForm(FlaskForm):
    """What new certificates print besides the course and the holder: who issues them, their logo and signatory."""

    issuing_body = StringField(
        _l("Issuing body"),
        validators=[DataRequired(), Length(max=200), no_control_characters],
        description=_l("Printed at the top of every certificate, e.g. “National Customs Training Academy”."),
    )
    logo = FileField(_l("Logo"), description=_l("PNG or JPEG, at most 1 MB. Printed at the top left."))
    remove_logo = BooleanField(_l("Remove the current logo"))
    signatory_name = StringField(
        _l("Signatory's name"), validators=[Length(max=200), no_control_characters], description=_l("Optional.")
    )
    signatory_title = StringField(
        _l("Signatory's title"),
        validators=[Length(max=200), no_control_characters],
        description=_l("e.g. “Director of Training”."),
    )
    signature = FileField(
        _l("Signature"), description=_l("A scan of the signature: PNG (transparent background) or JPEG, at most 1 MB.")
    )
    remove_signature = BooleanField(_l("Remove the current signature"))
    show_hours = BooleanField(_l("Print the course's study time (hours)"))
    show_score = BooleanField(_l("Print the learner's final exam score"))


class CoordinatorScopeForm(FlaskForm):
    """A country (and optionally one organisation there) for a national coordinator."""

    country = SelectField(_l("Country"), validators=[DataRequired(_l("Choose a country."))])
    organisation = StringField(
        _l("Organisation (optional)"),
        validators=[Length(max=200), no_control_characters],
        description=_l("Only the learners of this organisation in the country; leave empty for the whole country."),
    )


KIND_LABELS = {"text": _l("Text"), "choice": _l("Choice from a list")}


class ProfileFieldForm(FlaskForm):
    """A profile field as an administrator edits it. The rules are greencustoms.profiles'; lengths here are the
    browser's hint."""

    label = StringField(
        _l("Label"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("Shown to learners and as the column title in exports, e.g. “Staff number”."),
    )
    hint = StringField(
        _l("Help text (optional)"),
        validators=[Length(max=200)],
        description=_l("Shown under the label, e.g. “As printed on your service card”."),
    )
    options = TextAreaField(
        _l("Choices"),
        validators=[Length(max=6000)],
        description=_l("For a choice field only: one choice per line."),
    )


class NewProfileFieldForm(ProfileFieldForm):
    """A new field: its key and kind are chosen once and never change."""

    key = StringField(
        _l("Key"),
        validators=[DataRequired(), Length(max=40)],
        description=_l(
            "The column's name for programs (JSON, API): profile.<key>. Letters a-z, digits and underscores, e.g. "
            "staff_number. It can never be changed or reused."
        ),
        render_kw={"autocapitalize": "none", "spellcheck": "false"},
    )
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(value, label) for value, label in KIND_LABELS.items()], default="text"
    )
