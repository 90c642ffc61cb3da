"""Completion records: one row per (learner, course), its stable columns and the streamed query. What may be asked
for (course, dates, country, organisation, workshop, status) is read and checked in greencustoms.exports.filters.

A row exists for every learner who enrolled in a course or completed it. Certificate columns describe the
learner's LATEST certificate for that course (a re-issue supersedes the one before). The columns are documented
in docs/admin.md; add new ones at the end, never rename or reorder them. After them come the profile fields an
administrator defined (greencustoms.profiles), one column per active field, keyed `profile.<key>`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, func, label, literal, or_, select, union
from sqlalchemy.orm import aliased

from greencustoms.certificates.codes import format_code
from greencustoms.content import Catalog, Course, get_catalog
from greencustoms.exports.activity import first_activity
from greencustoms.exports.filters import CompletionFilters
from greencustoms.exports.formats import Column
from greencustoms.extensions import db
from greencustoms.models import Certificate, CourseCompletion, Enrolment, ProfileValue, User
from greencustoms.models.workshop import Workshop, WorkshopParticipant
from greencustoms.textsearch import contains

if TYPE_CHECKING:  # greencustoms.profiles reads greencustoms.rules, which reads this package's formats
    from greencustoms.profiles import ExportedField

COLUMNS = (
    Column("learner_id", _l("Learner number"), "int", 10),
    Column("full_name", _l("Name"), width=28),
    Column("email", _l("E-mail"), width=28),
    Column("country", _l("Country"), width=9),
    Column("organisation", _l("Organisation"), width=28),
    Column("course", _l("Course identifier"), width=22),
    Column("language", _l("Language"), width=9),
    Column("workshop", _l("Workshop"), width=24),
    Column("started", _l("Started (first activity, UTC)"), "datetime", 18),
    Column("completed", _l("Completed (UTC)"), "datetime", 18),
    Column("final_score", _l("Final score (%)"), "number", 10),
    Column("certificate_code", _l("Certificate code"), width=36),
    Column("issued", _l("Certificate issued (UTC)"), "datetime", 18),
    Column("expires", _l("Certificate expires (UTC)"), "datetime", 18),
    Column("certificate_status", _l("Certificate status"), width=12),
    # Added for HR offices; machine keys are only ever appended.
    Column("course_title", _l("Course"), width=36),
    Column("course_hours", _l("Course hours"), "number", 9),
    Column("workshop_starts", _l("Workshop starts"), "date", 12),
    Column("workshop_ends", _l("Workshop ends"), "date", 12),
    Column("workshop_place", _l("Workshop place"), width=20),
)
BATCH_SIZE = 100  # rows fetched per round trip: memory holds about two batches at a time


PROFILE_PREFIX = "profile."  # machine keys of the profile field columns: profile.<key>


def profile_columns(fields: Sequence[ExportedField]) -> tuple[Column, ...]:
    """One text column per profile field, titled with its label, keyed `profile.<key>` (keys are never renamed,
    so a program reading the JSON or the API can rely on them)."""
    return tuple(
        Column(PROFILE_PREFIX + field.key, field.label, width=max(12, min(30, len(field.label) + 2)))
        for field in fields
    )


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


def completion_query(
    filters: CompletionFilters,
    now: datetime,
    catalog: Catalog | None = None,
    scope: ColumnElement[bool] | None = None,
) -> Select:
    """One SELECT joining enrolments and completions per (learner, course) with the latest certificate and the
    first activity, filtered and ordered by learner id then course, so that every export of the same data is
    identical. `scope` (a condition on User from greencustoms.access.scope: whose rows the person asking may
    see) is applied before any filter, so no filter can widen it; None means every learner (the CLI)."""
    first = first_activity(catalog or get_catalog())
    pairs = union(
        select(Enrolment.user_id, Enrolment.course_slug), select(CourseCompletion.user_id, CourseCompletion.course_slug)
    ).subquery("pairs")
    latest = (
        select(Certificate.user_id, Certificate.course_slug, func.max(Certificate.sequence).label("sequence"))
        .where(Certificate.user_id.is_not(None))
        .group_by(Certificate.user_id, Certificate.course_slug)
        .subquery("latest")
    )
    cert = aliased(Certificate, name="cert")
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
            func.coalesce(cert.language, User.language).label("language"),
            workshop.c.title.label("workshop"),
            workshop.c.starts_on,
            workshop.c.ends_on,
            workshop.c.place,
            Enrolment.enrolled_at,
            (first.c.first_at if first is not None else literal(None)).label("first_at"),
            CourseCompletion.completed_at,
            CourseCompletion.final_score,
            cert.code,
            cert.issued_at,
            cert.expires_at,
            label("state", cert.state(now)),  # hybrid_method types its SQL side as SQLCoreOperations (no .label)
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
                cert.user_id == latest.c.user_id,
                cert.course_slug == latest.c.course_slug,
                cert.sequence == latest.c.sequence,
            ),
        )
        .outerjoin(
            membership,
            and_(membership.c.user_id == pairs.c.user_id, membership.c.course_slug == pairs.c.course_slug),
        )
        .outerjoin(workshop, workshop.c.id == membership.c.workshop_id)
        .order_by(pairs.c.user_id, pairs.c.course_slug)
    )
    if first is not None:
        statement = statement.outerjoin(
            first, and_(first.c.user_id == pairs.c.user_id, first.c.course_slug == pairs.c.course_slug)
        )
    if scope is not None:
        statement = statement.where(scope)
    if filters.course:
        statement = statement.where(pairs.c.course_slug == filters.course)
    if filters.country:
        statement = statement.where(User.country == filters.country)
    if filters.organisation:
        statement = statement.where(contains(User.organisation_search, filters.organisation))
    if filters.workshop:
        statement = statement.where(membership.c.workshop_id.is_not(None))
    if filters.date_from:
        statement = statement.where(CourseCompletion.completed_at >= _midnight(filters.date_from))
    if filters.date_to:
        statement = statement.where(CourseCompletion.completed_at < _midnight(filters.date_to + timedelta(days=1)))
    status_rule = {
        "enrolled": CourseCompletion.id.is_(None),
        "completed": CourseCompletion.id.is_not(None),
        "certified": cert.state(now) == "valid",
        "revoked": cert.state(now) == "revoked",
        "expired": cert.state(now) == "expired",
    }
    if filters.status:
        statement = statement.where(status_rule[filters.status])
    return statement


def completion_records(
    filters: CompletionFilters,
    now: datetime,
    *,
    batch_size: int = BATCH_SIZE,
    limit: int | None = None,
    offset: int = 0,
    courses: Mapping[str, Course] | None = None,
    scope: ColumnElement[bool] | None = None,
    profile_fields: Sequence[ExportedField] = (),
) -> Iterator[dict[str, Any]]:
    """Yield one dict per row, keyed by the COLUMNS' keys and those of `profile_columns(profile_fields)`, fetching
    `batch_size` rows at a time through a server-side cursor (PostgreSQL) or the driver's lazy cursor (SQLite):
    memory does not grow with the number of rows. `limit`/`offset` cut one page out of the ordered rows (the API).
    Course titles and hours come from the catalog (`courses`, the app's by default); `scope` as in
    `completion_query`. Times are timezone-aware UTC datetimes; missing values are None."""
    courses = get_catalog().courses if courses is None else courses
    statement = completion_query(filters, now, scope=scope)
    # Each profile field is one more column of the same SELECT (a lookup in the unique (user, field) index), so the
    # number of queries stays one whatever the number of rows, and the rows still stream.
    profile_keys = {f"profile_{index}": PROFILE_PREFIX + field.key for index, field in enumerate(profile_fields)}
    statement = statement.add_columns(
        *(
            select(ProfileValue.value)
            .where(ProfileValue.user_id == User.id, ProfileValue.field_id == field.id)
            .scalar_subquery()
            .label(label_name)
            for label_name, field in zip(profile_keys, profile_fields, strict=True)
        )
    )
    if limit is not None:
        statement = statement.limit(limit).offset(offset)
    result = db.session.execute(statement.execution_options(yield_per=batch_size))
    try:
        for row in result:
            course = courses.get(row.course_slug)
            yield {
                "learner_id": row.id,
                "full_name": row.full_name,
                "email": row.email,
                "country": row.country or None,
                "organisation": row.organisation or None,
                "course": row.course_slug,
                "language": row.language,
                "workshop": row.workshop,
                "started": min((t for t in (row.enrolled_at, row.first_at, row.completed_at) if t), default=None),
                "completed": row.completed_at,
                "final_score": round(row.final_score, 2) if row.final_score is not None else None,
                "certificate_code": format_code(row.code) if row.code else None,
                "issued": row.issued_at,
                "expires": row.expires_at,
                "certificate_status": row.state,
                "course_title": course.title if course else None,
                "course_hours": course.estimated_hours if course else None,
                "workshop_starts": row.starts_on,
                "workshop_ends": row.ends_on,
                "workshop_place": row.place,
                **{key: getattr(row, label_name) for label_name, key in profile_keys.items()},
            }
    finally:
        result.close()


def count_completions(filters: CompletionFilters, now: datetime, scope: ColumnElement[bool] | None = None) -> int:
    """How many rows the filters select within `scope` (for the API's pagination and a job's progress)."""
    statement = completion_query(filters, now, scope=scope)
    return db.session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
