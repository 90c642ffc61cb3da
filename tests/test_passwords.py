"""Password hashing: slow scrypt by default (production), the configured method otherwise, checking across methods."""

from __future__ import annotations

from werkzeug.security import generate_password_hash

from greencustoms.config import DEFAULTS
from greencustoms.models import User
from greencustoms.passwords import hash_password, password_matches


def test_default_method_is_scrypt(other_app):
    """Without PASSWORD_HASH_METHOD (the production default) new hashes are scrypt at werkzeug's full cost."""
    assert DEFAULTS["PASSWORD_HASH_METHOD"] == "scrypt"
    app = other_app(PASSWORD_HASH_METHOD=None)
    with app.app_context():
        stored = hash_password("a long enough secret")
    assert stored.startswith("scrypt:32768:8:1$") and "a long enough secret" not in stored
    assert password_matches(stored, "a long enough secret")


def test_suite_hashes_cheaply_and_checks_any_method(app_ctx):
    """The test apps use one PBKDF2 round; a scrypt hash made elsewhere still checks, a wrong password never does."""
    user = User(email="p@example.org", full_name="P")
    user.set_password("a long enough secret")
    assert user.password_hash.startswith("pbkdf2:sha256:1$")
    assert user.check_password("a long enough secret") and not user.check_password("a long enough secreT")
    slow = generate_password_hash("another secret 123", method="scrypt")
    assert password_matches(slow, "another secret 123") and not password_matches(slow, "another secret 124")
