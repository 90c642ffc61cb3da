"""Certificate rules: issue on completion, look up, revoke, re-issue after a name correction, renew after expiry."""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from greencustoms import rules
from greencustoms.certificates.codes import format_code, generate_code, normalise_code
from greencustoms.certificates.completion import completion_status, record_completion
from greencustoms.certificates.design import current_design, design_of
from greencustoms.certificates.pdf import NameTooLong, PrintedCertificate, check_printable_name
from greencustoms.content import Catalog, Course
from greencustoms.extensions import db
from greencustoms.models import Certificate, User, utcnow
from greencustoms.quiz.results import best_results
from greencustoms.signals import certificate_issued
from greencustoms.studylanguages import study_language
from greencustoms.web import public_url

log = logging.getLogger(__name__)


class CertificateError(ValueError):
    """A certificate action is not allowed; the message says why."""


def add_years(moment: datetime, years: int) -> datetime:
    """The same day `years` later (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


def latest_certificate(user_id: int, course_slug: str) -> Certificate | None:
    """The learner's most recent certificate for the course, whatever its state."""
    return db.session.execute(
        db.select(Certificate)
        .filter_by(user_id=user_id, course_slug=course_slug)
        .order_by(Certificate.sequence.desc())
        .limit(1)
    ).scalar_one_or_none()


def issue_certificate(
    user: User,
    course: Course,
    catalog: Catalog,
    *,
    score: float | None,
    reason: str,
    now: datetime | None = None,
    holder_name: str | None = None,
) -> Certificate | None:
    """Issue the next certificate of this learner for this course, with snapshots of what it prints.
    Returns None when a parallel request issued the same one first (the sequence number is unique). Raises
    CertificateError when the name cannot be printed whole (see certificates.pdf.name_layout)."""
    now = now or utcnow()
    holder_name = holder_name or user.full_name
    printable_name(holder_name)
    sequence = (
        db.session.execute(
            db.select(func.max(Certificate.sequence)).filter_by(user_id=user.id, course_slug=course.slug)
        ).scalar()
        or 0
    ) + 1
    years = course.certificate.validity_years
    design = current_design()
    language = study_language(user, course)
    catalog = catalog.localized(language)  # the title and modules print in the language the course was taken in
    course = catalog.courses.get(course.slug, course)
    certificate = Certificate(
        code=generate_code(),
        user_id=user.id,
        course_slug=course.slug,
        sequence=sequence,
        holder_name=holder_name,
        course_title=course.title,
        modules_covered=[catalog.modules[slug].title for slug in course.module_slugs],
        score=score,
        issued_at=now,
        expires_at=add_years(now, years) if years else None,
        language=language,
        content_version=course.version,
        issuing_body=design.issuing_body if design else current_app.config["ISSUING_BODY"],
        hours=course.estimated_hours,
        design_id=design.id if design else None,
        status="valid",
        reason=reason,
    )
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:
        return None
    db.session.commit()
    # Flask's stubs type current_app as Flask, not the LocalProxy it is; signals take the real app object.
    certificate_issued.send(
        current_app._get_current_object(),  # type: ignore[attr-defined]
        user_id=user.id,
        certificate_id=certificate.id,
    )
    return certificate


def complete_course_if_met(catalog: Catalog, course: Course, user_id: int, now: datetime | None = None) -> bool:
    """Record the completion and issue the certificate once the rule is met. True when this call completed it."""
    status = completion_status(course, user_id)
    if not status.complete or not record_completion(course, user_id, status.final_score, now):
        return False
    user = db.session.get(User, user_id)
    if course.certificate.enabled and user is not None:
        try:
            issue_certificate(user, course, catalog, score=status.final_score, reason="completion", now=now)
        except CertificateError:
            log.warning("no certificate for user %s in %s: the name does not fit on it", user_id, course.slug)
    return True


def renewable(latest: Certificate | None, course: Course, now: datetime) -> bool:
    """Whether `latest`, the learner's most recent certificate for `course`, has expired and the course's final
    exam renews it."""
    return latest is not None and course.final_quiz_slug is not None and latest.state(now) == "expired"


def renewal_due(user_id: int, course: Course, now: datetime | None = None) -> Certificate | None:
    """The expired certificate that the learner may renew by passing the final exam again, or None."""
    latest = latest_certificate(user_id, course.slug)
    return latest if renewable(latest, course, now or utcnow()) else None


def renew_if_due(
    catalog: Catalog, course: Course, user_id: int, score: float, now: datetime | None = None
) -> Certificate | None:
    """Issue a renewal after the final exam is passed again once the last certificate has expired."""
    expired = renewal_due(user_id, course, now)
    user = db.session.get(User, user_id)
    if expired is None or user is None or course.final_quiz_slug is None:
        return None
    retake = best_results(user_id, [course.final_quiz_slug], since=expired.expires_at).get(course.final_quiz_slug)
    if retake is None or not retake.passed:
        return None
    try:
        return issue_certificate(user, course, catalog, score=retake.best_score, reason="renewal", now=now)
    except CertificateError:
        log.warning("no renewal for user %s in %s: the name does not fit on it", user_id, course.slug)
        return None


