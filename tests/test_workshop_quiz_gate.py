"""Quiz control: a workshop's participants can start, save and submit its quizzes only while they are open during
the workshop's dates; nobody else is affected."""

from __future__ import annotations

from datetime import timedelta

import pytest

from greencustoms.extensions import db
from greencustoms.models import QuizAttempt, WorkshopParticipant
from tests.conftest import csrf_token, post_form
from tests.quiz.helpers import BASICS, WASTE, load, start, take_url
from tests.workshopkit import make_workshop, signed_in, today


@pytest.fixture
def trainer(app):
    return signed_in(app, role="trainer", email="trainer@example.org", name="Tess Trainer")


def _participant(app, workshop_id: int, email: str = "p@example.org"):
    user_id, client = signed_in(app, role="learner", email=email, name="Pat Participant")
    with app.app_context():
        db.session.add(WorkshopParticipant(workshop_id=workshop_id, user_id=user_id))
        db.session.commit()
    return user_id, client


def _set_quiz(trainer_client, workshop_id: int, quiz: str, state: str):
    response = post_form(
        trainer_client,
        f"/workshops/{workshop_id}/quizzes/{quiz}",
        {"state": state},
        token_from=f"/workshops/{workshop_id}/quizzes",
    )
    assert response.status_code == 303


def _attempts(app, user_id: int) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count(QuizAttempt.id)).filter_by(user_id=user_id)).scalar()


def test_closed_quiz_cannot_be_started(app, trainer):
    """A closed quiz shows why on its page and refuses to start (403 with the message); no attempt is created."""
    workshop = make_workshop(app, trainer[0], open_quizzes=("demo-basics",))
    user_id, client = _participant(app, workshop)
    intro = client.get(f"/quizzes/{WASTE}").get_data(as_text=True)
    assert "Your trainer has closed this quiz" in intro and "Start the quiz" not in intro
    response = post_form(client, f"/quizzes/{WASTE}", token_from="/")
    assert response.status_code == 403 and "Your trainer has closed this quiz" in response.get_data(as_text=True)
    assert _attempts(app, user_id) == 0
    assert post_form(client, f"/quizzes/{BASICS}", token_from="/").status_code == 303


def test_closing_a_quiz_stops_saving_and_submitting_until_it_is_opened_again(app, trainer):
    """Once the trainer closes the quiz, save, autosave and submit are refused with 403 and change nothing;
    after it is opened again the same attempt can be submitted."""
    workshop = make_workshop(app, trainer[0], open_quizzes=("demo-basics",))
    user_id, client = _participant(app, workshop)
    attempt_id = start(client, BASICS)
    _set_quiz(trainer[1], workshop, BASICS, "closed")
    token = csrf_token(client, "/")
    saved = client.post(
        take_url(BASICS, attempt_id), data={"csrf_token": token, "revision": "0", "shown": ["basics-true-false"]}
    )
    autosaved = client.post(
        take_url(BASICS, attempt_id, "/autosave"),
        headers={"X-CSRFToken": token, "Accept": "application/json"},
        json={"revision": 0, "shown": [], "fields": {}},
    )
    submitted = client.post(take_url(BASICS, attempt_id, "/submit"), data={"csrf_token": token, "revision": "0"})
    assert (saved.status_code, autosaved.status_code, submitted.status_code) == (403, 403, 403)
    assert "closed this quiz" in autosaved.get_json()["error"]["message"]
    assert "closed this quiz" in submitted.get_data(as_text=True)
    row = load(app, attempt_id)
    assert (row.status, row.revision) == ("in_progress", 0)
    _set_quiz(trainer[1], workshop, BASICS, "open")
    reopened = client.post(take_url(BASICS, attempt_id, "/submit"), data={"csrf_token": token, "revision": "0"})
    assert reopened.status_code == 303 and load(app, attempt_id).status == "submitted"


def test_learner_in_no_workshop_is_not_affected(app, trainer):
    """Someone who is not a participant takes a quiz that a workshop keeps closed."""
    make_workshop(app, trainer[0], open_quizzes=())
    _uid, client = signed_in(app, role="learner", email="solo@example.org", name="Solo Learner")
    assert post_form(client, f"/quizzes/{WASTE}", token_from="/").status_code == 303


@pytest.mark.parametrize("days", [(-10, -5), (5, 7)])
def test_the_gate_applies_only_during_the_workshops_dates(app, trainer, days):
    """Before its first day and after its last day, a workshop does not close its quizzes."""
    first, last = (today() + timedelta(days=n) for n in days)
    workshop = make_workshop(app, trainer[0], open_quizzes=(), starts_on=first, ends_on=last)
    _uid, client = _participant(app, workshop)
    assert post_form(client, f"/quizzes/{WASTE}", token_from="/").status_code == 303


def test_open_in_one_of_two_running_workshops_is_open(app, trainer):
    """A participant of two running workshops may take a quiz that one of them has open."""
    closed = make_workshop(app, trainer[0], open_quizzes=())
    opened = make_workshop(app, trainer[0], open_quizzes=("demo-waste",))
    user_id, client = _participant(app, closed)
    with app.app_context():
        db.session.add(WorkshopParticipant(workshop_id=opened, user_id=user_id))
        db.session.commit()
    assert post_form(client, f"/quizzes/{WASTE}", token_from="/").status_code == 303


def test_window_covers_the_days_in_every_time_zone(app):
    """The window runs from the first day's start at UTC+14 to the last day's end at UTC-12."""
    from datetime import UTC, date, datetime

    from greencustoms.workshops.gate import window

    start, end = window(date(2026, 3, 2), date(2026, 3, 4))
    assert start == datetime(2026, 3, 1, 10, 0, tzinfo=UTC) and end == datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
