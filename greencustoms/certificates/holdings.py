"""A learner's own certificates, as /me and a coordinator's learner page read them: every certificate, and the
courses whose latest certificate has expired with the final exam that renews it, from one query."""

from __future__ import annotations

from sqlalchemy import bindparam

from greencustoms.certificates.service import renewable
from greencustoms.content import Catalog
from greencustoms.database import column_names, loaded, read_columns
from greencustoms.extensions import db
from greencustoms.models import Certificate, utcnow

# /me asks on every visit: built once (building a statement costs more than running it), plain columns made into
# loaded objects directly (database.loaded: the ORM's per-query work costs about as much again as the query)
_COLUMNS = column_names(Certificate)
_CERTIFICATES_OF = (
    db.select(*(getattr(Certificate, name) for name in _COLUMNS))
    .where(Certificate.user_id == bindparam("user_id"))
    .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
)


def certificates_of(user_id: int) -> list[Certificate]:
    """A learner's certificates, newest first."""
    rows = read_columns(_CERTIFICATES_OF, {"user_id": user_id})
    return [loaded(Certificate, dict(zip(_COLUMNS, row, strict=True))) for row in rows]


def my_certificates(catalog: Catalog, user_id: int) -> dict:
    """What /me shows: the learner's certificates, and for each course with an expired certificate the final
    exam that renews it (the rule of certificates.service.renewable, on the rows already read: no query per
    course)."""
    certificates = certificates_of(user_id)
    now = utcnow()
    latest: dict[str, Certificate] = {}  # per course, the highest sequence, as latest_certificate finds it
    for certificate in certificates:
        known = latest.get(certificate.course_slug)
        if known is None or certificate.sequence > known.sequence:
            latest[certificate.course_slug] = certificate
    renewals = {}
    for slug, certificate in latest.items():
        course = catalog.course(slug)
        if course is not None and renewable(certificate, course, now):
            renewals[slug] = course.final_quiz_slug
    return {"certificates": certificates, "renewals": renewals, "now": now}
