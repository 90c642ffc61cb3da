"""Progress rules: what a learner has completed in a course, where to continue, and recording a completion."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError

from greencustoms.content import Catalog, Course, Lesson, Module
from greencustoms.database import read_columns
from greencustoms.extensions import db
from greencustoms.models import Enrolment, LessonProgress, utcnow
from greencustoms.signals import lesson_completed


@dataclass(frozen=True)
class CourseProgress:
    """A learner's standing in one course, computed from their completed lesson ids."""

    course: Course
    total: int
    done: int
    completed_ids: frozenset[str]
    continue_at: tuple[Module, Lesson] | None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def started(self) -> bool:
        return self.done > 0

    def module_done(self, module: Module) -> int:
        return sum(1 for lesson in module.lessons if lesson.id in self.completed_ids)


# The look-ups that signed-in pages make on every visit are built once: building a statement costs more than
# running it (greencustoms.auth.sessions does the same for the session check).
_COMPLETED = db.select(LessonProgress.module_slug, LessonProgress.lesson_slug).where(
    LessonProgress.user_id == bindparam("user_id")
)
_ENROLLED = (
    db.select(Enrolment.course_slug)
    .where(Enrolment.user_id == bindparam("user_id"))
    .order_by(Enrolment.last_activity_at.desc())
)


def completed_lesson_ids(user_id: int) -> frozenset[str]:
    """Every "module/lesson" id the user has completed, in one query."""
    rows = read_columns(_COMPLETED, {"user_id": user_id})
    return frozenset(f"{module}/{lesson}" for module, lesson in rows)


_LESSON_DONE = db.select(LessonProgress.id).where(
    LessonProgress.user_id == bindparam("user_id"),
    LessonProgress.module_slug == bindparam("module_slug"),
    LessonProgress.lesson_slug == bindparam("lesson_slug"),
)


def is_lesson_complete(user_id: int, lesson: Lesson) -> bool:
    """Whether the user has completed this one lesson: one lookup in the (user, module, lesson) unique index, with
    a statement built once (every lesson page asks this)."""
    params = {"user_id": user_id, "module_slug": lesson.module_slug, "lesson_slug": lesson.slug}
    return read_columns(_LESSON_DONE, params).first() is not None


def course_progress(catalog: Catalog, course: Course, completed: frozenset[str]) -> CourseProgress:
    """Counts and the lesson to continue with: the first unfinished lesson after the furthest finished one,
    else the first unfinished lesson; None when every lesson is done."""
    sequence = catalog.lesson_sequence(course.slug)
    done_flags = [lesson.id in completed for _module, lesson in sequence]
    furthest = max((i for i, done in enumerate(done_flags) if done), default=-1)
    order = list(range(furthest + 1, len(sequence))) + list(range(0, furthest + 1))
    continue_at = next((sequence[i] for i in order if not done_flags[i]), None)
    return CourseProgress(course, len(sequence), sum(done_flags), completed, continue_at)


def mark_lesson_complete(user_id: int, course: Course, lesson: Lesson) -> bool:
    """Record the lesson as completed (once; repeated or parallel calls are harmless) and the course enrolment.
    Returns True when this call recorded it."""
    now = utcnow()
    enrolment = db.session.execute(
        db.select(Enrolment).filter_by(user_id=user_id, course_slug=course.slug)
    ).scalar_one_or_none()
    if enrolment is None:
        _insert_ignoring_duplicate(Enrolment(user_id=user_id, course_slug=course.slug, course_version=course.version))
    else:
        enrolment.last_activity_at = now
    created = _insert_ignoring_duplicate(
        LessonProgress(
            user_id=user_id,
            module_slug=lesson.module_slug,
            lesson_slug=lesson.slug,
            content_version=lesson.version,
            completed_at=now,
        )
    )
    db.session.commit()
    if created:
        lesson_completed.send(
            # Flask's stubs type current_app as Flask, not the LocalProxy it is; signals take the real app object.
            current_app._get_current_object(),  # type: ignore[attr-defined]
            user_id=user_id,
            course_slug=course.slug,
            lesson_id=lesson.id,
        )
    return created


def _insert_ignoring_duplicate(row) -> bool:
    """Insert in a savepoint; a unique-constraint clash (a parallel request got there first) is not an error."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return False
    return True


def enrolled_course_slugs(user_id: int) -> list[str]:
    """Courses the user has started, most recently active first."""
    return list(read_columns(_ENROLLED, {"user_id": user_id}).scalars())
