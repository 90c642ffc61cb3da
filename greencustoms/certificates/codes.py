"""Certificate codes: 140 random bits from the OS CSPRNG, in Crockford base32, printed in groups of four."""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O or U to misread
CODE_LENGTH = 28  # 28 characters x 5 bits = 140 bits
GROUP = 4
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.·–—]+")


def generate_code() -> str:
    """A new random code (stored form: 28 characters, no separators)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """The printed form: groups of four joined by dashes, e.g. 7K3M-Q9XD-..."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise_code(typed: str) -> str | None:
    """The stored form of a typed code, tolerant of case, spaces, dashes and O/0, I/L/1 mix-ups;
    None when it cannot be a code (wrong length or characters)."""
    cleaned = _SEPARATORS.sub("", typed or "").upper().translate(_CONFUSABLE)
    if len(cleaned) != CODE_LENGTH or any(c not in ALPHABET for c in cleaned):
        return None
    return cleaned
