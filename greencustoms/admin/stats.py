"""Dashboard figures: learners, enrolments, completions and certificates per course and per month, and the pass
rate of each quiz. A fixed number of GROUP BY queries, whatever the number of courses or quizzes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import case, func

from greencustoms.content import Catalog
from greencustoms.extensions import db
from greencustoms.models import Certificate, CourseCompletion, Enrolment, User

MONTHS = 12


@dataclass(frozen=True)
class CourseFigures:
    slug: str
    title: str
    enrolments: int
    completions: int
    certificates: int


@dataclass(frozen=True)
class MonthFigures:
    month: str  # "YYYY-MM", UTC
    enrolments: int
    completions: int

    @property
    def start(self) -> date:
        """The first day of the month (for labels)."""
        return date(int(self.month[:4]), int(self.month[5:7]), 1)


@dataclass(frozen=True)
class QuizFigures:
    slug: str
    title: str
    submitted: int
    passed: int

    @property
    def pass_rate(self) -> float:
        """Share of graded attempts that passed, 0.0-1.0 (0.0 without attempts)."""
        return self.passed / self.submitted if self.submitted else 0.0


@dataclass(frozen=True)
class Dashboard:
    accounts_by_role: Mapping[str, int]
    courses: list[CourseFigures]
    months: list[MonthFigures]
    quizzes: list[QuizFigures]

    @property
    def learners(self) -> int:
        return self.accounts_by_role.get("learner", 0)

    @property
    def certificates(self) -> int:
        return sum(course.certificates for course in self.courses)


def last_months(now: datetime, count: int = MONTHS) -> list[str]:
    """The `count` months up to and including now's month, oldest first, as "YYYY-MM"."""
    year, month = now.year, now.month
    keys = []
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def _month_of(column):
    """SQL for the UTC "YYYY-MM" of a timestamp column, on SQLite and on PostgreSQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _per_course(model, *conditions) -> dict[str, int]:
    statement = db.select(model.course_slug, func.count()).where(*conditions).group_by(model.course_slug)
    return dict(db.session.execute(statement).all())


def _per_month(column, since: datetime) -> dict[str, int]:
    month = _month_of(column)
    statement = db.select(month, func.count()).where(column >= since).group_by(month)
    return dict(db.session.execute(statement).all())


def quiz_pass_rates(titles: Mapping[str, str]) -> list[QuizFigures]:
    """Graded attempts (submitted or closed by the time limit) and how many passed, per quiz, in one query;
    quizzes without graded attempts are absent. `titles` maps quiz slugs to titles (missing: the slug)."""
    from greencustoms.models.attempt import IN_PROGRESS, QuizAttempt

    statement = (
        db.select(QuizAttempt.quiz_slug, func.count(), func.sum(case((QuizAttempt.passed.is_(True), 1), else_=0)))
        .where(QuizAttempt.status != IN_PROGRESS)
        .group_by(QuizAttempt.quiz_slug)
        .order_by(QuizAttempt.quiz_slug)
    )
    return [
        QuizFigures(slug, titles.get(slug, slug), int(submitted), int(passed or 0))
        for slug, submitted, passed in db.session.execute(statement)
    ]


def dashboard(catalog: Catalog, now: datetime) -> Dashboard:
    """Every figure of the dashboard in seven queries. Courses of the catalog come first, in catalogue order;
    courses that have records but left the catalog follow under their slug."""
    roles = dict(db.session.execute(db.select(User.role, func.count()).group_by(User.role)).all())
    enrolments = _per_course(Enrolment)
    completions = _per_course(CourseCompletion)
    certificates = _per_course(Certificate, Certificate.status != "superseded")
    retired = (set(enrolments) | set(completions) | set(certificates)) - set(catalog.courses)
    slugs = list(catalog.courses) + sorted(retired)
    courses = [
        CourseFigures(
            slug,
            catalog.courses[slug].title if slug in catalog.courses else slug,
            enrolments.get(slug, 0),
            completions.get(slug, 0),
            certificates.get(slug, 0),
        )
        for slug in slugs
    ]
    keys = last_months(now)
    since = datetime(int(keys[0][:4]), int(keys[0][5:]), 1, tzinfo=UTC)
    enrolled = _per_month(Enrolment.enrolled_at, since)
    completed = _per_month(CourseCompletion.completed_at, since)
    months = [MonthFigures(key, enrolled.get(key, 0), completed.get(key, 0)) for key in keys]
    quizzes = quiz_pass_rates({slug: quiz.title for slug, quiz in catalog.quizzes.items()})
    return Dashboard(roles, courses, months, quizzes)
