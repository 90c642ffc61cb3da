"""Item statistics of a quiz: how often each question is right, how well it separates strong from weak
learners, and which answers people give. Read from graded attempts in one query."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement

from greencustoms.extensions import db
from greencustoms.models.attempt import IN_PROGRESS, QuizAttempt

from .types import REGISTRY


@dataclass
class ItemStatistics:
    """One question across attempts.

    `mean_score` is the share correct (mean credit, 0 to 1; partial credit counts in part). `discrimination` is
    the point-biserial (Pearson) correlation between the item's credit and the rest-of-test score (mean credit
    of the attempt's other questions); None when undefined: fewer than 2 attempts or no variation in either.
    `distribution` counts answers by option id (choice questions), "true"/"false", normalised number or text,
    "left → right" pair (matching), "a > b > c" sequence (ordering), "document/field" marked (document check),
    marker id (hotspot), normalised code (code entry) or "step:choice > step:choice" path (scenario): each type's
    `tally`. `unanswered` counts empty answers.
    """

    question_id: str
    attempts: int = 0
    mean_score: float = 0.0
    discrimination: float | None = None
    unanswered: int = 0
    distribution: dict[str, int] = field(default_factory=dict)


def item_statistics(
    quiz_slug: str,
    attempt_filter: ColumnElement[bool] | None = None,
    *,
    user_ids: Iterable[int] | None = None,
    language: str | None = None,
) -> dict[str, ItemStatistics]:
    """Statistics of every question that appears in a graded attempt of the quiz, keyed by question id.

    `attempt_filter` is an extra SQL condition on QuizAttempt (e.g. QuizAttempt.started_at >= start of a
    workshop); `user_ids` limits the attempts to those people (e.g. one workshop session). One query; attempts
    in progress never count; a question is counted with the credit stored when each attempt was graded.
    `language` keeps only the attempts taken in that language (see `statistics_by_language`).
    """
    query = db.select(QuizAttempt.questions, QuizAttempt.answers, QuizAttempt.results).filter(
        QuizAttempt.quiz_slug == quiz_slug, QuizAttempt.status != IN_PROGRESS
    )
    if user_ids is not None:
        query = query.filter(QuizAttempt.user_id.in_(list(user_ids)))
    if attempt_filter is not None:
        query = query.filter(attempt_filter)
    if language is not None:
        query = query.filter(QuizAttempt.language == language)
    credits: dict[str, list[float]] = {}
    pairs: dict[str, list[tuple[float, float]]] = {}
    stats: dict[str, ItemStatistics] = {}
    for layout, answers, results in db.session.execute(query):
        results, answers = results or {}, answers or {}
        total = sum(results.values())
        for entry in layout:
            question_id = entry["id"]
            if question_id not in results:
                continue
            item = stats.setdefault(question_id, ItemStatistics(question_id))
            credit = float(results[question_id])
            credits.setdefault(question_id, []).append(credit)
            if len(results) > 1:
                rest = (total - credit) / (len(results) - 1)
                pairs.setdefault(question_id, []).append((credit, rest))
            _tally(item, entry, answers.get(question_id))
    for question_id, item in stats.items():
        values = credits[question_id]
        item.attempts = len(values)
        item.mean_score = sum(values) / len(values)
        item.discrimination = correlation(pairs.get(question_id, []))
        item.distribution = dict(sorted(item.distribution.items()))
    return stats


def statistics_by_language(
    quiz_slug: str, attempt_filter: ColumnElement[bool] | None = None, *, user_ids: Iterable[int] | None = None
) -> dict[str, dict[str, ItemStatistics]]:
    """item_statistics for each language the quiz was taken in, {language: {question id: statistics}}: a
    question far weaker in one language than in the others is likely badly translated there."""
    query = (
        db.select(QuizAttempt.language)
        .distinct()
        .filter(QuizAttempt.quiz_slug == quiz_slug, QuizAttempt.status != IN_PROGRESS)
    )
    if user_ids is not None:
        user_ids = list(user_ids)
        query = query.filter(QuizAttempt.user_id.in_(user_ids))
    if attempt_filter is not None:
        query = query.filter(attempt_filter)
    return {
        language: item_statistics(quiz_slug, attempt_filter, user_ids=user_ids, language=language)
        for language in sorted(db.session.execute(query).scalars())
    }


def _tally(item: ItemStatistics, entry: dict[str, Any], response: Any) -> None:
    kind = REGISTRY.get(entry.get("type", ""))
    if response is None or kind is None:
        item.unanswered += 1
        return
    counts = Counter(kind.tally(response))
    for key, count in counts.items():
        item.distribution[key] = item.distribution.get(key, 0) + count


def correlation(pairs: list[tuple[float, float]]) -> float | None:
    """Pearson correlation of (x, y) pairs, rounded to 4 decimals; None for fewer than 2 pairs or when x or y
    does not vary (the point-biserial correlation when x is 0 or 1)."""
    if len(pairs) < 2:
        return None
    n = len(pairs)
    mean_x = sum(x for x, _y in pairs) / n
    mean_y = sum(y for _x, y in pairs) / n
    sxx = sum((x - mean_x) ** 2 for x, _y in pairs)
    syy = sum((y - mean_y) ** 2 for _x, y in pairs)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in pairs)
    return round(sxy / math.sqrt(sxx * syy), 4)
