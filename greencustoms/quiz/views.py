"""Quiz pages: intro and start, the paginated take page with autosave, submit, and the result with its review.

Views only parse the request, call the attempt services and render. Every attempt route looks the attempt up
by id AND owner AND quiz: anyone else gets a 404, whatever the id (and a probe of someone else's attempt is
counted and audited, greencustoms.access.probes). A quiz that no course lists answers 404.
"""

from __future__ import annotations

from datetime import datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from greencustoms.access import Access, policy, refuse, requires, someone_elses
from greencustoms.content import Quiz, get_catalog
from greencustoms.errors import fail
from greencustoms.interfaces import interfaces
from greencustoms.models.attempt import EXPIRED, QuizAttempt
from greencustoms.studylanguages import study_language

from . import attempts, clock, pages, service
from .exceptions import AttemptClosed, AttemptRefused, StaleAttempt
from .grading import read_responses

bp = Blueprint("quiz", __name__)


@bp.get("/quizzes/<quiz_slug>")
@requires(Access.PUBLIC, no_store=True)
def intro(quiz_slug: str):
    """The rules of the quiz; for a signed-in learner also the best result, past attempts and Start or Resume."""
    quiz, _language = _studied(_quiz(quiz_slug))
    if not current_user.is_authenticated:
        return render_template("quiz/intro.html", quiz=quiz, state=None)
    state = pages.intro_state(current_user.id, quiz, _now(), _count_since(quiz))
    return render_template("quiz/intro.html", quiz=quiz, state=state, refused=_gate(quiz))


@bp.post("/quizzes/<quiz_slug>")
@requires(Access.SIGNED_IN)
def start(quiz_slug: str):
    """Start (or resume) an attempt and go to it; 409 with the reason when the attempt rules refuse."""
    quiz, language = _studied(_quiz(quiz_slug))
    _check_gate(quiz)
    try:
        attempt = service.start_attempt(
            current_user.id, quiz, _now(), count_since=_count_since(quiz), language=language
        )
    except AttemptRefused as refused:
        state = pages.intro_state(current_user.id, quiz, _now(), _count_since(quiz))
        return render_template("quiz/intro.html", quiz=quiz, state=state, refused=refused.message), 409
    return redirect(url_for("quiz.take", quiz_slug=quiz.slug, attempt_id=attempt.id), 303)


@bp.get("/quizzes/<quiz_slug>/attempts/<int:attempt_id>")
@requires(Access.OWNER)
def take(quiz_slug: str, attempt_id: int):
    """One page of the attempt with the saved answers (`?page=N`); a closed attempt leads to its result."""
    quiz, attempt = _owned(quiz_slug, attempt_id)
    if not attempt.is_open:
        return redirect(url_for("quiz.result", quiz_slug=quiz.slug, attempt_id=attempt.id))
    return _render_take(quiz, attempt, pages.page_number(request.args.get("page"), attempt, _page_size()))


@bp.post("/quizzes/<quiz_slug>/attempts/<int:attempt_id>")
@requires(Access.OWNER)
def save_page(quiz_slug: str, attempt_id: int):
    """Save the page's answers and go on (303); 400 re-shows the page with messages, 409 for a stale page."""
    quiz, attempt = _owned(quiz_slug, attempt_id)
    _check_gate(quiz, attempt)
    page = pages.page_number(request.form.get("page"), attempt, _page_size())
    before = dict(attempt.answers or {})
    sent = read_responses(quiz, attempt.questions, request.form, before)
    try:
        service.save_answers(attempt, quiz, _revision(request.form.get("revision")), sent.answers, _now())
    except AttemptClosed as closed:
        flash(closed.message, "error")
        return redirect(url_for("quiz.result", quiz_slug=quiz.slug, attempt_id=attempt.id), 303)
    except StaleAttempt as stale:
        return render_template("quiz/stale.html", quiz=quiz, attempt=attempt, message=stale.message), 409
    if sent.errors:
        return _render_take(quiz, attempt, page, sent.errors, request.form), 400
    go = "stay" if pages.holds_page(attempt, request.form.getlist("shown"), before) else request.form.get("go")
    return redirect(pages.next_url(quiz, attempt, page, go, _page_size()), 303)


