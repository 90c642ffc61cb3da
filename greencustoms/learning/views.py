"""Learning pages. Views only look things up in the prepared Catalog and call the progress rules."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from greencustoms.access import Access, requires
from greencustoms.content import get_catalog
from greencustoms.errors import fail
from greencustoms.i18n import language_label
from greencustoms.inputguard import page_number
from greencustoms.interfaces import interfaces
from greencustoms.learning import progress
from greencustoms.learning.languages import choose_study_language
from greencustoms.pagecache import shared_page
from greencustoms.quiz import clock
from greencustoms.quiz.results import attempt_history, attempt_history_page, best_results
from greencustoms.quiz.service import close_overdue_attempts
from greencustoms.studylanguages import chosen_study_languages, course_languages, study_language

bp = Blueprint("learning", __name__)


def _completed() -> frozenset[str]:
    return progress.completed_lesson_ids(current_user.id) if current_user.is_authenticated else frozenset()


def _studied(course_slug: str, chosen: dict[str, str] | None = None):
    """(catalog in the learner's study language for the course, the course in it, that language); 404 if unknown.
    `chosen`: the learner's chosen study languages, when a page lists several courses."""
    source = get_catalog().course(course_slug) or abort(404)
    language = study_language(current_user, source, chosen)
    catalog = get_catalog().localized(language)
    return catalog, catalog.courses[course_slug], language


def _find_lesson(course_slug: str, module_slug: str, lesson_slug: str):
    """The course, module and lesson named by the URL, in the study language; 404 unless the module belongs to
    the course."""
    catalog, course, _language = _studied(course_slug)
    if module_slug not in course.module_slugs:
        abort(404)
    module = catalog.modules[module_slug]
    lesson = module.lesson(lesson_slug)
    if lesson is None:
        abort(404)
    return catalog, course, module, lesson


@bp.get("/")
@requires(Access.PUBLIC)
def catalogue():
    completed = _completed()
    rows = []
    for slug in get_catalog().courses:
        catalog, course, _language = _studied(slug)
        rows.append((course, progress.course_progress(catalog, course, completed), course_languages(course)))
    return render_template("learning/catalogue.html", rows=rows)


@bp.get("/courses/<course_slug>")
@requires(Access.PUBLIC)
def course(course_slug: str):
    catalog, course, language = _studied(course_slug)
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
        study=language,
        languages=course_languages(course),
    )


@bp.post("/courses/<course_slug>/language")
@requires(Access.PUBLIC)
def choose_language(course_slug: str):
    """Study the course in the chosen language; back to the page the form was on (within this course)."""
    course = get_catalog().course(course_slug) or abort(404)
    language = request.form.get("language", "")
    try:
        choose_study_language(current_user, course, language)
    except ValueError:
        fail(400, _("This course cannot be studied in that language."))
    flash(_("You now study this course in %(language)s.", language=language_label(language)), "success")
    back = request.form.get("next", "")
    here = url_for("learning.course", course_slug=course.slug)
    return redirect(back if back == here or back.startswith(here + "/") else here)


@bp.get("/courses/<course_slug>/<module_slug>/<lesson_slug>")
@requires(Access.PUBLIC)
def lesson(course_slug: str, module_slug: str, lesson_slug: str):
    catalog, course, module, lesson = _find_lesson(course_slug, module_slug, lesson_slug)
    previous, following = catalog.neighbours(course.slug, module.slug, lesson.slug)
    done = current_user.is_authenticated and progress.is_lesson_complete(current_user.id, lesson)
    return shared_page(
        "learning/lesson.html",
        (course.slug, module.slug, lesson.slug, catalog.language, done),
        study=catalog.language,
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


ME_ATTEMPTS = 10  # /me lists this many of the newest attempts; /me/attempts lists them all


def _current_attempts(catalog, limit: int):
    """The learner's newest `limit` attempts, overdue ones closed first (a query more only when one is overdue)."""
    attempts = attempt_history(current_user.id, limit)
    now = clock.now()
    if any(attempt.overdue(now) for attempt in attempts) and close_overdue_attempts(
        current_user.id, catalog.quizzes, now
    ):
        attempts = attempt_history(current_user.id, limit)
    return attempts


@bp.get("/me/attempts")
@requires(Access.SIGNED_IN)
def my_attempts():
    """Every quiz attempt of the learner, newest first, a page at a time."""
    catalog = get_catalog()
    close_overdue_attempts(current_user.id, catalog.quizzes, clock.now())  # on every page, before listing
    page = attempt_history_page(current_user.id, page_number())
    return render_template("learning/attempts.html", page=page, attempts=page.items, quizzes=catalog.quizzes)


@bp.get("/me")
@requires(Access.SIGNED_IN)
def me():
    catalog = get_catalog()
    completed = _completed()
    slugs = [slug for slug in progress.enrolled_course_slugs(current_user.id) if slug in catalog.courses]
    rows = []
    chosen = chosen_study_languages(current_user)  # one query for every course listed
    for slug in slugs:
        studied, course, _language = _studied(slug, chosen)
        rows.append(progress.course_progress(studied, course, completed))
    # The newest attempts (one more than shown, to know whether to link to the whole history)
    attempts = _current_attempts(catalog, ME_ATTEMPTS + 1)
    return render_template(
        "learning/me.html",
        rows=rows,
        attempts=attempts[:ME_ATTEMPTS],
        more_attempts=len(attempts) > ME_ATTEMPTS,
        quizzes=catalog.quizzes,
        invitations=interfaces().pending_invitations(current_user.id),
        **interfaces().learner_certificates(catalog, current_user.id),
    )
