"""Completion records: one row per (learner, course), its stable columns, its filters, and the streamed query.

A row exists for every learner who enrolled in a course or completed it. Certificate columns describe the
learner's LATEST certificate for that course (a re-issue supersedes the one before). The columns are documented
in docs/admin.md; add new ones at the end, never rename or reorder them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, union

from greencustoms.certificates.codes import format_code
from greencustoms.extensions import db
from greencustoms.models import Certificate, CourseCompletion, Enrolment, User
from greencustoms.models.workshop import Workshop, WorkshopParticipant
from greencustoms.textsearch import contains_ci

COLUMNS = (
    "learner_id",
    "full_name",
    "email",
    "country",
    "organisation",
    "course",
    "language",
    "workshop",
    "started",
    "completed",
    "final_score",
    "certificate_code",
    "issued",
    "expires",
    "certificate_status",
)
STATUSES = ("enrolled", "completed", "certified", "revoked", "expired")
BATCH_SIZE = 100  # rows fetched per round trip: memory holds about two batches at a time
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class FilterError(ValueError):
    """A filter value is malformed; the message says which and what is expected."""


@dataclass(frozen=True)
class CompletionFilters:
    """What to export. `date_from`/`date_to` bound the completion date (inclusive, UTC); `workshop` names one
    workshop by its number (12 or #12) or its join code, and keeps the rows of its participants for its course
    (any other value matches nothing)."""

    course: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    country: str | None = None
    organisation: str | None = None
    workshop: str | None = None
    status: str | None = None

    def as_dict(self) -> dict[str, str]:
        """The filters that are set, as strings, under their public names (for the audit log and links)."""
        names = {"date_from": "from", "date_to": "to"}
        return {names.get(key, key): str(value) for key, value in asdict(self).items() if value not in (None, "")}


def parse_filters(values: Mapping[str, Any]) -> CompletionFilters:
    """Read filters from query-string or CLI values named course, from, to, country, organisation, workshop,
    status. Empty values mean "any". Raises FilterError on a malformed value."""

    def text(name: str, limit: int) -> str | None:
        value = str(values.get(name) or "").strip()
        if len(value) > limit:
            raise FilterError(f"{name} is too long (at most {limit} characters).")
        return value or None

    course = text("course", 64)
    if course and not _SLUG.match(course):
        raise FilterError("course must be a course identifier such as green-customs-foundations.")
    country = text("country", 100)
    if country and not (len(country) == 2 and country.isalpha() and country.isascii()):
        raise FilterError("country must be a two-letter ISO 3166 code such as KE.")
    status = text("status", 16)
    if status and status not in STATUSES:
        raise FilterError(f"status must be one of: {', '.join(STATUSES)}.")
    date_from, date_to = _date(values, "from"), _date(values, "to")
    if date_from and date_to and date_from > date_to:
        raise FilterError("from must not be after to.")
    return CompletionFilters(
        course=course,
        date_from=date_from,
        date_to=date_to,
        country=country.upper() if country else None,
        organisation=text("organisation", 200),
        workshop=text("workshop", 64),
        status=status,
    )


def _date(values: Mapping[str, Any], name: str) -> date | None:
    raw = str(values.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise FilterError(f"{name} must be a date written YYYY-MM-DD, e.g. 2026-01-31.") from None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _workshop_membership(wanted: str | None):
    """Subquery (user_id, course_slug, workshop_id): the workshop a learner took a course in, the latest one when
    several; only the `wanted` workshop (number, #number or join code) when given, none when it names nothing."""
    query = (
        select(WorkshopParticipant.user_id, Workshop.course_slug, func.max(Workshop.id).label("workshop_id"))
        .join(Workshop, Workshop.id == WorkshopParticipant.workshop_id)
        .group_by(WorkshopParticipant.user_id, Workshop.course_slug)
    )
    if wanted:
        number = wanted.removeprefix("#")
        by_code = Workshop.join_code == wanted.replace("-", "").upper()
        by_number = number.isdigit() and len(number) <= 9  # a longer number is no workshop (and no SQL integer)
        query = query.where(or_(Workshop.id == int(number), by_code) if by_number else by_code)
    return query.subquery("membership")


def completion_query(filters: CompletionFilters, now: datetime) -> Select:
    """One SELECT joining enrolments and completions per (learner, course) with the latest certificate, filtered
    and ordered by learner id then course, so that every export of the same data is identical."""
    pairs = union(
        select(Enrolment.user_id, Enrolment.course_slug), select(CourseCompletion.user_id, CourseCompletion.course_slug)
    ).subquery("pairs")
    latest = (
        select(Certificate.user_id, Certificate.course_slug, func.max(Certificate.sequence).label("sequence"))
        .where(Certificate.user_id.is_not(None))
        .group_by(Certificate.user_id, Certificate.course_slug)
        .subquery("latest")
    )
    cert = Certificate.__table__.alias("cert")
    membership = _workshop_membership(filters.workshop)
    workshop = Workshop.__table__.alias("workshop")
    statement = (
        select(
            User.id,
            User.full_name,
            User.email,
            User.country,
            User.organisation,
            pairs.c.course_slug,
            func.coalesce(cert.c.language, User.language).label("language"),
            workshop.c.title.label("workshop"),
            func.coalesce(Enrolment.enrolled_at, CourseCompletion.completed_at).label("started"),
            CourseCompletion.completed_at,
            CourseCompletion.final_score,
            cert.c.code,
            cert.c.issued_at,
            cert.c.expires_at,
            cert.c.status,
        )
        .select_from(pairs)
        .join(User, User.id == pairs.c.user_id)
        .outerjoin(Enrolment, and_(Enrolment.user_id == pairs.c.user_id, Enrolment.course_slug == pairs.c.course_slug))
        .outerjoin(
            CourseCompletion,
            and_(CourseCompletion.user_id == pairs.c.user_id, CourseCompletion.course_slug == pairs.c.course_slug),
        )
        .outerjoin(latest, and_(latest.c.user_id == pairs.c.user_id, latest.c.course_slug == pairs.c.course_slug))
        .outerjoin(
            cert,
            and_(
                cert.c.user_id == latest.c.user_id,
                cert.c.course_slug == latest.c.course_slug,
                cert.c.sequence == latest.c.sequence,
            ),
        )
        .outerjoin(
            membership,
            and_(membership.c.user_id == pairs.c.user_id, membership.c.course_slug == pairs.c.course_slug),
        )
        .outerjoin(workshop, workshop.c.id == membership.c.workshop_id)
        .order_by(pairs.c.user_id, pairs.c.course_slug)
    )
    if filters.course:
        statement = statement.where(pairs.c.course_slug == filters.course)
    if filters.country:
        statement = statement.where(User.country == filters.country)
    if filters.organisation:
        statement = statement.where(contains_ci(User.organisation, filters.organisation))
    if filters.workshop:
        statement = statement.where(membership.c.workshop_id.is_not(None))
    if filters.date_from:
        statement = statement.where(CourseCompletion.completed_at >= _midnight(filters.date_from))
    if filters.date_to:
        statement = statement.where(CourseCompletion.completed_at < _midnight(filters.date_to + timedelta(days=1)))
    current = or_(cert.c.expires_at.is_(None), cert.c.expires_at > now)
    status_rule = {
        "enrolled": CourseCompletion.id.is_(None),
        "completed": CourseCompletion.id.is_not(None),
        "certified": and_(cert.c.status == "valid", current),
        "revoked": cert.c.status == "revoked",
        "expired": and_(cert.c.status == "valid", cert.c.expires_at <= now),
    }
    if filters.status:
        statement = statement.where(status_rule[filters.status])
    return statement


def certificate_state(status: str | None, expires_at: datetime | None, now: datetime) -> str | None:
    """valid, expired, revoked or superseded, as the verification page says; None without a certificate."""
    if status is None:
        return None
    if status == "valid" and expires_at is not None and expires_at <= now:
        return "expired"
    return status


def completion_records(
    filters: CompletionFilters,
    now: datetime,
    *,
    batch_size: int = BATCH_SIZE,
    limit: int | None = None,
    offset: int = 0,
) -> Iterator[dict[str, Any]]:
    """Yield one dict per row, keyed by COLUMNS, fetching `batch_size` rows at a time through a server-side
    cursor (PostgreSQL) or the driver's lazy cursor (SQLite): memory does not grow with the number of rows.
    `limit`/`offset` cut one page out of the ordered rows (the API). Times are timezone-aware UTC datetimes;
    missing values are None."""
    statement = completion_query(filters, now)
    if limit is not None:
        statement = statement.limit(limit).offset(offset)
    result = db.session.execute(statement.execution_options(yield_per=batch_size))
    try:
        for row in result:
            (
                user_id,
                name,
                email,
                country,
                organisation,
                course,
                language,
                workshop,
                started,
                completed,
                score,
                code,
                issued,
                expires,
                status,
            ) = row
            yield {
                "learner_id": user_id,
                "full_name": name,
                "email": email,
                "country": country or None,
                "organisation": organisation or None,
                "course": course,
                "language": language,
                "workshop": workshop,
                "started": started,
                "completed": completed,
                "final_score": round(score, 2) if score is not None else None,
                "certificate_code": format_code(code) if code else None,
                "issued": issued,
                "expires": expires,
                "certificate_status": certificate_state(status, expires, now),
            }
    finally:
        result.close()


def count_completions(filters: CompletionFilters, now: datetime) -> int:
    """How many rows the filters select (for the API's pagination)."""
    return db.session.execute(select(func.count()).select_from(completion_query(filters, now).subquery())).scalar_one()
