"""The completion rule of a course, evaluated for one learner, and recording a completion exactly once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from greencustoms.content import Catalog, Course
from greencustoms.extensions import db
from greencustoms.learning.progress import completed_lesson_ids
from greencustoms.models import CourseCompletion, utcnow
from greencustoms.quiz.results import QuizResult, best_results


@dataclass(frozen=True)
class CompletionStatus:
    """Where a learner stands against a course's completion rule."""

    missing_lessons: tuple[str, ...]
    missing_quizzes: tuple[str, ...]
    final_score: float | None

    @property
    def complete(self) -> bool:
        return not self.missing_lessons and not self.missing_quizzes


def required_quizzes(course: Course) -> tuple[str, ...]:
    """Quiz slugs that must be passed: the rule's quizzes, plus the final quiz when the rule counts it."""
    slugs = list(course.completion.quizzes)
    if course.final_quiz_slug and course.completion.final_quiz and course.final_quiz_slug not in slugs:
        slugs.append(course.final_quiz_slug)
    return tuple(slugs)


def final_score(course: Course, results: dict[str, QuizResult]) -> float | None:
    """The final exam's best score; without a final exam, the mean best score of the required quizzes."""
    if course.final_quiz_slug and course.final_quiz_slug in results:
        return results[course.final_quiz_slug].best_score
    scores = [results[slug].best_score for slug in required_quizzes(course) if slug in results]
    return round(sum(scores) / len(scores), 2) if scores else None


def completion_status(course: Course, user_id: int) -> CompletionStatus:
    """Evaluate the rule with two queries: completed lessons and best quiz results."""
    done = completed_lesson_ids(user_id)
    quizzes = required_quizzes(course)
    results = best_results(user_id, quizzes)
    return CompletionStatus(
        missing_lessons=tuple(lesson for lesson in course.completion.lessons if lesson not in done),
        missing_quizzes=tuple(slug for slug in quizzes if not (slug in results and results[slug].passed)),
        final_score=final_score(course, results),
    )


def record_completion(course: Course, user_id: int, score: float | None, now: datetime | None = None) -> bool:
    """Insert the completion row; False when it already exists (an earlier or a parallel request won)."""
    row = CourseCompletion(
        user_id=user_id,
        course_slug=course.slug,
        course_version=course.version,
        completed_at=now or utcnow(),
        final_score=score,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return False
    db.session.commit()
    return True


def courses_using_quiz(catalog: Catalog, quiz_slug: str) -> list[Course]:
    """Courses whose completion depends on the quiz."""
    return [course for course in catalog.courses.values() if quiz_slug in required_quizzes(course)]


def courses_using_module(catalog: Catalog, module_slug: str) -> list[Course]:
    """Courses that contain the module."""
    return [course for course in catalog.courses.values() if module_slug in course.module_slugs]
