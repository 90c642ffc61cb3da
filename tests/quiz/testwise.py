"""The test-wise learner: answers without knowing anything, by test-taking tricks only (no app needed)."""

from __future__ import annotations

import random
import re
from typing import Any

from greencustoms.content import Question, Quiz
from greencustoms.quiz.draw import build_layout, draw_questions
from greencustoms.quiz.grading import grade_attempt

_TAG = re.compile(r"<[^>]+>")


def _length(html: str) -> int:
    return len(_TAG.sub("", html).strip())


def trick_response(question: Question, entry: dict[str, Any], rng: random.Random) -> Any:
    """Longest option; options longer than average; always True; random arrangements; empty codes and texts;
    random markers and fields; the longest choice at each scenario step."""
    kind = question.type
    if kind == "single":
        return max(question.options, key=lambda option: _length(option.html)).id
    if kind == "multiple":
        mean = sum(_length(option.html) for option in question.options) / len(question.options)
        return sorted(option.id for option in question.options if _length(option.html) > mean) or None
    if kind == "true_false":
        return True
    if kind == "matching":
        rights = [right for _left, right in question.pairs]
        rng.shuffle(rights)
        return {left: right for (left, _right), right in zip(question.pairs, rights, strict=True)}
    if kind == "ordering":
        positions = list(range(1, len(question.items) + 1))
        rng.shuffle(positions)
        return dict(zip(question.items, positions, strict=True))
    if kind == "hotspot":
        return [rng.choice(question.data["markers"])["id"]]
    if kind == "document_check":
        fields = [f["key"] for d in question.data["documents"] for f in d["fields"]]
        return {rng.choice(fields): ""}
    if kind == "scenario":
        path, at, steps = [], question.data["start"], question.data["steps"]
        while steps[at]["choices"]:
            choice = max(steps[at]["choices"], key=lambda c: _length(c["html"]))
            path.append([at, choice["id"]])
            at = choice["next"]
        return path
    return None  # numeric, short_text, code_entry: left empty


def play(quiz: Quiz, rng: random.Random) -> bool:
    """One attempt through the real drawing and grading code; True when it passes."""
    layout = build_layout(quiz, draw_questions(quiz, rng), rng)
    answers = {}
    for entry in layout:
        response = trick_response(quiz.question(entry["id"]), entry, rng)
        if response is not None:
            answers[entry["id"]] = response
    return grade_attempt(quiz, layout, answers, quiz.pass_mark).passed
