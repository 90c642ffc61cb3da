"""Field choices and validators shared by forms in several areas (countries, languages, e-mail)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from babel import Locale
from wtforms.validators import ValidationError

from greencustoms import rules
from greencustoms.rules import RuleError


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
        ((code, name) for code, name in names.items() if code in rules.country_codes()),
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


def rule_validator(rule: Callable[[str], Any], *, optional: bool = True) -> Callable:
    """A WTForms validator that applies a rule of greencustoms.rules and shows its message; the field's data is
    replaced by the rule's canonical form (NFC, folded e-mail). An empty optional field is left alone."""

    def validate(form, field) -> None:
        if optional and not (field.data or "").strip():
            return
        try:
            field.data = rule(field.data)
        except RuleError as error:
            raise ValidationError(str(error)) from None

    validate.__doc__ = rule.__doc__
    return validate


# The rules most forms need (kept under their historical names).
valid_email = rule_validator(rules.email)
no_control_characters = rule_validator(rules.plain_text)
person_name = rule_validator(rules.display_name)


def show_rule_errors(form, error: RuleError, default_field: str) -> None:
    """Put each broken rule of a service's RuleError next to its field (or `default_field`)."""
    for each in getattr(error, "errors", [error]):
        target = getattr(form, each.field or "", None) or getattr(form, default_field)
        target.errors.append(str(each))
