"""Field choices and validators shared by forms in several areas (countries, languages, e-mail)."""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale
from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

_NOT_COUNTRIES = {"EU", "EZ", "UN", "ZZ", "XA", "XB", "QO"}
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


@lru_cache(maxsize=8)
def country_choices(locale: str = "en") -> tuple[tuple[str, str], ...]:
    """ISO 3166 alpha-2 codes with their names in `locale`, sorted by name, after an empty choice."""
    names = Locale.parse(locale).territories
    countries = sorted(
        (
            (code, name)
            for code, name in names.items()
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
        ),
        key=lambda item: item[1],
    )
    return (("", "—"), *countries)


def country_name(code: str, locale: str = "en") -> str:
    """The country's name, or the code itself when unknown."""
    return Locale.parse(locale).territories.get(code, code) if code else ""


def language_choices() -> list[tuple[str, str]]:
    """The configured UI languages with their own names."""
    return [(code, Locale.parse(code).get_display_name(code).capitalize()) for code in current_app.config["LANGUAGES"]]


def valid_email(form, field) -> None:
    """A plausible address: one @, a dot in the domain, no spaces. Raises ValidationError otherwise."""
    if field.data and not _EMAIL.match(field.data.strip()):
        raise ValidationError(_l("Enter an e-mail address like name@example.org."))


def no_control_characters(form, field) -> None:
    """Names and organisations are printed on certificates: refuse control characters and angle brackets."""
    value = field.data or ""
    if any(ord(c) < 32 or c in "<>" for c in value):
        raise ValidationError(_l("Remove the special characters (such as < or >) from this field."))