@bp.post("/quizzes/<quiz_slug>/attempts/<int:attempt_id>/autosave")
@requires(Access.OWNER)
def autosave(quiz_slug: str, attempt_id: int):
    """JSON: save the answers of the questions named in `shown`; 400 for bad input, 409 when stale or closed."""
    quiz, attempt = _owned(quiz_slug, attempt_id)
    _check_gate(quiz, attempt)
    payload = pages.autosave_payload(request.get_json(silent=True))
    if payload is None:
        return jsonify(error={"message": _("The answer could not be read. Reload the page.")}), 400
    revision, form = payload
    sent = read_responses(quiz, attempt.questions, form, attempt.answers)
    try:
        new_revision = service.save_answers(attempt, quiz, revision, sent.answers, _now())
    except (AttemptClosed, StaleAttempt) as refused:
        reason = "closed" if isinstance(refused, AttemptClosed) else "stale"
        result = url_for("quiz.result", quiz_slug=quiz.slug, attempt_id=attempt.id)
        return jsonify(error={"message": str(refused.message), "reason": reason}, result_url=result), 409
    answered, total = pages.answered_count(quiz, attempt)
    body = {"revision": new_revision, "answered": answered, "total": total}
    if sent.errors:
        errors = {key or "": str(message) for key, message in sent.errors.items()}
        return jsonify(error={"message": next(iter(errors.values()))}, errors=errors, **body), 400
    return jsonify(ok=True, **body)


@bp.get("/quizzes/<quiz_slug>/attempts/<int:attempt_id>/submit")
@requires(Access.OWNER)
def confirm(quiz_slug: str, attempt_id: int):
    """The "Review and submit" page: what is still unanswered, and the Submit button."""
    quiz, attempt = _owned(quiz_slug, attempt_id)
    if not attempt.is_open:
        return redirect(url_for("quiz.result", quiz_slug=quiz.slug, attempt_id=attempt.id))
    missing = pages.unanswered(quiz, attempt, _page_size())
    return render_template(
        "quiz/confirm.html",
        quiz=quiz,
        attempt=attempt,
        missing=missing,
        answered=pages.answered_count(quiz, attempt),
        time=pages.time_left(quiz, attempt, _now()),
    )


@bp.post("/quizzes/<quiz_slug>/attempts/<int:attempt_id>/submit")
@requires(Access.OWNER)
def submit(quiz_slug: str, attempt_id: int):
    """Grade the attempt once (a repeat lands on the same result); 409 when the page is stale."""
    quiz, attempt = _owned(quiz_slug, attempt_id)
    _check_gate(quiz, attempt)
    try:
        graded = service.submit_attempt(attempt, quiz, _revision(request.form.get("revision")), _now())
    except StaleAttempt as stale:
        return render_template("quiz/stale.html", quiz=quiz, attempt=attempt, message=stale.message), 409
    if graded:
        flash(_("Your answers were submitted and graded."), "success")
    elif attempt.status == EXPIRED:
        flash(_("Time was up: your attempt was graded with the answers saved before the time limit."), "error")
    return redirect(url_for("quiz.result", quiz_slug=quiz.slug, attempt_id=attempt.id), 303)


@bp.get("/quizzes/<quiz_slug>/attempts/<int:attempt_id>/result")
@requires(Access.OWNER)
def result(quiz_slug: str, attempt_id: int):
    """The score, and as much of the review as the quiz's policy allows now."""
    quiz, attempt = _owned(quiz_slug, attempt_id)
    if attempt.is_open:
        return redirect(url_for("quiz.take", quiz_slug=quiz.slug, attempt_id=attempt.id))
    withheld_by = interfaces().review_withheld(current_user.id, quiz.slug, attempt.started_at)
    context = pages.result_context(quiz, attempt, _now(), _count_since(quiz), withheld_by)
    return render_template("quiz/result.html", quiz=quiz, attempt=attempt, **context)


