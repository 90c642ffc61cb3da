"""Question analysis for one workshop: the questions the room missed most and how its answers were spread.

Built on the quiz engine's item statistics (greencustoms.quiz.stats.item_statistics), restricted to the
workshop's participants and to attempts started within the workshop's window.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import and_

from greencustoms.content import Question, Quiz
from greencustoms.extensions import db
from greencustoms.models import QuizAttempt, Workshop, WorkshopParticipant
from greencustoms.quiz.stats import ItemStatistics, item_statistics
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
    analyses = [_analysis(quiz.question(item.question_id), item) for item in stats.values()]
    return sorted(
        (analysis for analysis in analyses if analysis is not None),
        key=lambda analysis: (analysis.percent_right, -analysis.attempts, analysis.question_id),
    )


def _analysis(question: Question | None, item: ItemStatistics) -> QuestionAnalysis | None:
    if question is None:  # removed from the bank since: nothing to show
        return None
    return QuestionAnalysis(
        question_id=item.question_id,
        prompt_html=Markup(question.prompt_html),  # noqa: S704 - sanitised when the catalog was built
        attempts=item.attempts,
        percent_right=round(100 * item.mean_score, 1),
        unanswered=item.unanswered,
        answers=_answers(question, item.distribution),
    )


def _answers(question: Question, distribution: dict[str, int]) -> tuple[AnswerCount, ...]:
    """Choice options in bank order (including those nobody chose), true/false both ways, other answers by count."""
    if question.options:
        return tuple(
            AnswerCount(Markup(option.html), distribution.get(option.id, 0), option.correct)  # noqa: S704
            for option in question.options
        )
    if question.type == "true_false":
        return tuple(
            AnswerCount(escape(label), distribution.get(value, 0), (value == "true") == bool(question.answer))
            for value, label in (("true", _("True")), ("false", _("False")))
        )
    ranked = sorted(distribution.items(), key=lambda pair: (-pair[1], pair[0]))
    return tuple(AnswerCount(escape(answer), count, None) for answer, count in ranked)
