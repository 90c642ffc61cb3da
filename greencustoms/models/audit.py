"""The audit log: an append-only record of who did what (sign-ins, account changes, exports, certificates, tokens).

The application only ever INSERTs audit events: no code path updates or deletes them, and the ORM refuses to
(see `_refuse_change`). `actor_id` is a plain integer, not a foreign key, so that deleting an account never
rewrites (nor cascades into) the log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column

from greencustoms.database import Model, utcnow


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or remove an audit event."""


class AuditEvent(Model):
    """One audited action. `event` is a dotted name (e.g. "user.disabled"), `target` names the object acted on
    ("user:12", "certificate:<code>", "api-token:3", "completions"), `details` holds the event's own facts."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_event_occurred_at", "event", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    event: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[int | None] = mapped_column(index=True)
    target: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.event} actor={self.actor_id}>"


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(_mapper, _connection, target: AuditEvent) -> None:
    raise AuditLogIsAppendOnly(f"audit event {target.id} cannot be changed or deleted: the log is append-only")
