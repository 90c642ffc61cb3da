"""Drawing questions: count, no repeats, balance_by rules, shuffle, and opaque unique tokens."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from types import MappingProxyType

from greencustoms.content import Option, Question, Quiz
from greencustoms.quiz.draw import build_layout, draw_questions


def bank(*difficulties: str) -> tuple[Question, ...]:
    return tuple(
        Question(
            id=f"q{i}",
            type="single",
            prompt_html="",
            explanation_html="",
            reference="",
            version="v",
            tags=MappingProxyType({"mea": "basel", "topic": "t", "difficulty": level}),
            options=(Option("a", "A", True), Option("b", "B", False), Option("c", "C", False)),
        )
        for i, level in enumerate(difficulties)
    )


def quiz(questions, draw, balance_by=None, shuffle=True) -> Quiz:
    return Quiz(
        slug="q",
        title="Q",
        module_slug=None,
        course_slug=None,
        pass_mark=50,
        draw=draw,
        balance_by=balance_by,
        shuffle_questions=shuffle,
        shuffle_options=shuffle,
        max_attempts=None,
        wait_minutes=0,
        time_limit_minutes=None,
        grace_seconds=0,
        review_show="score",
        review_when="immediately",
        questions=questions,
        version="x",
    )


def levels(drawn) -> Counter:
    return Counter(question.tags["difficulty"] for question in drawn)


def test_draw_takes_the_asked_number_without_repeats():
    """Each attempt draws `draw` different questions from the bank."""
    q = quiz(bank(*["easy"] * 10), draw=4)
    for seed in range(20):
        drawn = draw_questions(q, random.Random(seed))
        assert len(drawn) == 4 and len({question.id for question in drawn}) == 4


def test_balance_by_splits_the_draw_evenly():
    """draw 6 over three values gives 2 + 2 + 2; draw 7 gives 3 + 2 + 2, the extra one going to a random value."""
    q = quiz(bank(*["easy"] * 4, *["medium"] * 4, *["hard"] * 4), draw=6, balance_by="difficulty")
    assert all(
        levels(draw_questions(q, random.Random(seed))) == {"easy": 2, "medium": 2, "hard": 2} for seed in range(20)
    )
    seven = replace(q, draw=7)
    extras = Counter()
    for seed in range(60):
        counts = levels(draw_questions(seven, random.Random(seed)))
        assert sorted(counts.values()) == [2, 2, 3]
        extras[counts.most_common(1)[0][0]] += 1
    assert set(extras) == {"easy", "medium", "hard"}


def test_balance_by_fills_up_from_other_values_when_one_runs_short():
    """A value with fewer questions than its share gives all it has; the others make up the draw."""
    q = quiz(bank(*["easy"] * 6, "hard"), draw=4, balance_by="difficulty")
    for seed in range(20):
        assert levels(draw_questions(q, random.Random(seed))) == {"easy": 3, "hard": 1}


def test_without_shuffle_questions_keep_bank_order():
    """shuffle_questions false: the drawn questions appear in the order of the bank."""
    q = quiz(bank(*["easy"] * 8), draw=5, shuffle=False)
    for seed in range(10):
        ids = [question.id for question in draw_questions(q, random.Random(seed))]
        assert ids == sorted(ids, key=lambda value: int(value[1:]))


def test_layout_tokens_are_opaque_unique_and_new_each_attempt():
    """Option tokens are unique within an attempt, never the option ids, and differ between attempts."""
    q = quiz(bank(*["easy"] * 5), draw=5)
    first = build_layout(q, list(q.questions), random.Random(1))
    second = build_layout(q, list(q.questions), random.Random(1))
    tokens = [token for entry in first for token, _id in entry["options"]]
    assert len(tokens) == len(set(tokens)) == 15
    assert not set(tokens) & {"a", "b", "c"}
    assert not set(tokens) & {token for entry in second for token, _id in entry["options"]}
    assert {entry["id"]: entry["v"] for entry in first} == {f"q{i}": "v" for i in range(5)}


def test_shuffle_options_varies_the_order():
    """With shuffle_options the options of a question appear in several orders over attempts."""
    q = quiz(bank("easy"), draw=1)
    orders = {
        tuple(i for _t, i in build_layout(q, list(q.questions), random.Random(s))[0]["options"]) for s in range(30)
    }
    assert len(orders) > 2
