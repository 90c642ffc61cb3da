"""Question analysis for one workshop: the questions the room missed most and how its answers were spread.

Built on the quiz engine's item statistics (greencustoms.quiz.stats.item_statistics), restricted to the
workshop's participants and to attempts started within the workshop's window.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import and_

from greencustoms.content import Question, Quiz
from greencustoms.extensions import db
from greencustoms.models import QuizAttempt, Workshop, WorkshopParticipant
from greencustoms.quiz.stats import ItemStatistics, item_statistics, statistics_by_language
from greencustoms.quiz.types import get_type
from greencustoms.workshops.gate import workshop_window


@dataclass(frozen=True)
class AnswerCount:
    """How many gave one answer; `correct` is None when the answer is not one of fixed options."""

    label: Markup
    count: int
    correct: bool | None


@dataclass(frozen=True)
class QuestionAnalysis:
    """One question: its prompt, how many answered it, the share right (percent), and the answers given."""

    question_id: str
    prompt_html: Markup
    attempts: int
    percent_right: float
    unanswered: int
    answers: tuple[AnswerCount, ...]
    # (language, answers, percent right) when the room took the quiz in more than one language
    by_language: tuple[tuple[str, int, float], ...] = ()


def question_analysis(workshop: Workshop, quiz: Quiz) -> list[QuestionAnalysis]:
    """Every question of `quiz` answered in the workshop, most missed first (lowest share right, then most
    attempts). Two queries: the participant ids and the item statistics."""
    user_ids = list(
        db.session.execute(
            db.select(WorkshopParticipant.user_id).where(WorkshopParticipant.workshop_id == workshop.id)
        ).scalars()
    )
    start, end = workshop_window(workshop)
    stats = item_statistics(
        quiz.slug, and_(QuizAttempt.started_at >= start, QuizAttempt.started_at < end), user_ids=user_ids
    )
    split = statistics_by_language(
        quiz.slug, and_(QuizAttempt.started_at >= start, QuizAttempt.started_at < end), user_ids=user_ids
    )
    analyses = [_analysis(quiz.question(item.question_id), item, split) for item in stats.values()]
    return sorted(
        (analysis for analysis in analyses if analysis is not None),
        key=lambda analysis: (analysis.percent_right, -analysis.attempts, analysis.question_id),
    )


def _analysis(
    question: Question | None, item: ItemStatistics, split: dict[str, dict[str, ItemStatistics]]
) -> QuestionAnalysis | None:
    if question is None:  # removed from the bank since: nothing to show
        return None
    return QuestionAnalysis(
        question_id=item.question_id,
        prompt_html=Markup(question.prompt_html),  # noqa: S704 - sanitised when the catalog was built
        attempts=item.attempts,
        percent_right=round(100 * item.mean_score, 1),
        unanswered=item.unanswered,
        answers=_answers(question, item.distribution),
        by_language=tuple(
            (language, own[item.question_id].attempts, round(100 * own[item.question_id].mean_score, 1))
            for language, own in split.items()
            if item.question_id in own
        )
        if len(split) > 1
        else (),
    )


def _answers(question: Question, distribution: dict[str, int]) -> tuple[AnswerCount, ...]:
    """The answer rows the question's type gives (choice options in bank order, document fields, markers, codes,
    scenario paths, ...)."""
    rows = get_type(question.type).analysis(question, distribution)
    return tuple(AnswerCount(label, count, correct) for label, count, correct in rows)
