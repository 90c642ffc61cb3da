"""Certificate codes: 135 random bits from the OS CSPRNG and a check character, in Crockford base32, printed in
groups of four.

The check character (Luhn mod 32, the last of the 28) catches every single mistyped character and almost every
swap of two neighbours before anything is looked up. Codes issued before it existed (28 random characters) keep
working: a code whose check fails is still looked up, and only reported as mistyped when nothing has it.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O or U to misread
CODE_LENGTH = 28  # 27 random characters (135 bits) + 1 check character
GROUP = 4
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.·‐‑‒–—]+")
_VALUE = {char: index for index, char in enumerate(ALPHABET)}


def _luhn_sum(digits: str, double_first: bool) -> int:
    """Luhn mod N over base-32 digits, from the right: every second digit doubled (folded back into base 32)."""
    total, double = 0, double_first
    for char in reversed(digits):
        addend = _VALUE[char] * (2 if double else 1)
        total += addend // 32 + addend % 32
        double = not double
    return total


def check_character(payload: str) -> str:
    """The character that makes `payload` + it a valid code."""
    return ALPHABET[(32 - _luhn_sum(payload, double_first=True) % 32) % 32]


def has_valid_check(code: str) -> bool:
    """True when the stored form `code` ends with its check character (False for codes issued before it)."""
    return len(code) == CODE_LENGTH and _luhn_sum(code, double_first=False) % 32 == 0


def generate_code() -> str:
    """A new random code (stored form: 28 characters, no separators, the last one the check character)."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH - 1))
    return payload + check_character(payload)


def format_code(code: str) -> str:
    """The printed form: groups of four joined by dashes, e.g. 7K3M-Q9XD-..."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def code_groups(code: str) -> list[str]:
    """The groups of four of a code, for pages that must never break a code inside a group."""
    return [code[i : i + GROUP] for i in range(0, len(code), GROUP)]


def normalise_code(typed: str) -> str | None:
    """The stored form of a typed code, tolerant of case, spaces, dashes and O/0, I/L/1 mix-ups;
    None when it cannot be a code (wrong length or characters)."""
    cleaned = _SEPARATORS.sub("", typed or "").upper().translate(_CONFUSABLE)
    if len(cleaned) != CODE_LENGTH or any(c not in ALPHABET for c in cleaned):
        return None
    return cleaned
