"""Course completions and the certificates issued for them, with snapshots of everything printed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, LargeBinary, String, Text, UniqueConstraint, and_, case, event
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from greencustoms.database import Model, utcnow
from greencustoms.textsearch import fold

CERTIFICATE_STATES = ("valid", "revoked", "superseded")  # what is stored in `status`
STATES = ("valid", "expired", "revoked", "superseded")  # what `state(now)` says: the stored status, or expired


class CourseCompletion(Model):
    """A learner met a course's completion rule. Recorded once per learner and course."""

    __tablename__ = "course_completions"
    __table_args__ = (UniqueConstraint("user_id", "course_slug", name="uq_course_completions_user_course"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_slug: Mapped[str] = mapped_column(String(64), index=True)
    course_version: Mapped[str] = mapped_column(String(32))
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)
    final_score: Mapped[float | None] = mapped_column(Float)


class Certificate(Model):
    """A certificate as printed. Every printed field is a snapshot, so later edits of a name or a course
    never change a certificate already issued. `sequence` counts a learner's certificates for a course
    (re-issues and renewals), and its uniqueness stops parallel requests issuing twice."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("user_id", "course_slug", "sequence", name="uq_certificates_user_course_sequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    course_slug: Mapped[str] = mapped_column(String(64), index=True)
    sequence: Mapped[int] = mapped_column(default=1)
    holder_name: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[str] = mapped_column(String(300))
    modules_covered: Mapped[list] = mapped_column(JSON, default=list)
    score: Mapped[float | None] = mapped_column(Float)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    language: Mapped[str] = mapped_column(String(8), default="en")
    content_version: Mapped[str] = mapped_column(String(32))
    issuing_body: Mapped[str] = mapped_column(String(200))
    hours: Mapped[float | None] = mapped_column(Float)  # the course's study time when it was issued
    design_id: Mapped[int | None] = mapped_column(ForeignKey("certificate_designs.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="valid")
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    superseded_at: Mapped[datetime | None]
    # Why this certificate exists: "completion", "reissue" (name correction) or "renewal".
    reason: Mapped[str] = mapped_column(String(16), default="completion")

    # The holder's name folded for search (greencustoms.textsearch), written by the model.
    holder_search: Mapped[str] = mapped_column(Text, default="")

    # THE certificate state rule, in Python and in SQL side by side (tests check that both agree on every case):
    # a valid certificate whose expiry has come reads "expired"; revoked and superseded stay so whatever the date.
    @hybrid_method
    def state(self, now: datetime) -> str:
        """What the verification page, the API and the export say: valid, expired, revoked or superseded."""
        if self.status == "valid" and self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return self.status

    # hybrid_method.expression() mutates in place and returns the same object, as `.inplace` would; mypy
    # mistypes `.inplace` on a hybrid_method (it applies the descriptor), so it is called directly.
    @state.expression
    @classmethod
    def _state_expression(cls, now: datetime) -> ColumnElement[str]:
        """The same rule as SQL (a CASE); NULL when the row is missing (an outer join without certificate)."""
        return case((and_(cls.status == "valid", cls.expires_at <= now), "expired"), else_=cls.status)


@event.listens_for(Certificate, "before_insert")
@event.listens_for(Certificate, "before_update")
def _refresh_search(_mapper, _connection, certificate: Certificate) -> None:
    certificate.holder_search = fold(certificate.holder_name)


class CertificateDesign(Model):
    """What an administrator set for the certificates issued from now on: the issuing body, its logo, the
    signatory and their signature, and whether hours and score are printed. Saving makes a new row, never an
    update: each certificate keeps the design it was issued with (`Certificate.design_id`)."""

    __tablename__ = "certificate_designs"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    issuing_body: Mapped[str] = mapped_column(String(200))
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_title: Mapped[str] = mapped_column(String(200), default="")
    signature_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    show_hours: Mapped[bool] = mapped_column(Boolean, default=True)
    show_score: Mapped[bool] = mapped_column(Boolean, default=False)
