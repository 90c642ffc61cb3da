"""User accounts: identity, role, the profile printed on certificates, and password handling."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from greencustoms.database import Model, utcnow
from greencustoms.passwords import hash_password, password_matches
from greencustoms.textsearch import fold, joined

ROLES = ("learner", "trainer", "admin")


def normalise_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


class User(UserMixin, Model):
    """A person who signs in, with their e-mail or their username. The e-mail is optional so that workshop
    participants without one can exist; they sign in with a username."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('learner', 'trainer', 'admin')", name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    # Signs in instead of the e-mail (greencustoms.rules.username): stored in lower case, so unique without case.
    # Accounts created without an e-mail get one (greencustoms.auth.usernames).
    username: Mapped[str | None] = mapped_column(String(32), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="learner")
    country: Mapped[str] = mapped_column(String(2), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(8), default="en")
    # IANA name of the zone the person reads times in (every time is stored in UTC).
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped to end every existing session of this user (password change, disabling).
    session_epoch: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Folded copies for search (greencustoms.textsearch), written by the model on every insert and update.
    # Text, not String(n): folding may lengthen a text ("ß" -> "ss", "ﬃ" -> "ffi").
    search_text: Mapped[str] = mapped_column(Text, default="")
    organisation_search: Mapped[str] = mapped_column(Text, default="")

    def refresh_search(self) -> None:
        """Rewrite the folded search columns from the name, e-mail, username and organisation."""
        self.search_text = joined(self.full_name, self.email, self.username)
        self.organisation_search = fold(self.organisation)

    def set_password(self, password: str) -> None:
        """Store a slow, salted hash of the password (greencustoms.passwords); never the password itself."""
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash."""
        return password_matches(self.password_hash, password)

    def end_sessions(self) -> None:
        """Invalidate every session cookie issued so far for this user."""
        self.session_epoch = (self.session_epoch or 0) + 1

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return bool(self.active)

    # The secret of the server-side session this object was signed in or loaded with (greencustoms.auth.sessions);
    # never stored on the user row (so annotated for mypy only: the ORM refuses a plain annotation on a model).
    if TYPE_CHECKING:
        session_secret: str | None
    session_secret = None

    def get_id(self) -> str:
        """What Flask-Login keeps in the cookie: the secret of this browser's server-side session (only its hash is
        stored). Without one, a value no session matches, so a cookie cannot be forged from the user id."""
        return self.session_secret or "-"

    def has_role(self, *roles: str) -> bool:
        """True when the user holds one of the roles; admins hold every role."""
        return self.role == "admin" or self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


@event.listens_for(User, "before_insert")
@event.listens_for(User, "before_update")
def _refresh_search(_mapper, _connection, user: User) -> None:
    user.refresh_search()
