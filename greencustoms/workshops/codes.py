"""Join codes and sign-in slip tokens: random Crockford base32 strings that are easy to read aloud and type.

Crockford's alphabet has no I, L, O or U, and typed input is forgiving: lower case, spaces and dashes are
ignored, O is read as 0 and I or L as 1.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
JOIN_CODE_LENGTH = 8  # 40 bits: enough for a code that is looked up behind a rate limit and a sign-in
SLIP_TOKEN_LENGTH = 13  # 65 bits: a single-use secret that signs someone in
_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def random_code(length: int) -> str:
    """`length` characters drawn from the OS CSPRNG (5 bits each)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(typed: str, length: int) -> str | None:
    """The canonical form of a typed code (upper case, no separators, O→0, I/L→1), or None when it cannot be
    a code of this length."""
    cleaned = "".join(typed.split()).replace("-", "").upper().translate(_TYPOS)
    if len(cleaned) != length or any(c not in ALPHABET for c in cleaned):
        return None
    return cleaned


def grouped(code: str, size: int = 4) -> str:
    """The code in dash-separated groups for print, e.g. 7K3M-Q9XD."""
    return "-".join(code[i : i + size] for i in range(0, len(code), size))
