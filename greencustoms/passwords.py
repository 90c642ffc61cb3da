"""Password hashing in one place: the method comes from PASSWORD_HASH_METHOD (scrypt unless configured).

Production keeps the slow default. The test suite sets a cheap method (one round of PBKDF2) so that its many
accounts do not each cost a full key derivation; a stored hash names its own method, so checking works whatever
the current setting is.
"""

from __future__ import annotations

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

DEFAULT_METHOD = "scrypt"


def hash_method() -> str:
    """The configured hashing method (werkzeug syntax, e.g. "scrypt" or "pbkdf2:sha256:600000")."""
    if has_app_context():
        return str(current_app.config.get("PASSWORD_HASH_METHOD") or DEFAULT_METHOD)
    return DEFAULT_METHOD


def hash_password(password: str) -> str:
    """A salted hash of `password` with the configured method; never the password itself."""
    return generate_password_hash(password, method=hash_method())


def password_matches(password_hash: str, password: str) -> bool:
    """True when `password` matches the stored hash (the hash names its own method and cost)."""
    return check_password_hash(password_hash, password)
