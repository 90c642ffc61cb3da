"""Pre-test and post-test: each participant's gain and the room's gain per MEA and per topic.

Which attempts count (only graded attempts started within the workshop's window, see gate.window):
- the pre-test score is the participant's FIRST graded attempt at the pre-test quiz: what they knew coming in;
- the post-test score is their BEST graded attempt at the post-test quiz, other than the pre-test attempt; when
  both are the same quiz, only attempts started after the pre-test attempt count.
A participant's gain is post minus pre, in percentage points; it is None unless both exist.

The room's gain per MEA (the questions' `mea` tag) and per topic (`topic` tag) compares the same people: only
participants with both a pre- and a post-test count. For each tag value, the room's pre score is the mean credit
(0 to 1, as stored per question when the attempt was graded) over every tagged question in their counted
pre-test attempts, the post score the same over their counted post-test attempts, and the gain the difference in
percentage points. Tags are read from the current question bank; a question no longer in the bank is left out.

Every gain says what it rests on: how many people (participants with both tests) and how many distinct questions
(asked in their counted attempts). Below MIN_PEOPLE people, the page says "too few to compare" instead of a
figure. The report also says whether the pre- and post-test draw from the same question bank (`same_questions`:
the same quiz, or two quizzes with the same question ids); when they differ, a gain compares different questions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from greencustoms.content import Catalog, Quiz
from greencustoms.content.catalog import MEA_LABELS
from greencustoms.extensions import db
from greencustoms.models import QuizAttempt, User, Workshop, WorkshopParticipant
from greencustoms.models.attempt import IN_PROGRESS
from greencustoms.workshops.gate import workshop_window

TAG_KEYS = ("mea", "topic")
MIN_PEOPLE = 5  # fewer people with both tests than this: "too few to compare", no figure


def _gain(pre: float | None, post: float | None) -> float | None:
    """Post minus pre, in percentage points; None unless both were measured."""
    return None if pre is None or post is None else round(post - pre, 2)


@dataclass(frozen=True)
class GainRow:
    """One participant's counted pre- and post-test scores (percent) and their gain."""

    participant_id: int
    name: str
    country: str
    pre: float | None
    post: float | None

    @property
    def gain(self) -> float | None:
        return _gain(self.pre, self.post)


@dataclass(frozen=True)
class TagGain:
    """The room's mean score (percent) on the questions of one tag value, before and after."""

    key: str
    value: str
    label: str
    pre: float | None
    post: float | None
    people: int = 0
    questions: int = 0

    @property
    def gain(self) -> float | None:
        return _gain(self.pre, self.post)

    @property
    def too_few(self) -> bool:
        return self.people < MIN_PEOPLE


@dataclass(frozen=True)
class GainReport:
    """The whole report; `room_gain` is the mean of the participants' gains (None when nobody has both)."""

    pre_quiz: Quiz | None
    post_quiz: Quiz | None
    rows: tuple[GainRow, ...]
    paired: int
    room_gain: float | None
    tags: dict[str, tuple[TagGain, ...]]
    questions: int = 0  # distinct questions in the counted attempts of the paired people
    same_questions: bool = True

    @property
    def too_few(self) -> bool:
        return self.paired < MIN_PEOPLE


def counted_attempts(attempts: list[Any], pre_slug: str, post_slug: str) -> tuple[Any | None, Any | None]:
    """From one participant's graded attempts in start order, the pre-test attempt and the post-test attempt
    that count (see the module docstring). Each attempt needs .id, .quiz_slug and .score."""
    pre_index = next((i for i, attempt in enumerate(attempts) if attempt.quiz_slug == pre_slug), None)
    pre = attempts[pre_index] if pre_index is not None else None
    later = attempts[pre_index + 1 :] if pre_index is not None and pre_slug == post_slug else attempts
    candidates = [a for a in later if a.quiz_slug == post_slug and (pre is None or a.id != pre.id)]
    post = max(candidates, key=lambda a: a.score or 0.0, default=None)
    return pre, post


