"""What the take and submit pages show: the questions of one page with their saved answers, and what is left."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import url_for
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from greencustoms.content import Quiz
from greencustoms.content.catalog import MEA_LABELS
from greencustoms.models.attempt import QuizAttempt

from . import attempts, service
from .grading import current_question, is_answered
from .results import QuizResult, best_results
from .review import SCORE, review_items, review_level
from .types import field_name, get_type

DEFAULT_PAGE_SIZE = 5


@dataclass(frozen=True)
class TakeQuestion:
    """One question on the take page: what its input macro (named after the type) needs."""

    position: int
    question_id: str
    type: str
    prompt_html: Markup
    field: str
    widget: dict[str, Any]
    answered: bool
    error: Any = None
    template: str = ""
    autosave: bool = True
    language: str = "en"  # the language of the question's texts (the source's where it is not translated)


def page_count(attempt: QuizAttempt, size: int) -> int:
    """How many pages the attempt's questions fill, `size` to a page (at least 1)."""
    return max(1, math.ceil(len(attempt.questions) / max(1, size)))


def page_number(raw: str | None, attempt: QuizAttempt, size: int) -> int:
    """The page asked for in the URL, kept within 1..page_count (anything unreadable means page 1)."""
    number = int(raw) if raw and raw.isdigit() else 1
    return min(max(1, number), page_count(attempt, size))


def take_questions(
    quiz: Quiz,
    attempt: QuizAttempt,
    page: int,
    size: int,
    errors: Mapping[str | None, Any] | None = None,
    form: MultiDict | None = None,
) -> list[TakeQuestion]:
    """The questions of `page` with their saved answers. A question with an error shows what was typed (from
    `form`) instead, so that nothing the learner wrote is lost. Questions removed from the bank are skipped."""
    errors = errors or {}
    answers = attempt.answers or {}
    shown = []
    start = (page - 1) * size
    for position, entry in enumerate(attempt.questions[start : start + size], start=start + 1):
        question = current_question(quiz, entry)
        if question is None:
            continue
        kind = get_type(question.type)
        widget = kind.widget(question, entry, answers.get(entry["id"]))
        error = errors.get(entry["id"])
        if error is not None and form is not None and "value" in widget:
            widget["value"] = form.get(field_name(entry), widget["value"])
        shown.append(
            TakeQuestion(
                position=position,
                question_id=entry["id"],
                type=question.type,
                prompt_html=Markup(question.prompt_html),  # noqa: S704 - sanitised when the catalog was built
                field=field_name(entry),
                widget=widget,
                answered=is_answered(entry, answers),
                error=error,
                template=kind.template_name,
                autosave=kind.autosave,
                language=question.language,
            )
        )
    return shown


def unanswered(quiz: Quiz, attempt: QuizAttempt, size: int) -> list[tuple[int, int]]:
    """(position, page) of every question without a complete answer, for the "Review and submit" page."""
    answers = attempt.answers or {}
    return [
        (position, (position - 1) // size + 1)
        for position, entry in enumerate(attempt.questions, start=1)
        if current_question(quiz, entry) is not None and not is_answered(entry, answers)
    ]


def answered_count(quiz: Quiz, attempt: QuizAttempt) -> tuple[int, int]:
    """(answered, total) over the attempt's questions still in the bank."""
    answers = attempt.answers or {}
    entries = [entry for entry in attempt.questions if current_question(quiz, entry) is not None]
    return sum(1 for entry in entries if is_answered(entry, answers)), len(entries)


@dataclass(frozen=True)
class TimeLeft:
    """The deadline of a timed attempt and the whole minutes left (rounded up), for the countdown."""

    deadline: datetime
    minutes: int

    @property
    def iso(self) -> str:
        return self.deadline.isoformat()


def time_left(quiz: Quiz, attempt: QuizAttempt, now: datetime) -> TimeLeft | None:
    """None for an untimed attempt; otherwise the deadline (the grace period is not announced)."""
    if attempt.deadline_at is None:
        return None
    seconds = (attempt.deadline_at - now).total_seconds()
    return TimeLeft(deadline=attempt.deadline_at, minutes=max(0, math.ceil(seconds / 60)))


def holds_page(attempt: QuizAttempt, shown: list[str], before: Mapping[str, Any]) -> bool:
    """True when this save moved a question of the page on and it has more to play on the same page (a
    scenario's next step). A save that changed nothing never holds, so the learner can always move on."""
    answers = attempt.answers or {}
    return any(
        get_type(entry["type"]).holds_page(entry, answers.get(entry["id"]))
        and answers.get(entry["id"]) != before.get(entry["id"])
        for entry in attempt.questions
        if entry["id"] in shown
    )


def next_url(quiz: Quiz, attempt: QuizAttempt, page: int, go: str | None, size: int) -> str:
    """Where a saved page leads: "previous" or "next" page, "review" (the submit page), else the same page.
    "next" from the last page leads to the submit page."""
    last = page_count(attempt, size)
    if go == "review" or (go == "next" and page >= last):
        return url_for("quiz.confirm", quiz_slug=quiz.slug, attempt_id=attempt.id)
    target = {"previous": max(1, page - 1), "next": page + 1}.get(go or "", page)
    return url_for("quiz.take", quiz_slug=quiz.slug, attempt_id=attempt.id, page=target)


def autosave_payload(payload: Any) -> tuple[int, MultiDict] | None:
    """Read an autosave body {"revision": 3, "shown": ["q-id"], "fields": {"a-q-id": "token" or [...]}} into
    (revision, form fields as a page would send them); None when it is not shaped like that."""
    if not isinstance(payload, dict):
        return None
    revision, shown, fields = payload.get("revision"), payload.get("shown"), payload.get("fields")
    if type(revision) is not int or revision < 0 or not isinstance(shown, list) or not isinstance(fields, dict):
        return None
    form: MultiDict = MultiDict()
    for question_id in shown:
        if not isinstance(question_id, str):
            return None
        form.add("shown", question_id)
    for name, value in fields.items():
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(item, str) for item in values) or len(values) > 50:
            return None
        form.setlist(name, values)
    return revision, form


