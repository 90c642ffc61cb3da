"""Learning pages. Views only look things up in the prepared Catalog and call the progress rules."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from greencustoms.access import Access, requires
from greencustoms.content import get_catalog
from greencustoms.interfaces import interfaces
from greencustoms.learning import progress
from greencustoms.quiz import clock
from greencustoms.quiz.results import attempt_history, best_results
from greencustoms.quiz.service import close_overdue_attempts

bp = Blueprint("learning", __name__)


def _completed() -> frozenset[str]:
    return progress.completed_lesson_ids(current_user.id) if current_user.is_authenticated else frozenset()


def _find_lesson(course_slug: str, module_slug: str, lesson_slug: str):
    """The course, module and lesson named by the URL; 404 unless the module belongs to the course."""
    catalog = get_catalog()
    course = catalog.course(course_slug)
    if course is None or module_slug not in course.module_slugs:
        abort(404)
    module = catalog.modules[module_slug]
    lesson = module.lesson(lesson_slug)
    if lesson is None:
        abort(404)
    return catalog, course, module, lesson


@bp.get("/")
@requires(Access.PUBLIC)
def catalogue():
    catalog = get_catalog()
    completed = _completed()
    rows = [(course, progress.course_progress(catalog, course, completed)) for course in catalog.courses.values()]
    return render_template("learning/catalogue.html", rows=rows)


@bp.get("/courses/<course_slug>")
@requires(Access.PUBLIC)
def course(course_slug: str):
    catalog = get_catalog()
    course = catalog.course(course_slug) or abort(404)
    standing = progress.course_progress(catalog, course, _completed())
    quiz_slugs = [quiz.slug for quiz in catalog.quizzes_of(course.slug)]
    quiz_results = best_results(current_user.id, quiz_slugs) if current_user.is_authenticated else {}
    return render_template(
        "learning/course.html",
        course=course,
        modules=catalog.modules_of(course.slug),
        standing=standing,
        quizzes=catalog.quizzes,
        quiz_results=quiz_results,
    )


@bp.get("/courses/<course_slug>/<module_slug>/<lesson_slug>")
@requires(Access.PUBLIC)
def lesson(course_slug: str, module_slug: str, lesson_slug: str):
    catalog, course, module, lesson = _find_lesson(course_slug, module_slug, lesson_slug)
    previous, following = catalog.neighbours(course.slug, module.slug, lesson.slug)
    done = current_user.is_authenticated and progress.is_lesson_complete(current_user.id, lesson)
    return render_template(
        "learning/lesson.html",
        course=course,
        module=module,
        lesson=lesson,
        terms=catalog.terms_of(lesson),
        previous=previous,
        following=following,
        done=done,
    )


@bp.post("/courses/<course_slug>/<module_slug>/<lesson_slug>/complete")
@requires(Access.SIGNED_IN)
def complete(course_slug: str, module_slug: str, lesson_slug: str):
    catalog, course, module, lesson = _find_lesson(course_slug, module_slug, lesson_slug)
    progress.mark_lesson_complete(current_user.id, course, lesson)
    flash(_("“%(title)s” is marked as complete.", title=lesson.title), "success")
    _previous, following = catalog.neighbours(course.slug, module.slug, lesson.slug)
    if following is None:
        return redirect(url_for("learning.course", course_slug=course.slug))
    return redirect(
        url_for(
            "learning.lesson", course_slug=course.slug, module_slug=following.module_slug, lesson_slug=following.slug
        )
    )


@bp.get("/me")
@requires(Access.SIGNED_IN)
def me():
    catalog = get_catalog()
    completed = _completed()
    slugs = [slug for slug in progress.enrolled_course_slugs(current_user.id) if slug in catalog.courses]
    rows = [progress.course_progress(catalog, catalog.courses[slug], completed) for slug in slugs]
    attempts = attempt_history(current_user.id)
    now = clock.now()
    # Close overdue attempts before listing them; a query more only when one of them is overdue.
    if any(attempt.overdue(now) for attempt in attempts) and close_overdue_attempts(
        current_user.id, catalog.quizzes, now
    ):
        attempts = attempt_history(current_user.id)
    return render_template(
        "learning/me.html",
        rows=rows,
        attempts=attempts,
        quizzes=catalog.quizzes,
        invitations=interfaces().pending_invitations(current_user.id),
        **interfaces().learner_certificates(catalog, current_user.id),
    )
