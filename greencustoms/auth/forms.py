"""Forms for registration, sign-in, profile and password change."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from greencustoms import rules
from greencustoms.forms_common import no_control_characters, person_name, rule_validator, valid_email

_strong_password = rule_validator(rules.password, optional=False)
# Shown under every field that sets a password; it states rules.MIN_PASSWORD_LENGTH (tests check that they agree).
NEW_PASSWORD_HINT = _l("At least 10 characters. A short sentence is easy to remember.")


def new_password_field(label: str) -> PasswordField:
    """A field for a new password, as every form that sets one has it: the password rule (rules.password), its
    hint, and a browser that offers a new password rather than filling in the saved one."""
    return PasswordField(
        label,
        validators=[DataRequired(), _strong_password],
        description=NEW_PASSWORD_HINT,
        render_kw={"autocomplete": "new-password"},
    )


def repeat_field(label: str, of: str) -> PasswordField:
    """The new password typed again: it must equal the field named `of`."""
    return PasswordField(
        label,
        validators=[DataRequired(), EqualTo(of, _l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )


class ProfileFields(FlaskForm):
    """The fields of a person's profile, shared by registration and the profile page."""

    full_name = StringField(
        _l("Full name"),
        validators=[DataRequired(), Length(max=200), person_name],
        description=_l("Exactly as it must appear on your certificates."),
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Length(max=254), valid_email],
        render_kw={"autocomplete": "email"},
    )
    country = SelectField(_l("Country"), validators=[DataRequired(_l("Choose your country."))])
    organisation = StringField(
        _l("Organisation"),
        validators=[Length(max=200), no_control_characters],
        description=_l("For example: Kenya Revenue Authority, Customs Services Department."),
        render_kw={"autocomplete": "organization"},
    )
    language = SelectField(_l("Preferred language"))


class RegisterForm(ProfileFields):
    password = new_password_field(_l("Password"))
    confirm = repeat_field(_l("Repeat the password"), "password")


class ProfileForm(ProfileFields):
    timezone = SelectField(
        _l("Time zone"), description=_l("Times on the site are shown in this zone."), validate_choice=True
    )


class ProfileFormWithoutEmail(ProfileForm):
    """The profile of an account that signs in with its username: the e-mail may stay empty, or be added."""

    email = EmailField(
        _l("E-mail (optional)"),
        validators=[Optional(), Length(max=254), valid_email],
        description=_l("Add an e-mail address to sign in with it and to receive password-reset links."),
        render_kw={"autocomplete": "email"},
    )


class LoginForm(FlaskForm):
    # Named "email" (the rate limit's key and older links use it) but takes an e-mail address OR a username:
    # a text field, since a browser would refuse a username in an e-mail field.
    email = StringField(
        _l("E-mail or username"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=128)], render_kw={"autocomplete": "current-password"}
    )


class PasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    new = new_password_field(_l("New password"))
    confirm = repeat_field(_l("Repeat the new password"), "new")
