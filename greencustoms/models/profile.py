"""Profile fields an administrator defines (a staff number, a grade, a duty station) and each person's values.

A field's `key` is its stable machine name: it names the field's column in every export (`profile.<key>`) and is
never renamed nor reused (fields are retired, never deleted). Retiring a field hides it from forms and new exports
and keeps every stored value, so reactivating it brings them back. Values are personal data: anonymising an
account deletes them (greencustoms.admin.accounts), deleting one cascades.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from greencustoms.database import Model, utcnow

FIELD_KINDS = ("text", "choice")


class ProfileField(Model):
    """One field of the profile: `label` and `hint` are shown to people as the administrator wrote them; `kind`
    is free text or a choice among `options` (a list of texts); `position` orders forms and export columns."""

    __tablename__ = "profile_fields"
    __table_args__ = (CheckConstraint("kind IN ('text', 'choice')", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    hint: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(16), default="text")
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<ProfileField {self.key}{'' if self.active else ' retired'}>"


class ProfileValue(Model):
    """What one person entered (or an administrator set) for one field; at most one value per person and field."""

    __tablename__ = "profile_values"
    __table_args__ = (UniqueConstraint("user_id", "field_id", name="uq_profile_values_user_field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("profile_fields.id"), index=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
