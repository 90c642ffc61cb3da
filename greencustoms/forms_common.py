"""Field choices and validators shared by forms in several areas (countries, languages, e-mail)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from babel import Locale
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

_NOT_COUNTRIES = {"EU", "EZ", "UN", "ZZ", "XA", "XB", "QO"}
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


def _reader_locale(locale: str | None) -> str:
    """`locale`, else the current request's interface language, else English (outside a request)."""
    if locale:
        return locale
    from flask import has_request_context
    from flask_babel import get_locale

    return str(get_locale() or "en") if has_request_context() else "en"


def _sort_key(name: str) -> str:
    """Alphabetical in any Latin-script language: accents do not push "Égypte" after "Zambie"."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def country_choices(locale: str | None = None) -> tuple[tuple[str, str], ...]:
    """ISO 3166 alpha-2 codes with their names in `locale` (default: the reader's), sorted by name, after an
    empty choice."""
    return _country_choices(_reader_locale(locale))


@lru_cache(maxsize=16)
def _country_choices(locale: str) -> tuple[tuple[str, str], ...]:
    names = Locale.parse(locale).territories
    countries = sorted(
        (
            (code, name)
            for code, name in names.items()
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
        ),
        key=lambda item: _sort_key(item[1]),
    )
    return (("", "—"), *countries)


def country_name(code: str, locale: str | None = None) -> str:
    """The country's name in `locale` (default: the reader's), or the code itself when unknown."""
    return Locale.parse(_reader_locale(locale)).territories.get(code, code) if code else ""


def language_choices() -> list[tuple[str, str]]:
    """The configured interface languages, each with its own name."""
    from greencustoms.i18n import language_choices as choices

    return choices()


def valid_email(form, field) -> None:
    """A plausible address: one @, a dot in the domain, no spaces. Raises ValidationError otherwise."""
    if field.data and not _EMAIL.match(field.data.strip()):
        raise ValidationError(_l("Enter an e-mail address like name@example.org."))


def no_control_characters(form, field) -> None:
    """Names and organisations are printed on certificates: refuse control characters and angle brackets."""
    value = field.data or ""
    if any(ord(c) < 32 or c in "<>" for c in value):
        raise ValidationError(_l("Remove the special characters (such as < or >) from this field."))
