"""When a workshop is running, and the quiz gate: participants take a workshop's quizzes only while they are open.

A workshop's dates are calendar days wherever it is held, so its window runs from the first moment of
`starts_on` anywhere on Earth (UTC+14) to the last moment of `ends_on` anywhere (UTC-12).

The gate rule (the QuizGate of greencustoms.interfaces, plugged in by the factory; asked by the quiz pages
before an attempt is started, saved or submitted): a quiz is refused to a user when the user participates in at
least one workshop whose window contains now and whose course contains the quiz, and none of those workshops has
the quiz open (by the trainer's button or its schedule, see open_clause). Anyone else (a learner in no workshop,
a participant outside the workshop's dates, a quiz of another course) is not affected.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, or_

from greencustoms.content import get_catalog
from greencustoms.extensions import db
from greencustoms.models import Workshop, WorkshopParticipant, WorkshopQuiz

EARLIEST_OFFSET = timedelta(hours=14)  # UTC+14 (Kiribati): the first place where a day begins
LATEST_OFFSET = timedelta(hours=12)  # UTC-12: the last place where a day ends


def window(starts_on: date, ends_on: date) -> tuple[datetime, datetime]:
    """(start, end) in UTC of the days from `starts_on` to `ends_on`, inclusive, in every time zone."""
    start = datetime.combine(starts_on, time.min, tzinfo=UTC) - EARLIEST_OFFSET
    end = datetime.combine(ends_on + timedelta(days=1), time.min, tzinfo=UTC) + LATEST_OFFSET
    return start, end


def workshop_window(workshop: Workshop) -> tuple[datetime, datetime]:
    """The workshop's window (see `window`)."""
    return window(workshop.starts_on, workshop.ends_on)


def has_ended(workshop: Workshop, now: datetime) -> bool:
    """True once the last day of the workshop is over everywhere."""
    return now >= workshop_window(workshop)[1]


def refusal(user_id: int, quiz_slug: str, now: datetime) -> str | None:
    """Why this user may not start, save or submit this quiz now (a message), or None when they may.

    Two queries at most: the user's running workshops, then the quiz's open state in them.
    """
    # The window holds every running workshop's days; a day-wide pre-filter in SQL, the exact check below.
    rows = db.session.execute(
        db.select(Workshop.id, Workshop.course_slug, Workshop.starts_on, Workshop.ends_on)
        .join(WorkshopParticipant, WorkshopParticipant.workshop_id == Workshop.id)
        .where(
            WorkshopParticipant.user_id == user_id,
            Workshop.starts_on <= (now + EARLIEST_OFFSET).date(),
            Workshop.ends_on >= (now - LATEST_OFFSET - timedelta(days=1)).date(),
        )
    ).all()
    catalog = get_catalog()
    controlling = [
        workshop_id
        for workshop_id, course_slug, starts_on, ends_on in rows
        if _contains(window(starts_on, ends_on), now)
        and any(quiz.slug == quiz_slug for quiz in catalog.quizzes_of(course_slug))
    ]
    if not controlling:
        return None
    opened = db.session.execute(
        db.select(WorkshopQuiz.id)
        .where(
            WorkshopQuiz.workshop_id.in_(controlling),
            WorkshopQuiz.quiz_slug == quiz_slug,
            open_clause(now),
        )
        .limit(1)
    ).first()
    if opened is not None:
        return None
    return str(_l("Your trainer has closed this quiz for the workshop. It can be taken when the trainer opens it."))


def open_clause(now: datetime) -> ColumnElement[bool]:
    """SQL: the WorkshopQuiz row is open at `now` (the schedule rule, greencustoms.workshops.schedule): its
    button opened it, or `opens_at <= now` and (no `closes_at` or `now < closes_at`)."""
    scheduled = and_(
        WorkshopQuiz.opens_at.is_not(None),
        WorkshopQuiz.opens_at <= now,
        or_(WorkshopQuiz.closes_at.is_(None), WorkshopQuiz.closes_at > now),
    )
    return or_(WorkshopQuiz.is_open.is_(True), scheduled)


def is_open(row: WorkshopQuiz | None, now: datetime) -> bool:
    """The same rule in Python, for one row (None: no row, closed)."""
    if row is None:
        return False
    if row.is_open:
        return True
    opens, closes = aware_utc(row.opens_at), aware_utc(row.closes_at)
    return opens is not None and opens <= now and (closes is None or now < closes)


def aware_utc(moment: datetime | None) -> datetime | None:
    """A stored moment as aware UTC (SQLite hands back naive ones)."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _contains(span: tuple[datetime, datetime], now: datetime) -> bool:
    return span[0] <= now < span[1]


def quiz_gate(user_id: int, quiz_slug: str) -> str | None:
    """The hook the quiz pages call: `refusal` at the quiz clock's current time."""
    from greencustoms.quiz import clock

    return refusal(user_id, quiz_slug, clock.now())


def pretest_review(user_id: int, quiz_slug: str, started_at: datetime) -> str | None:
    """The ReviewWithheld hook (greencustoms.interfaces). The rule: an attempt at a quiz that is the pre-test of
    a workshop the user participates in, started within that workshop's window, shows its score only, never
    the questions' answers, whatever the quiz's review policy (the post-test would otherwise be answered from
    the pre-test's review; when both are the same quiz, every attempt in the window is covered). One query."""
    started = aware_utc(started_at)
    if started is None:
        return None
    rows = db.session.execute(
        db.select(Workshop.starts_on, Workshop.ends_on)
        .join(WorkshopParticipant, WorkshopParticipant.workshop_id == Workshop.id)
        .where(
            WorkshopParticipant.user_id == user_id,
            Workshop.pre_quiz_slug == quiz_slug,
            Workshop.starts_on <= (started + EARLIEST_OFFSET).date(),
            Workshop.ends_on >= (started - LATEST_OFFSET - timedelta(days=1)).date(),
        )
    ).all()
    if not any(_contains(window(starts_on, ends_on), started) for starts_on, ends_on in rows):
        return None
    return str(
        _l(
            "This quiz is the pre-test of your workshop: its answers are not shown, so that the post-test "
            "measures what you learned."
        )
    )
