"""National coordinators: the scope (countries, optionally narrowed to one organisation) a coordinator sees.

An account is a coordinator while it holds at least one scope row; its `role` (learner, trainer, admin) is not
changed. Rows are added and removed by administrators (greencustoms.admin.coordinators, audited) and read by
greencustoms.access.scope, the ONE place that turns them into SQL conditions.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from greencustoms.database import Model, utcnow


class CoordinatorScope(Model):
    """One country of a coordinator's scope; `organisation` ("" for the whole country) narrows it to the learners
    of that country whose organisation is the same text (compared folded: case and accents do not matter)."""

    __tablename__ = "coordinator_scopes"
    __table_args__ = (
        UniqueConstraint("user_id", "country", "organisation", name="uq_coordinator_scopes_user_country_org"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    country: Mapped[str] = mapped_column(String(2))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<CoordinatorScope {self.user_id} {self.country} {self.organisation!r}>"
