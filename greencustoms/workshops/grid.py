"""The live progress grid: every participant by every lesson and quiz of the workshop's course.

Three queries whatever the number of participants: the participants, their completed lessons of the course, and
their best graded result per quiz. Progress is (lessons done + quizzes passed) / (lessons + quizzes).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import case, func

from greencustoms.content import Catalog
from greencustoms.extensions import db
from greencustoms.forms_common import country_name
from greencustoms.models import LessonProgress, QuizAttempt, User, Workshop, WorkshopParticipant
from greencustoms.models.attempt import IN_PROGRESS
from greencustoms.workshops.participants import participant_ids

SORTS = ("name", "country", "progress")


@dataclass(frozen=True)
class GridColumn:
    """A lesson ("1.2": module 1, lesson 2) or a quiz ("Q1") of the course, with its full title."""

    kind: str
    key: str
    label: str | LazyString  # quiz labels are translated when shown
    title: str


@dataclass(frozen=True)
class QuizCell:
    """A participant's best graded result at one quiz (percent) and whether any attempt passed."""

    best: float
    passed: bool


@dataclass(frozen=True)
class GridRow:
    """One participant's line of the grid."""

    participant_id: int
    user_id: int
    name: str
    country: str
    organisation: str
    lessons: frozenset[str]
    quizzes: dict[str, QuizCell]
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass(frozen=True)
class Grid:
    """The columns in course order, the rows in the chosen order, and that order."""

    columns: tuple[GridColumn, ...]
    rows: tuple[GridRow, ...]
    sort: str


def grid_columns(catalog: Catalog, course_slug: str) -> tuple[GridColumn, ...]:
    """Lessons in reading order, numbered module.lesson, then the quizzes in course order."""
    columns = []
    for number, module in enumerate(catalog.modules_of(course_slug), start=1):
        for index, lesson in enumerate(module.lessons, start=1):
            columns.append(GridColumn("lesson", lesson.id, f"{number}.{index}", lesson.title))
    for number, quiz in enumerate(catalog.quizzes_of(course_slug), start=1):
        columns.append(GridColumn("quiz", quiz.slug, _l("Q%(n)d", n=number), quiz.title))
    return tuple(columns)


def grid_sources(workshop: Workshop, catalog: Catalog) -> tuple[list[str], list[str]]:
    """The module slugs and quiz slugs whose progress the grid of `workshop` shows."""
    columns = grid_columns(catalog, workshop.course_slug)
    module_slugs = (
        list(catalog.courses[workshop.course_slug].module_slugs) if workshop.course_slug in catalog.courses else []
    )
    return module_slugs, [column.key for column in columns if column.kind == "quiz"]


def progress_grid(
    workshop: Workshop, catalog: Catalog, sort: str = "name", only: Collection[int] | None = None
) -> Grid:
    """The grid sorted by name (A-Z), country (A-Z, then name) or progress (highest first, then name); an
    unknown sort means by name. With `only` (user ids), just the rows of those participants. Three queries."""
    sort = sort if sort in SORTS else "name"
    columns = grid_columns(catalog, workshop.course_slug)
    module_slugs, quiz_slugs = grid_sources(workshop, catalog)
    members = participant_ids(workshop)
    people_query = (
        db.select(WorkshopParticipant.id, User.id, User.full_name, User.country, User.organisation)
        .join(User, User.id == WorkshopParticipant.user_id)
        .where(WorkshopParticipant.workshop_id == workshop.id)
    )
    if only is not None:
        members = members.where(WorkshopParticipant.user_id.in_(list(only)))
        people_query = people_query.where(User.id.in_(list(only)))
    people = db.session.execute(people_query).all()
    lessons: dict[int, set[str]] = {}
    for user_id, module_slug, lesson_slug in db.session.execute(
        db.select(LessonProgress.user_id, LessonProgress.module_slug, LessonProgress.lesson_slug).where(
            LessonProgress.user_id.in_(members), LessonProgress.module_slug.in_(module_slugs)
        )
    ):
        lessons.setdefault(user_id, set()).add(f"{module_slug}/{lesson_slug}")
    results: dict[int, dict[str, QuizCell]] = {}
    for user_id, quiz_slug, best, passed in db.session.execute(
        db.select(
            QuizAttempt.user_id,
            QuizAttempt.quiz_slug,
            func.max(QuizAttempt.score),
            func.max(case((QuizAttempt.passed.is_(True), 1), else_=0)),
        )
        .where(
            QuizAttempt.user_id.in_(members), QuizAttempt.quiz_slug.in_(quiz_slugs), QuizAttempt.status != IN_PROGRESS
        )
        .group_by(QuizAttempt.user_id, QuizAttempt.quiz_slug)
    ):
        results.setdefault(user_id, {})[quiz_slug] = QuizCell(float(best or 0.0), bool(passed))
    lesson_keys = {column.key for column in columns if column.kind == "lesson"}
    rows = []
    for participant_id, user_id, name, country, organisation in people:
        done_lessons = frozenset(lessons.get(user_id, set()) & lesson_keys)
        quizzes = results.get(user_id, {})
        done = len(done_lessons) + sum(1 for cell in quizzes.values() if cell.passed)
        rows.append(
            GridRow(
                participant_id,
                user_id,
                name,
                country or "",
                organisation or "",
                done_lessons,
                quizzes,
                done,
                len(columns),
            )
        )
    return Grid(columns, tuple(sorted(rows, key=_sort_key(sort))), sort)


def _sort_key(sort: str):
    def by_name(row: GridRow):
        return (row.name.casefold(), row.participant_id)

    if sort == "country":
        return lambda row: (country_name(row.country).casefold() or "\uffff", *by_name(row))
    if sort == "progress":
        return lambda row: (-row.done, *by_name(row))
    return by_name
