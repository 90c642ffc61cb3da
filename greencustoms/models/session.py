"""Server-side sign-in sessions: one row per signed-in browser, found by the hash of the secret in its cookie.

A session ends when it is revoked (sign-out, "sign out everywhere"), when the user's session epoch moves on
(password change or reset, disabling), or when it passes the idle or absolute limit (greencustoms.auth.sessions).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from greencustoms.database import Model, utcnow


class UserSession(Model):
    """A signed-in browser. The cookie holds a random secret; only its SHA-256 hash is stored here."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The user's session_epoch at sign-in: bumping the epoch ends every session at once.
    epoch: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    user_agent: Mapped[str] = mapped_column(String(120), default="")
