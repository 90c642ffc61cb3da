"""Signal receivers: check course completion when a lesson is completed or a quiz is graded.

Connected once at import (blinker signals are global); each call works in the sending app's context.
"""

from __future__ import annotations

from greencustoms.certificates.completion import courses_using_module, courses_using_quiz
from greencustoms.certificates.service import complete_course_if_met, renew_if_due
from greencustoms.content import get_catalog
from greencustoms.signals import attempt_graded, lesson_completed


@lesson_completed.connect
def on_lesson_completed(app, *, user_id: int, course_slug: str, lesson_id: str) -> None:
    """A completed lesson may complete every course that contains its module."""
    catalog = get_catalog()
    module_slug = lesson_id.split("/", 1)[0]
    for course in courses_using_module(catalog, module_slug):
        complete_course_if_met(catalog, course, user_id)


@attempt_graded.connect
def on_attempt_graded(app, *, user_id: int, quiz_slug: str, attempt_id: int, score: float, passed: bool) -> None:
    """A passed quiz may complete a course, or renew an expired certificate when it is the final exam."""
    if not passed:
        return
    catalog = get_catalog()
    for course in courses_using_quiz(catalog, quiz_slug):
        if not complete_course_if_met(catalog, course, user_id) and quiz_slug == course.final_quiz_slug:
            renew_if_due(catalog, course, user_id, score)
