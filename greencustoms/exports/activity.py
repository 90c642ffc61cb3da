"""A learner's first activity in a course (what "started" means in exports): the earliest completed lesson of one
of its modules or the earliest quiz attempt at one of its quizzes, whichever came first.

Progress is recorded by module and quiz slug, not by course, so the catalog says which slugs belong to which
course; the mapping goes into the query as a small literal table (a few rows per course).
"""

from __future__ import annotations

from sqlalchemy import String, Subquery, func, literal, select, union_all

from greencustoms.content import Catalog
from greencustoms.models import LessonProgress, QuizAttempt


def _pairs(rows: list[tuple[str, str]], name: str):
    """A literal two-column table (course_slug, slug), or None when it would be empty."""
    if not rows:
        return None
    selects = [select(literal(c, String).label("course_slug"), literal(s, String).label("slug")) for c, s in rows]
    return union_all(*selects).subquery(name)


def first_activity(catalog: Catalog) -> Subquery | None:
    """Subquery (user_id, course_slug, first_at): the earliest lesson completion or quiz start per learner and
    course. None when no course has a module or quiz (nothing to look at)."""
    modules = _pairs([(c.slug, m) for c in catalog.courses.values() for m in c.module_slugs], "course_modules")
    quizzes = _pairs([(c.slug, q.slug) for c in catalog.courses.values() for q in catalog.quizzes_of(c.slug)], "cq")
    parts = []
    if modules is not None:
        parts.append(
            select(LessonProgress.user_id, modules.c.course_slug, LessonProgress.completed_at.label("at")).join(
                modules, modules.c.slug == LessonProgress.module_slug
            )
        )
    if quizzes is not None:
        parts.append(
            select(QuizAttempt.user_id, quizzes.c.course_slug, QuizAttempt.started_at.label("at")).join(
                quizzes, quizzes.c.slug == QuizAttempt.quiz_slug
            )
        )
    if not parts:
        return None
    events = union_all(*parts).subquery("activity")
    return (
        select(events.c.user_id, events.c.course_slug, func.min(events.c.at).label("first_at"))
        .group_by(events.c.user_id, events.c.course_slug)
        .subquery("first_activity")
    )
