"""Reading submitted responses and grading an attempt: per-question credit, attempt score, pass or fail."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from greencustoms.content import Question, Quiz

from .types import InvalidAnswer, get_type

Layout = Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class Grade:
    """A graded attempt: score in percent (2 decimals), passed, and the credit of each graded question."""

    score: float
    passed: bool
    results: dict[str, float]


@dataclass
class PageResponses:
    """What one page (or one autosave) sent: responses by question id (None = cleared) and errors by question id
    (None for a field that belongs to no question of the attempt)."""

    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str | None, Any] = field(default_factory=dict)


def current_question(quiz: Quiz, entry: Mapping[str, Any]) -> Question | None:
    """The bank's question for a layout entry; None when it was removed or changed type since the draw."""
    question = quiz.question(entry["id"])
    return question if question is not None and question.type == entry["type"] else None


def attempt_score(credits: Iterable[float]) -> float:
    """Sum of credits / number of questions * 100, rounded to 2 decimals; 0.0 for no questions."""
    values = list(credits)
    return round(sum(values) / len(values) * 100, 2) if values else 0.0


def grade_attempt(quiz: Quiz, layout: Layout, answers: Mapping[str, Any], pass_mark: int) -> Grade:
    """Grade the saved answers against the bank. A question removed from the bank (or whose type changed) while
    the attempt was open is left out of the score rather than counted wrong. Passed = score >= pass_mark."""
    results: dict[str, float] = {}
    for entry in layout:
        question = current_question(quiz, entry)
        if question is not None:
            credit = get_type(question.type).score(question, answers.get(entry["id"]))
            results[entry["id"]] = min(1.0, max(0.0, credit))
    score = attempt_score(results.values())
    return Grade(score=score, passed=score >= pass_mark, results=results)


def read_responses(
    quiz: Quiz, layout: Layout, form: MultiDict, saved: Mapping[str, Any] | None = None
) -> PageResponses:
    """Read the questions a page lists in its `shown` fields. Every answer field must belong to one of them and
    every `shown` id to the attempt; tampered or malformed values are errors, never exceptions. `saved` (the
    attempt's stored answers) lets a type build on what was saved before (a scenario's path)."""
    saved = saved or {}
    page = PageResponses()
    entries = {entry["id"]: entry for entry in layout}
    shown = []
    for question_id in dict.fromkeys(form.getlist("shown")):
        if question_id not in entries:
            page.errors[None] = _l("The page sent a question that is not part of this attempt. Reload the page.")
        else:
            shown.append(entries[question_id])
    expected = {name for entry in shown for name in get_type(entry["type"]).field_names(entry)}
    if any(name.startswith("a-") and name not in expected for name in form.keys()):
        page.errors[None] = _l("The page sent an answer that is not part of this attempt. Reload the page.")
    for entry in shown:
        if current_question(quiz, entry) is None:
            continue
        try:
            page.answers[entry["id"]] = get_type(entry["type"]).parse(entry, form, saved.get(entry["id"]))
        except InvalidAnswer as error:
            page.errors[entry["id"]] = error.message
    return page


def is_answered(entry: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
    """True when the question of this layout entry has a complete saved answer."""
    return get_type(entry["type"]).is_answered(entry, answers.get(entry["id"]))
