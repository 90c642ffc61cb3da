"""The review policy (what a graded attempt may reveal, and when) and the review lines of each question."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from greencustoms.content import Quiz
from greencustoms.models.attempt import QuizAttempt

from .grading import current_question
from .types import get_type

SCORE, WRONG, EXPLANATIONS = "score", "wrong", "explanations"


def review_level(quiz: Quiz, *, has_passed: bool, attempts_left: int | None) -> str:
    """What the result page of a graded attempt may show: SCORE (the score and pass/fail only), WRONG (also each
    question with the learner's answer and whether it was right, partly right or wrong) or EXPLANATIONS (also
    the correct answers, explanations and option feedback).

    `review.show` caps the level; `review.when` decides whether the cap is reached yet: "immediately", "passed"
    (once any attempt at the quiz has passed), "last_attempt" (once no attempt is left; never for a quiz with
    unlimited attempts) or "passed_or_last_attempt" (whichever comes first: the rule of a final that certifies).
    Until then only the score (and the topics to revise) is shown.
    """
    if quiz.review_show == SCORE:
        return SCORE
    due = {
        "immediately": True,
        "passed": has_passed,
        "last_attempt": attempts_left is not None and attempts_left <= 0,
        "passed_or_last_attempt": has_passed or (attempts_left is not None and attempts_left <= 0),
    }.get(quiz.review_when, False)
    return quiz.review_show if due else SCORE


@dataclass
class ReviewItem:
    """One question of a graded attempt as the review shows it."""

    position: int
    question_id: str
    prompt_html: Markup | None
    credit: float | None
    changed: bool
    removed: bool
    answered: bool
    answer_lines: list[Markup] = field(default_factory=list)
    key_lines: list[Markup] = field(default_factory=list)
    feedback: list[Markup] = field(default_factory=list)
    explanation_html: Markup | None = None
    reference: str = ""
    language: str = "en"

    @property
    def mark(self) -> str | None:
        """The mark from the stored credit: "correct", "partial" or "wrong"; None when it was not graded."""
        if self.credit is None:
            return None
        return "correct" if self.credit >= 1 else "partial" if self.credit > 0 else "wrong"


def review_items(quiz: Quiz, attempt: QuizAttempt, level: str) -> list[ReviewItem]:
    """Each question of the attempt in the order shown, with the learner's stored answer and the stored credit
    (never re-graded). A question edited since the attempt is flagged `changed` and shown in its current
    wording; a removed one is flagged `removed`. Keys, explanations and feedback are filled only at EXPLANATIONS.
    Empty at SCORE: nothing about single questions is revealed."""
    if level == SCORE:
        return []
    results: dict[str, Any] = attempt.results or {}
    answers: dict[str, Any] = attempt.answers or {}
    items = []
    for position, entry in enumerate(attempt.questions, start=1):
        question = current_question(quiz, entry)
        response = answers.get(entry["id"])
        item = ReviewItem(
            position=position,
            question_id=entry["id"],
            credit=results.get(entry["id"]),
            prompt_html=Markup(question.prompt_html) if question else None,  # noqa: S704 - sanitised content
            changed=question is not None and question.version != entry["v"],
            removed=question is None,
            answered=response is not None,
            language=question.language if question else "en",
        )
        if question is not None:
            kind = get_type(question.type)
            item.answer_lines = kind.answer_lines(question, response) if response is not None else []
            if level == EXPLANATIONS:
                item.key_lines = kind.key_lines(question)
                item.feedback = kind.feedback(question, response) if response is not None else []
                item.explanation_html = Markup(question.explanation_html)  # noqa: S704 - sanitised content
                item.reference = question.reference
        items.append(item)
    return items