def _render_take(quiz: Quiz, attempt: QuizAttempt, page: int, errors=None, form=None):
    size = _page_size()
    return render_template(
        "quiz/take.html",
        quiz=quiz,
        attempt=attempt,
        page=page,
        pages=pages.page_count(attempt, size),
        questions=pages.take_questions(quiz, attempt, page, size, errors, form),
        errors=errors or {},
        answered=pages.answered_count(quiz, attempt),
        time=pages.time_left(quiz, attempt, _now()),
    )


def _quiz(quiz_slug: str) -> Quiz:
    """The quiz, if a course lists it (access policy); 404 otherwise."""
    catalog = get_catalog()
    quiz = catalog.quiz(quiz_slug)
    if quiz is None or not policy.quiz_is_listed(catalog, quiz.slug):
        abort(404)
    return quiz


def _owned(quiz_slug: str, attempt_id: int) -> tuple[Quiz, QuizAttempt]:
    """The quiz and the current user's attempt at it (closed first if its time is up); 404 for anyone else's."""
    quiz = _quiz(quiz_slug)
    attempt = attempts.find_attempt(attempt_id, current_user.id, quiz.slug) or refuse(
        "attempt", attempt_id, someone_elses(QuizAttempt, attempt_id)
    )
    service.close_if_overdue(attempt, quiz, _now())
    return service.in_language(quiz, attempt.language), attempt


def _studied(quiz: Quiz) -> tuple[Quiz, str]:
    """The quiz in the language the learner studies its course in (a module quiz: the first course holding the
    module), and that language."""
    catalog = get_catalog()
    course = catalog.course(quiz.course_slug or "") or next(
        iter(catalog.courses_with_module(quiz.module_slug or "")), None
    )
    language = study_language(current_user, course) if course is not None else catalog.language
    return catalog.localized(language).quizzes.get(quiz.slug, quiz), language


def _revision(raw: str | None) -> int:
    """The attempt revision the page was built from; 400 when missing or not a number."""
    if raw is None or not raw.isdigit():
        fail(400, _("The form is incomplete (no revision). Reload the page and try again."))
    return int(raw)


def _now() -> datetime:
    return clock.now()


def _page_size() -> int:
    return int(current_app.config.get("QUIZ_PAGE_SIZE", pages.DEFAULT_PAGE_SIZE))


def _count_since(quiz: Quiz) -> datetime | None:
    """The interface AttemptsCountSince (greencustoms.interfaces): a renewal retake may ignore older attempts."""
    return interfaces().attempts_count_since(current_user.id, quiz.slug)


def _gate(quiz: Quiz) -> str | None:
    """The interface QuizGate (greencustoms.interfaces): a refusal message or None, e.g. a workshop's quiz before
    the trainer opens it."""
    return interfaces().quiz_gate(current_user.id, quiz.slug) if current_user.is_authenticated else None


def _check_gate(quiz: Quiz, attempt: QuizAttempt | None = None) -> None:
    """403 when the quiz is closed to the current user: nothing is started or saved. Before an attempt, the
    gate's message; during one (closed mid-attempt), a page saying why and that the answers saved so far are
    kept until the quiz opens again (JSON for autosave)."""
    refusal = _gate(quiz)
    if refusal is None:
        return
    if attempt is None:
        fail(403, refusal)
    if request.path.endswith("/autosave"):
        body = {
            "message": refusal + " " + _("Your saved answers are kept."),
            "reason": "gate",
        }
        abort(make_response(jsonify(error=body), 403))
    page = render_template(
        "quiz/closed.html", quiz=quiz, attempt=attempt, message=refusal, answered=pages.answered_count(quiz, attempt)
    )
    abort(make_response(page, 403))
