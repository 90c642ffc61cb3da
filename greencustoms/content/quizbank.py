"""A quiz as the Catalog holds it: its rules of attempt and its bank of questions, each rendered, with options.
How each question type is asked and graded lives in greencustoms.quiz.types; how a bank file is read, in
greencustoms.content.quizload."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .frozen import EMPTY, freeze


@dataclass(frozen=True)
class Option:
    """An answer option of a single or multiple choice question."""

    id: str
    html: str
    correct: bool
    feedback_html: str = ""
    weight: float | None = None  # percent of the credit (Moodle-style weights); None: the type's own scoring


@dataclass(frozen=True)
class Question:
    """One question of a bank; only the fields of its `type` carry values."""

    id: str
    type: str
    prompt_html: str
    explanation_html: str
    reference: str
    tags: Mapping[str, str]
    version: str
    options: tuple[Option, ...] = ()
    answer: bool | float | None = None
    tolerance: float = 0.0
    unit: str | None = None
    accept: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    items: tuple[str, ...] = ()
    data: Mapping[str, Any] = field(default_factory=lambda: EMPTY)  # what newer type modules keep
    language: str = "en"


@dataclass(frozen=True)
class Quiz:
    """A question bank and the rules of an attempt (draw, pass mark, attempts, timing, review policy)."""

    slug: str
    title: str
    module_slug: str | None
    course_slug: str | None
    pass_mark: int
    draw: int
    balance_by: str | None
    shuffle_questions: bool
    shuffle_options: bool
    max_attempts: int | None
    wait_minutes: int
    time_limit_minutes: int | None
    grace_seconds: int
    review_show: str
    review_when: str
    questions: tuple[Question, ...]
    version: str
    path: str = ""
    language: str = "en"
    _by_id: Mapping[str, Question] = field(default_factory=lambda: EMPTY, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        freeze(self, "_by_id", MappingProxyType({question.id: question for question in self.questions}))

    def question(self, question_id: str) -> Question | None:
        """The question with this id, or None."""
        return self._by_id.get(question_id)
