"""Certificates as the API shows them: what the public verification page shows, plus the state, and listings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func

from greencustoms.extensions import db
from greencustoms.models import Certificate
from greencustoms.models.certificate import STATES as STATES


def certificate_json(certificate: Certificate, now: datetime) -> dict[str, Any]:
    """The fields printed on the certificate and shown on /certificates/<code>, with its state (valid, expired,
    revoked or superseded) and, once revoked, the day it was revoked. Never the revocation reason."""
    from greencustoms.certificates.service import printed

    shown = printed(certificate)
    return {
        "code": shown.code,
        "state": certificate.state(now),
        "holder_name": shown.holder_name,
        "course": certificate.course_slug,
        "course_title": shown.course_title,
        "modules": list(shown.modules),
        "issued": shown.issued.isoformat(),
        "expires": shown.expires.isoformat() if shown.expires else None,
        "revoked_on": certificate.revoked_at.date().isoformat() if certificate.revoked_at else None,
        "issuing_body": shown.issuing_body,
        "language": shown.language,
        "verify_url": shown.verify_url,
    }


def find_certificate(typed_code: str, within: ColumnElement[bool]) -> Certificate | None:
    """The certificate with this code, typed in any of the forms the verification page accepts, when it is
    `within` the scope (a condition on Certificate, greencustoms.access.scope); None otherwise."""
    from greencustoms.certificates.service import find_by_code

    found = find_by_code(typed_code)
    if found is None:
        return None
    visible = db.session.execute(db.select(Certificate.id).where(Certificate.id == found.id, within)).first()
    return found if visible is not None else None


def list_certificates(
    course: str | None, state: str | None, now: datetime, limit: int, offset: int, within: ColumnElement[bool]
):
    """A page of the certificates `within` the scope, newest first, and the total: (certificates, total). `state`
    is one of STATES."""
    statement = db.select(Certificate).where(within)
    if course:
        statement = statement.where(Certificate.course_slug == course)
    if state:
        statement = statement.where(Certificate.state(now) == state)
    total = db.session.execute(db.select(func.count()).select_from(statement.subquery())).scalar_one()
    page = statement.order_by(Certificate.issued_at.desc(), Certificate.id.desc()).limit(limit).offset(offset)
    return list(db.session.execute(page).scalars()), total
