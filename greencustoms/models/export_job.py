"""Export jobs: a file asked for by one person, written in the background, downloadable by them until it expires."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from greencustoms.database import Model, utcnow

QUEUED, RUNNING, DONE, FAILED, EXPIRED = "queued", "running", "done", "failed", "expired"
JOB_STATUSES = (QUEUED, RUNNING, DONE, FAILED, EXPIRED)
ACTIVE = (QUEUED, RUNNING)


class ExportJob(Model):
    """One export asked for on a page. `token` names it in URLs (unguessable; only its owner may open it anyway);
    `stored_as` is the file's name under instance/exports once written; `rows_done`/`rows_total` drive the
    progress bar."""

    __tablename__ = "export_jobs"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed', 'expired')", name="status_known"),
        Index("ix_export_jobs_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(43), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    format: Mapped[str] = mapped_column(String(8))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    locale: Mapped[str] = mapped_column(String(16), default="en")
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    rows_done: Mapped[int] = mapped_column(default=0)
    rows_total: Mapped[int | None]
    file_name: Mapped[str | None] = mapped_column(String(200))
    stored_as: Mapped[str | None] = mapped_column(String(100))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]

    @property
    def percent(self) -> int:
        """Progress from 0 to 100 (100 once done)."""
        if self.status == DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE
