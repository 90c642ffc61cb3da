"""Field choices and validators shared by forms in several areas (countries, languages, e-mail)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from babel import Locale
from flask import current_app
from wtforms.validators import ValidationError

from greencustoms import rules
from greencustoms.rules import RuleError


@lru_cache(maxsize=8)
def country_choices(locale: str = "en") -> tuple[tuple[str, str], ...]:
    """ISO 3166 alpha-2 codes with their names in `locale`, sorted by name, after an empty choice."""
    names = Locale.parse(locale).territories
    countries = sorted(
        ((code, name) for code, name in names.items() if code in rules.country_codes()),
        key=lambda item: item[1],
    )
    return (("", "—"), *countries)


def country_name(code: str, locale: str = "en") -> str:
    """The country's name, or the code itself when unknown."""
    return Locale.parse(locale).territories.get(code, code) if code else ""


def language_choices() -> list[tuple[str, str]]:
    """The configured UI languages with their own names."""
    return [
        (code, (Locale.parse(code).get_display_name(code) or code).capitalize())
        for code in current_app.config["LANGUAGES"]
    ]


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