def gain_report(workshop: Workshop, catalog: Catalog) -> GainReport:
    """The report for the workshop's chosen pre- and post-test (empty rows when either is not chosen). Two
    queries: the participants, and their graded attempts at the two quizzes within the window."""
    pre_quiz, post_quiz = catalog.quiz(workshop.pre_quiz_slug or ""), catalog.quiz(workshop.post_quiz_slug or "")
    people = db.session.execute(
        db.select(WorkshopParticipant.id, User.id, User.full_name, User.country)
        .join(User, User.id == WorkshopParticipant.user_id)
        .where(WorkshopParticipant.workshop_id == workshop.id)
        .order_by(User.full_name, User.id)
    ).all()
    if pre_quiz is None or post_quiz is None:
        empty = tuple(GainRow(pid, name, country or "", None, None) for pid, _uid, name, country in people)
        return GainReport(pre_quiz, post_quiz, empty, 0, None, {key: () for key in TAG_KEYS})
    start, end = workshop_window(workshop)
    by_user: dict[int, list[Any]] = defaultdict(list)
    for attempt in db.session.execute(
        db.select(QuizAttempt.id, QuizAttempt.user_id, QuizAttempt.quiz_slug, QuizAttempt.score, QuizAttempt.results)
        .where(
            QuizAttempt.user_id.in_(
                db.select(WorkshopParticipant.user_id).where(WorkshopParticipant.workshop_id == workshop.id)
            ),
            QuizAttempt.quiz_slug.in_({pre_quiz.slug, post_quiz.slug}),
            QuizAttempt.status != IN_PROGRESS,
            QuizAttempt.started_at >= start,
            QuizAttempt.started_at < end,
        )
        .order_by(QuizAttempt.user_id, QuizAttempt.started_at, QuizAttempt.id)
    ):
        by_user[attempt.user_id].append(attempt)
    rows: list[GainRow] = []
    pairs: list[tuple[Any, Any]] = []
    for participant_id, user_id, name, country in people:
        pre, post = counted_attempts(by_user.get(user_id, []), pre_quiz.slug, post_quiz.slug)
        rows.append(GainRow(participant_id, name, country or "", _score(pre), _score(post)))
        if pre is not None and post is not None:
            pairs.append((pre, post))
    gains = [row.gain for row in rows if row.gain is not None]
    room = round(sum(gains) / len(gains), 2) if gains else None
    tags = {key: _tag_gains(key, pairs, pre_quiz, post_quiz) for key in TAG_KEYS}
    asked = {question_id for pair in pairs for attempt in pair for question_id in (attempt.results or {})}
    same = pre_quiz.slug == post_quiz.slug or {q.id for q in pre_quiz.questions} == {q.id for q in post_quiz.questions}
    return GainReport(pre_quiz, post_quiz, tuple(rows), len(pairs), room, tags, len(asked), same)


def _score(attempt: Any | None) -> float | None:
    return None if attempt is None or attempt.score is None else round(float(attempt.score), 2)


def _tag_gains(key: str, pairs: list[tuple[Any, Any]], pre_quiz: Quiz, post_quiz: Quiz) -> tuple[TagGain, ...]:
    """Mean credit per value of tag `key` in the pre attempts and in the post attempts of the paired people."""
    sums: dict[str, list[list[float]]] = defaultdict(lambda: [[0.0, 0], [0.0, 0]])
    people: dict[str, set[int]] = defaultdict(set)
    questions: dict[str, set[str]] = defaultdict(set)
    for index, (pre, post) in enumerate(pairs):
        for side, (attempt, quiz) in enumerate(((pre, pre_quiz), (post, post_quiz))):
            for question_id, credit in (attempt.results or {}).items():
                question = quiz.question(question_id)
                value = question.tags.get(key) if question is not None else None
                if value:
                    sums[value][side][0] += float(credit)
                    sums[value][side][1] += 1
                    people[value].add(index)
                    questions[value].add(question_id)
    gains = []
    for value, ((pre_sum, pre_n), (post_sum, post_n)) in sums.items():
        label = MEA_LABELS.get(value, value) if key == "mea" else value.replace("-", " ")
        pre_pct, post_pct = _percent(pre_sum, pre_n), _percent(post_sum, post_n)
        gains.append(TagGain(key, value, label, pre_pct, post_pct, len(people[value]), len(questions[value])))
    return tuple(sorted(gains, key=lambda gain: gain.label.casefold()))


def _percent(total: float, count: float) -> float | None:
    return round(100 * total / count, 2) if count else None
