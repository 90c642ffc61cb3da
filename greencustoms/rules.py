"""Input rules, each in one place: names, e-mails, usernames, countries, passwords and formula-safe text.

Every rule is a plain function that returns the value in its canonical form (a name in NFC, an e-mail folded to
lower case, a country as its ISO code) or raises `RuleError` with a translatable message and the field it is
about. The services call them before they store anything; forms (greencustoms.forms_common), the `users` CLI,
the roster import and the API show the same messages. `Checks` runs several rules and raises them together, so a
person sees every problem at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from babel import Locale
from flask_babel import lazy_gettext as _l

from greencustoms.certificates.pdf import NameTooLong, check_printable_name
from greencustoms.exports.formats import neutralise

MAX_NAME = 200
MAX_EMAIL = 254
MAX_TEXT = 200
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128
# Bidirectional embeddings, overrides and isolates: they reorder what follows, so a name could read differently
# on the certificate than in the database ("Trojan source"). Marks (LRM, RLM) and joiners (ZWJ, ZWNJ, needed in
# Persian and Indic names) are harmless and stay allowed.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ALLOWED_FORMAT = frozenset("\u200c\u200d\u200e\u200f")
_NOT_COUNTRIES = {"EU", "EZ", "UN", "ZZ", "XA", "XB", "QO"}
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
MIN_USERNAME = 3
MAX_USERNAME = 32
# Letters a-z, digits, and . _ - inside: never an @, so a username can never be read as an e-mail address.
_USERNAME = re.compile(r"^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$")
# Names this short, in ordinary letters, fit the certificate on two lines at the smallest size whatever the
# glyphs (a glyph is at most one em wide): they skip the font measurement (0.1 s), so a 1,000-row roster is fast.
_SURELY_PRINTABLE = 40


class RuleError(ValueError):
    """An input broke a rule: `message` (translatable) says what to do, `field` names the input it is about."""

    def __init__(self, message: Any, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class RulesBroken(RuleError):
    """Several inputs broke rules; `errors` lists each (in the order checked)."""

    def __init__(self, errors: list[RuleError]):
        super().__init__(errors[0].message, errors[0].field)
        self.errors = errors

    def __str__(self) -> str:  # translated when shown, in the reader's language
        return " ".join(str(error) for error in self.errors)


class Checks:
    """Run several rules, keep each result, and raise every failure together:

    checks = Checks()
    name = checks.run(rules.display_name, raw_name, field="full_name")
    checks.raise_if_any()   # RulesBroken listing every RuleError
    """

    def __init__(self) -> None:
        self.errors: list[RuleError] = []

    def run(self, rule: Callable[..., Any], value: Any, *, field: str, **kwargs: Any) -> Any:
        """The rule's result, or None (and the error kept, tagged with `field`) when the rule fails."""
        try:
            return rule(value, **kwargs)
        except RuleError as error:
            error.field = field
            self.errors.append(error)
            return None

    def raise_if_any(self) -> None:
        if self.errors:
            raise RulesBroken(self.errors) if len(self.errors) > 1 else self.errors[0]


def _unsafe_character(char: str) -> bool:
    """Control, format (except joiners and marks), separator-of-lines, private-use, surrogate or unassigned."""
    category = unicodedata.category(char)
    if char in BIDI_CONTROLS:
        return True
    if category == "Cf":
        return char not in ALLOWED_FORMAT
    return category in ("Cc", "Co", "Cs", "Cn", "Zl", "Zp")


def plain_text(value: str | None, *, limit: int = MAX_TEXT, required: bool = False) -> str:
    """One line of text a person typed (organisation, place, title): stripped, NFC, no control, bidi-override or
    other invisible format characters, no < or >, not a spreadsheet formula, at most `limit` characters.
    Raises RuleError."""
    text = unicodedata.normalize("NFC", (value or "").strip())
    if required and not text:
        raise RuleError(_l("This field is required."))
    if any(_unsafe_character(char) for char in text):
        raise RuleError(_l("Remove the invisible or control characters from this field."))
    if "<" in text or ">" in text:
        raise RuleError(_l("Remove the special characters (such as < or >) from this field."))
    formula_safe(text)
    if len(text) > limit:
        raise RuleError(_l("This is longer than %(n)d characters: shorten it.", n=limit))
    return text


def formula_safe(text: str) -> str:
    """Text that a spreadsheet would not run as a formula, by the test every export applies
    (greencustoms.exports.formats.neutralise). Raises RuleError otherwise."""
    if neutralise(text) != text:
        raise RuleError(_l("This starts with =, +, - or @, which a spreadsheet would run as a formula: remove it."))
    return text