def find_by_code(typed: str) -> Certificate | None:
    """The certificate with this code, typed in any case, with or without spaces and dashes."""
    code = normalise_code(typed)
    if code is None:
        return None
    return db.session.execute(db.select(Certificate).filter_by(code=code)).scalar_one_or_none()


def renewal_since(catalog: Catalog, user_id: int, quiz_slug: str) -> datetime | None:
    """For the final exam of a course whose certificate has expired: the expiry, so that only attempts after it
    count against the attempt limit. None otherwise."""
    for course in catalog.courses.values():
        if course.final_quiz_slug == quiz_slug:
            expired = renewal_due(user_id, course)
            if expired is not None:
                return expired.expires_at
    return None


def revoke(certificate: Certificate, reason: str, by: User, now: datetime | None = None) -> None:
    """Revoke with a recorded reason. Raises CertificateError when it is not valid (already revoked or replaced)."""
    if certificate.status != "valid":
        raise CertificateError(
            _l("This certificate is already revoked.")
            if certificate.status == "revoked"
            else _l("This certificate was already replaced by a corrected one.")
        )
    if not reason.strip():
        raise CertificateError(_l("Give the reason for the revocation."))
    certificate.status = "revoked"
    certificate.revoked_at = now or utcnow()
    certificate.revoked_reason = reason.strip()
    certificate.revoked_by_id = by.id
    db.session.commit()


def reissue(certificate: Certificate, holder_name: str, catalog: Catalog, now: datetime | None = None) -> Certificate:
    """Replace a valid certificate by a new one printing the corrected name; the old code then reads "superseded".
    The new certificate keeps the original issue and expiry dates. Raises CertificateError if not allowed."""
    if certificate.status != "valid":
        raise CertificateError(_l("Only a valid certificate can be re-issued; this one is revoked or replaced."))
    try:
        holder_name = rules.display_name(holder_name)
    except rules.RuleError as error:
        raise CertificateError(error.message) from None
    user = db.session.get(User, certificate.user_id) if certificate.user_id else None
    course = catalog.course(certificate.course_slug)
    if user is None or course is None:
        raise CertificateError(_l("The holder's account or the course no longer exists."))
    now = now or utcnow()
    certificate.status = "superseded"
    certificate.superseded_at = now
    replacement = Certificate(
        code=generate_code(),
        user_id=user.id,
        course_slug=course.slug,
        sequence=certificate.sequence + 1,
        holder_name=holder_name,
        course_title=certificate.course_title,
        modules_covered=list(certificate.modules_covered),
        score=certificate.score,
        issued_at=certificate.issued_at,
        expires_at=certificate.expires_at,
        language=certificate.language,
        content_version=certificate.content_version,
        issuing_body=certificate.issuing_body,
        hours=certificate.hours,
        design_id=certificate.design_id,
        status="valid",
        reason="reissue",
    )
    db.session.add(replacement)
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise CertificateError(_l("This certificate was changed meanwhile; reload and try again.")) from exc
    return replacement


def certificate_url(code: str) -> str:
    """THE public verification address of a certificate (printed in its QR code, given by the API)."""
    return public_url(f"/certificates/{format_code(code)}")


def printable_name(name: str) -> None:
    """Raises CertificateError (with a message for the person) when the name cannot be printed whole."""
    try:
        check_printable_name(name)
    except NameTooLong:
        raise CertificateError(
            _l(
                "This name is too long to print on a certificate, even on two lines in small print. Shorten it "
                "(for example with initials for middle names) and try again."
            )
        ) from None


def printed(certificate: Certificate) -> PrintedCertificate:
    """What the PDF prints and the verification page shows, with the absolute verification URL. Hours are shown
    unless the certificate's design turns them off; the score only when its design turns it on."""
    design = design_of(certificate)
    return PrintedCertificate(
        holder_name=certificate.holder_name,
        course_title=certificate.course_title,
        modules=tuple(certificate.modules_covered or ()),
        issued=certificate.issued_at.date(),
        expires=certificate.expires_at.date() if certificate.expires_at else None,
        code=format_code(certificate.code),
        issuing_body=certificate.issuing_body,
        verify_url=certificate_url(certificate.code),
        language=certificate.language,
        hours=certificate.hours if design is None or design.show_hours else None,
        score=certificate.score if design is not None and design.show_score else None,
        signatory_name=design.signatory_name if design else "",
        signatory_title=design.signatory_title if design else "",
        signature_png=design.signature_png if design else None,
        logo_png=design.logo_png if design else None,
    )
