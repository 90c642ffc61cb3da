"""What the certificates area plugs into the others (by the factory, see greencustoms.interfaces): the receivers
that check course completion when a lesson is completed or a quiz is graded, and the renewal window for the quiz
attempt limit.

Blinker signals are process-wide: `connect_receivers` connects each receiver once however many apps are built;
each call works in the sending app's context.
"""

from __future__ import annotations

from datetime import datetime

from greencustoms.certificates.completion import courses_using_module, courses_using_quiz
from greencustoms.certificates.service import complete_course_if_met, renew_if_due, renewal_since
from greencustoms.content import get_catalog
from greencustoms.signals import attempt_graded, lesson_completed


def connect_receivers() -> None:
    """Listen to lesson_completed and attempt_graded (connecting again is a no-op)."""
    lesson_completed.connect(on_lesson_completed)
    attempt_graded.connect(on_attempt_graded)


def on_lesson_completed(app, *, user_id: int, course_slug: str, lesson_id: str) -> None:
    """A completed lesson may complete every course that contains its module."""
    catalog = get_catalog()
    module_slug = lesson_id.split("/", 1)[0]
    for course in courses_using_module(catalog, module_slug):
        complete_course_if_met(catalog, course, user_id)


def on_attempt_graded(app, *, user_id: int, quiz_slug: str, attempt_id: int, score: float, passed: bool) -> None:
    """A passed quiz may complete a course, or renew an expired certificate when it is the final exam."""
    if not passed:
        return
    catalog = get_catalog()
    for course in courses_using_quiz(catalog, quiz_slug):
        if not complete_course_if_met(catalog, course, user_id) and quiz_slug == course.final_quiz_slug:
            renew_if_due(catalog, course, user_id, score)


def attempts_count_since(user_id: int, quiz_slug: str) -> datetime | None:
    """AttemptsCountSince: a renewal retake of a final exam ignores attempts made before the expiry."""
    return renewal_since(get_catalog(), user_id, quiz_slug)
