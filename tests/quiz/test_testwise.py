"""A learner who knows nothing and answers by test-taking tricks fails every shipped final (< 2% per attempt)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from greencustoms.content.loader import load_catalog
from tests.quiz.testwise import play

ROOT = Path(__file__).resolve().parents[2]
TRIALS = 3000
LIMIT = 0.02


@pytest.fixture(scope="module")
def shipped():
    return load_catalog(ROOT)


def test_the_test_wise_learner_fails_every_shipped_final(shipped, capsys):
    """Through the real draw and grading code, many attempts per final: the pass rate is printed, below 2%."""
    finals = [shipped.quizzes[course.final_quiz_slug] for course in shipped.courses.values() if course.final_quiz_slug]
    assert len(finals) >= 2
    rng = random.Random(20261203)
    rates = {}
    for quiz in finals:
        rates[quiz.slug] = sum(play(quiz, rng) for _ in range(TRIALS)) / TRIALS
    with capsys.disabled():
        for slug, rate in rates.items():
            print(f"\ntest-wise learner pass rate per attempt, {slug}: {rate:.2%} ({TRIALS} attempts)")
    assert all(rate < LIMIT for rate in rates.values()), rates


def test_the_tricks_do_pass_a_bank_built_on_cues(shipped):
    """The same learner passes a quiz whose keys are the longest options and whose statements are all true,
    so the test above can fail."""
    from dataclasses import replace

    quiz = next(q for q in shipped.quizzes.values() if q.course_slug)
    cued = []
    for question in quiz.questions:
        if question.type == "single":
            options = tuple(
                replace(option, html=option.html + (" because of the rule in force" * 5 if option.correct else ""))
                for option in question.options
            )
            cued.append(replace(question, options=options))
        elif question.type == "true_false":
            cued.append(replace(question, answer=True))
    cued_quiz = replace(quiz, questions=tuple(cued), draw=min(quiz.draw, len(cued)))
    rng = random.Random(1)
    assert sum(play(cued_quiz, rng) for _ in range(200)) / 200 > 0.5
