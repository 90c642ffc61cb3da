"""Forms of the workshop pages: the workshop itself, the roster file, co-trainers, the first password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from greencustoms.auth.forms import new_password_field, repeat_field
from greencustoms.content import Catalog
from greencustoms.forms_common import country_choices, language_choices, no_control_characters, valid_email
from greencustoms.workshops.service import WorkshopDetails

MAX_PASTED = 400_000  # characters of pasted roster: 1,000 rows of 400


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class WorkshopForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(), Length(max=200), no_control_characters],
        description=_l("For example: Mombasa port workshop, March 2026."),
    )
    starts_on = DateField(_l("First day"), validators=[DataRequired(_l("Enter the first day as YYYY-MM-DD."))])
    ends_on = DateField(_l("Last day"), validators=[DataRequired(_l("Enter the last day as YYYY-MM-DD."))])
    place = StringField(_l("Place"), validators=[Length(max=200), no_control_characters])
    country = SelectField(
        _l("Country"),
        validate_choice=False,  # the service says which countries this person may declare (and why not)
        description=_l("The national coordinators of this country manage the workshop too."),
    )
    language = SelectField(
        _l("Language of the session"),
        description=_l("The join page, the join sheet, the sign-in slips and new participants' accounts use it."),
    )
    open_quizzes = MultiCheckboxField(
        _l("Quizzes open from the start"),
        validate_choice=True,
        description=_l(
            "Participants can take only the open quizzes during the "
            "workshop's dates. You can open and close them later."
        ),
    )
    pre_quiz = SelectField(_l("Pre-test"), validators=[Optional()])
    post_quiz = SelectField(
        _l("Post-test"), validators=[Optional()], description=_l("May be the same quiz as the pre-test.")
    )

    def fill_choices(
        self, catalog: Catalog, course_slug: str, countries: list[tuple[str, str]] | None = None
    ) -> WorkshopForm:
        """Offer the course's quizzes, the session languages and the `countries` (default: every country, or
        none)."""
        quizzes = [(quiz.slug, quiz.title) for quiz in catalog.quizzes_of(course_slug)]
        self.language.choices = language_choices()
        self.country.choices = list(country_choices()) if countries is None else countries
        if "open_quizzes" in self._fields:
            self.open_quizzes.choices = quizzes
        self.pre_quiz.choices = [("", _l("— none —")), *quizzes]
        self.post_quiz.choices = [("", _l("— none —")), *quizzes]
        return self

    def details(self, course_slug: str) -> WorkshopDetails:
        """The form's values for the service."""
        opened = self.open_quizzes.data if "open_quizzes" in self._fields else []
        return WorkshopDetails(
            title=self.title.data or "",
            course_slug=course_slug,
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            place=self.place.data or "",
            language=self.language.data,
            country=self.country.data or "",
            open_quizzes=frozenset(opened or ()),
            pre_quiz_slug=self.pre_quiz.data or None,
            post_quiz_slug=self.post_quiz.data or None,
        )


class RosterForm(FlaskForm):
    """A roster as a file or as pasted text (the page puts a rejected file's text here to be fixed and sent
    again); the text wins when both are given."""

    roster = FileField(
        _l("Roster file (CSV)"),
        description=_l(
            "Columns: full name, e-mail (may be empty), country (ISO code such as KE, or the name in English, "
            "French, Spanish or Arabic), organisation. Comma or semicolon; UTF-8 or Windows-1252."
        ),
    )
    text = TextAreaField(
        _l("Or paste the rows"),
        validators=[Optional(), Length(max=MAX_PASTED)],
        render_kw={"rows": 8, "spellcheck": "false"},
        description=_l("The same columns, one participant a line, as copied from a spreadsheet."),
    )

    def data_bytes(self) -> bytes | None:
        """The roster's bytes: the pasted text, else the file; None when neither was given."""
        if (self.text.data or "").strip():
            return self.text.data.encode("utf-8")
        upload = self.roster.data
        return upload.read() if upload else None


class CoTrainerForm(FlaskForm):
    email = EmailField(_l("E-mail of the trainer"), validators=[DataRequired(), Length(max=254), valid_email])


class FirstPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-mail (optional)"),
        validators=[Optional(), Length(max=254), valid_email],
        description=_l(
            "You can sign in with your username or with this e-mail address. With an e-mail you can also get a "
            "password-reset link yourself."
        ),
        render_kw={"autocomplete": "email"},
    )
    password = new_password_field(_l("New password"))
    confirm = repeat_field(_l("Repeat the password"), "password")