def topics_to_revise(quiz: Quiz, attempt: QuizAttempt) -> list[tuple[str, str]]:
    """(agreement, topic) of every question the attempt did not fully get right, each once, sorted: what the
    learner should read again, told without the questions or their answers."""
    results = attempt.results or {}
    topics = set()
    for entry in attempt.questions:
        question = current_question(quiz, entry)
        if question is not None and results.get(entry["id"], 0.0) < 1.0:
            topics.add((MEA_LABELS.get(question.tags.get("mea", ""), ""), question.tags.get("topic", "")))
    return sorted(topics)


@dataclass(frozen=True)
class IntroState:
    """What the quiz intro shows a signed-in learner."""

    open_attempt: QuizAttempt | None
    allowance: attempts.Allowance
    attempts: list[QuizAttempt]
    best: QuizResult | None


def intro_state(user_id: int, quiz: Quiz, now: datetime, count_since: datetime | None = None) -> IntroState:
    """The open attempt (closed first if its time is up), whether a new one may start, past attempts, best."""
    current = attempts.open_attempt(user_id, quiz.slug)
    if current is not None and service.close_if_overdue(current, quiz, now):
        current = None
    closed = [attempt for attempt in attempts.attempts_of(user_id, quiz.slug) if not attempt.is_open]
    return IntroState(
        open_attempt=current,
        allowance=attempts.attempt_allowance(user_id, quiz, now, count_since=count_since),
        attempts=closed,
        best=best_results(user_id, [quiz.slug]).get(quiz.slug),
    )


def result_context(
    quiz: Quiz, attempt: QuizAttempt, now: datetime, count_since: datetime | None, withheld_by: str | None = None
) -> dict[str, Any]:
    """The review level the policy allows for this graded attempt, its review items, and what comes next.
    `withheld_by` (the ReviewWithheld interface's message, e.g. a workshop's pre-test) caps it at the score."""
    best = best_results(attempt.user_id, [quiz.slug]).get(quiz.slug)
    lifetime = attempts.attempt_allowance(attempt.user_id, quiz, now)
    level = review_level(quiz, has_passed=bool(best and best.passed), attempts_left=lifetime.left)
    if withheld_by is not None:
        level = SCORE
    return {
        "withheld_by": withheld_by,
        "next_steps": next_steps(quiz, attempt) if attempt.passed else [],
        "level": level,
        "withheld": level == SCORE and quiz.review_show != SCORE,
        "topics": topics_to_revise(quiz, attempt),
        "items": review_items(quiz, attempt, level),
        "best": best,
        "allowance": attempts.attempt_allowance(attempt.user_id, quiz, now, count_since=count_since),
    }


def next_steps(quiz: Quiz, attempt: QuizAttempt) -> list[dict[str, Any]]:
    """After a pass, where the learner goes next in each course that holds this quiz: the next module's first
    lesson, else the course's final exam; at the end of a course, its certificate (on /me) when one is issued,
    else the course page with what is left to do."""
    from flask import url_for

    from greencustoms.content import get_catalog
    from greencustoms.interfaces import interfaces

    catalog = get_catalog()
    held = interfaces().learner_certificates(catalog, attempt.user_id)
    issued = {c.course_slug for c in held["certificates"] if c.state(held["now"]) == "valid"}

    def end_of(course) -> dict[str, Any]:
        if course.slug in issued:
            return {"kind": "certificate", "course": course, "url": url_for("learning.me")}
        return {"kind": "complete", "course": course, "url": url_for("learning.course", course_slug=course.slug)}

    if quiz.course_slug:
        course = catalog.course(quiz.course_slug)
        return [end_of(course)] if course is not None else []
    steps: list[dict[str, Any]] = []
    for course in catalog.courses_with_module(quiz.module_slug or ""):
        modules = [module.slug for module in catalog.modules_of(course.slug)]
        following = modules[modules.index(quiz.module_slug) + 1 :] if quiz.module_slug in modules else []
        nxt = next((catalog.modules[slug] for slug in following if catalog.modules[slug].lessons), None)
        if nxt is not None:
            first = nxt.lessons[0].slug
            url = url_for("learning.lesson", course_slug=course.slug, module_slug=nxt.slug, lesson_slug=first)
            steps.append({"kind": "module", "course": course, "module": nxt, "url": url})
        elif course.final_quiz_slug:
            final = catalog.quizzes[course.final_quiz_slug]
            url = url_for("quiz.intro", quiz_slug=final.slug)
            steps.append({"kind": "final", "course": course, "quiz": final, "url": url})
        else:
            steps.append(end_of(course))
    return steps
