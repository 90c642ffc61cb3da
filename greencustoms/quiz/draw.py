"""Drawing an attempt's questions from the bank and laying them out with opaque per-attempt tokens."""

from __future__ import annotations

import random
import secrets
from collections.abc import Collection
from typing import Any

from greencustoms.content import Question, Quiz

from .types import get_type


def draw_questions(quiz: Quiz, rng: random.Random, seen: Collection[str] = ()) -> list[Question]:
    """Draw `quiz.draw` questions (all of them when the bank is smaller), without repeats.

    Questions whose ids are in `seen` (those of the learner's earlier attempts) are drawn only when the unseen
    ones run out (within each group when balanced), so a retake asks new questions as far as the pool allows.

    Without `balance_by` the draw is a plain random sample. With it, the questions are grouped by the value of
    that tag and drawn round-robin over the groups, in a random order of the groups: every value gets
    draw // values questions, the remaining draw % values go one each to randomly chosen values, and a value
    with too few questions gives all it has while the others make up the difference. Example: draw 7 balanced
    by difficulty over easy/medium/hard gives 3+2+2 in some order.

    Questions are then shuffled when `shuffle_questions` is on, and otherwise kept in bank order.
    """
    bank = list(quiz.questions)
    count = min(quiz.draw, len(bank))
    if quiz.balance_by:
        groups: dict[str, list[Question]] = {}
        for question in bank:
            groups.setdefault(str(question.tags.get(quiz.balance_by, "")), []).append(question)
        pools = [_unseen_last(groups[value], seen, rng) for value in sorted(groups)]
        rng.shuffle(pools)
        drawn: list[Question] = []
        while len(drawn) < count:
            for pool in pools:
                if pool and len(drawn) < count:
                    drawn.append(pool.pop())
    elif seen:
        drawn = _unseen_last(bank, seen, rng)[::-1][:count]
    else:
        drawn = rng.sample(bank, count)
    if quiz.shuffle_questions:
        rng.shuffle(drawn)
    else:
        position = {question.id: index for index, question in enumerate(bank)}
        drawn.sort(key=lambda question: position[question.id])
    return drawn


def _unseen_last(questions: list[Question], seen: Collection[str], rng: random.Random) -> list[Question]:
    """The questions in random order with the unseen ones at the END (pools are drawn with pop())."""
    if not seen:
        return rng.sample(questions, len(questions))
    old = [question for question in questions if question.id in seen]
    new = [question for question in questions if question.id not in seen]
    return rng.sample(old, len(old)) + rng.sample(new, len(new))


def build_layout(quiz: Quiz, questions: list[Question], rng: random.Random) -> list[dict[str, Any]]:
    """The stored layout of an attempt: per question its id, version and type, and what its type presents,
    with option tokens from the system CSPRNG that are unique within the attempt and mean nothing elsewhere."""
    used: set[str] = set()

    def token() -> str:
        while True:
            value = secrets.token_urlsafe(6)
            if value not in used:
                used.add(value)
                return value

    return [
        {"id": q.id, "v": q.version, "type": q.type, **get_type(q.type).present(q, token, rng, quiz.shuffle_options)}
        for q in questions
    ]
