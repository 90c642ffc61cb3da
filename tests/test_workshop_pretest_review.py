"""A workshop's pre-test never shows its answers, whatever the quiz's own review policy; the same quiz outside
the workshop (another learner, or after the workshop) keeps its policy."""

from __future__ import annotations

from datetime import timedelta

import pytest

from greencustoms.content import get_catalog
from greencustoms.extensions import db
from greencustoms.models import WorkshopParticipant
from tests.quiz.helpers import BASICS, answer_all, start
from tests.workshopkit import make_workshop, signed_in, today


@pytest.fixture
def trainer(app):
    return signed_in(app, role="trainer", email="trainer@example.org", name="Tess Trainer")


def _result(app, client, wrong: bool = True) -> str:
    attempt_id = start(client, BASICS)
    with app.app_context():
        quiz = get_catalog().quiz(BASICS)
    answer_all(app, client, quiz, attempt_id, right=not wrong)
    return client.get(f"/quizzes/{BASICS}/attempts/{attempt_id}/result").get_data(as_text=True)


def _participant(app, workshop_id: int, email: str):
    user_id, client = signed_in(app, role="learner", email=email, name="Pat Participant")
    with app.app_context():
        db.session.add(WorkshopParticipant(workshop_id=workshop_id, user_id=user_id))
        db.session.commit()
    return user_id, client


def test_the_pretest_shows_the_score_only_and_others_keep_the_policy(app, trainer):
    workshop_id = make_workshop(app, trainer[0], open_quizzes=(BASICS,), pre=BASICS, post=BASICS)
    _uid, participant = _participant(app, workshop_id, "p@example.org")
    page = _result(app, participant)
    assert "pre-test of your workshop" in page and "Correct answer" not in page
    assert "explanation" not in page

    _other, solo = signed_in(app, role="learner", email="solo@example.org", name="Solo Learner")
    assert "Correct answer" in _result(app, solo)  # the quiz's own policy, outside the workshop


def test_a_quiz_that_is_not_the_pretest_keeps_its_policy(app, trainer):
    workshop_id = make_workshop(app, trainer[0], open_quizzes=(BASICS,), pre="demo-waste", post="demo-waste")
    _uid, participant = _participant(app, workshop_id, "p@example.org")
    page = _result(app, participant)
    assert "Correct answer" in page and "pre-test of your workshop" not in page


def test_a_workshop_that_is_over_no_longer_hides_a_later_attempt(app, trainer):
    first, last = today() - timedelta(days=10), today() - timedelta(days=8)
    workshop_id = make_workshop(app, trainer[0], open_quizzes=(), pre=BASICS, starts_on=first, ends_on=last)
    _uid, participant = _participant(app, workshop_id, "p@example.org")
    assert "Correct answer" in _result(app, participant)