def display_name(value: str | None) -> str:
    """A person's full name as printed on certificates: `plain_text` rules, at least one visible character, and
    short enough to print whole on a certificate (greencustoms.certificates.pdf wraps it to two lines at most,
    never clips). Returns it in NFC. Raises RuleError."""
    name = plain_text(value, limit=MAX_NAME, required=True)
    if not any(unicodedata.category(char)[0] in "LNMPS" for char in name):
        raise RuleError(_l("Enter a name with visible letters."))
    if not _surely_printable(name):
        try:
            check_printable_name(name)
        except NameTooLong:
            raise RuleError(
                _l(
                    "This name is too long to print on a certificate, even on two lines in small print. Shorten it "
                    "(for example with initials for middle names) and try again."
                )
            ) from None
    return name


def _surely_printable(name: str) -> bool:
    return (
        len(name) <= _SURELY_PRINTABLE
        and all(
            unicodedata.category(char) in ("Lu", "Ll", "Lt", "Lo", "Mn", "Mc", "Zs", "Pd", "Po", "Cf") for char in name
        )
        and not any(0xFB50 <= ord(char) <= 0xFEFF for char in name)
    )


def email(value: str | None) -> str:
    """A plausible e-mail address (one @, a dot in the domain, no spaces or control characters, at most 254
    characters), folded to lower case. Raises RuleError."""
    address = (value or "").strip()
    if any(_unsafe_character(char) for char in address) or not _EMAIL.match(address):
        raise RuleError(_l("Enter an e-mail address like name@example.org."))
    if len(address) > MAX_EMAIL:
        raise RuleError(_l("This is longer than %(n)d characters: shorten it.", n=MAX_EMAIL))
    return address.lower()


def username(value: str | None) -> str:
    """A username to sign in with instead of an e-mail address: 3 to 32 characters, letters a-z, digits, and dots,
    dashes or underscores between them; never an @ (so it cannot be taken for an e-mail). Compared without case:
    returned in lower case, the form that is stored and must be unique. Raises RuleError."""
    name = (value or "").strip().lower()
    if not (MIN_USERNAME <= len(name) <= MAX_USERNAME) or not _USERNAME.match(name):
        raise RuleError(
            _l(
                "A username has %(min)d to %(max)d characters: letters a-z, digits, and dots, dashes or underscores "
                "between them (no @, no spaces).",
                min=MIN_USERNAME,
                max=MAX_USERNAME,
            )
        )
    return name


def sign_in_name(typed: str | None) -> tuple[str, str]:
    """What a person typed in the sign-in form, as ("email", address) when it holds an @, else ("username",
    name), each folded the way it is stored. Never raises: a malformed entry simply matches no account."""
    text = (typed or "").strip().lower()
    return ("email", text) if "@" in text else ("username", text)


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """ISO codes in lower case to ISO codes, from Babel's territory list (regions and groupings left out)."""
    codes = [str(code) for code in Locale.parse("en").territories]
    return {code.lower(): code for code in codes if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES}


def country_codes() -> frozenset[str]:
    """Every ISO 3166 alpha-2 code accepted as a country."""
    return frozenset(_countries().values())


def country(value: str | None, *, required: bool = True) -> str:
    """An ISO 3166 alpha-2 code from Babel's territory list (any case). Returns the upper-case code ("" when not
    required and empty). Raises RuleError. (Roster files also accept country names in several languages:
    greencustoms.workshops.countries.)"""
    typed = (value or "").strip()
    if not typed:
        if required:
            raise RuleError(_l("Choose your country."))
        return ""
    code = _countries().get(typed.lower()) if len(typed) <= 100 else None
    if code is None:
        raise RuleError(_l("Unknown country code: use a two-letter ISO code such as KE."))
    return code


def password(value: str) -> str:
    """A new password: 10 to 128 characters, not too repetitive; length is what matters (no composition rules).
    Raises RuleError."""
    if len(value) < MIN_PASSWORD_LENGTH:
        raise RuleError(_l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    if len(value) > MAX_PASSWORD_LENGTH:
        raise RuleError(_l("Use at most %(n)d characters.", n=MAX_PASSWORD_LENGTH))
    if len(set(value)) < 4:
        raise RuleError(_l("Use a less repetitive password."))
    if "\x00" in value:
        raise RuleError(_l("Remove the invisible or control characters from this field."))
    return value
