"""E-mail confirmations: a registration or an e-mail change waiting for the link sent to the address.

Only the SHA-256 hash of the link's secret is stored. A registration keeps the profile and the password HASH in
`details` until the link is opened; an e-mail change keeps the account (`user_id`) and the new address.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from greencustoms.database import Model, utcnow


class EmailConfirmation(Model):
    """A pending registration (`kind` "register") or e-mail change ("email_change") for `email`."""

    __tablename__ = "email_confirmations"
    __table_args__ = (CheckConstraint("kind IN ('register', 'email_change')", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
