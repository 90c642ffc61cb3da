"""Quiz schedules: a workshop quiz opens and closes by itself at moments typed in the workshop's time zone (stored
in UTC), the button still works (and clears the schedule), and a quiz closed mid-attempt answers a page that
explains it, in the reader's language, keeping the saved answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from greencustoms.extensions import db
from greencustoms.models import Workshop, WorkshopParticipant, WorkshopQuiz
from tests.conftest import csrf_token, post_form
from tests.quiz.helpers import BASICS, WASTE, load, start, take_url
from tests.workshopkit import make_workshop, signed_in, today


@pytest.fixture
def trainer(app):
    return signed_in(app, role="trainer", email="trainer@example.org", name="Tess Trainer")


def _participant(app, workshop_id: int):
    user_id, client = signed_in(app, role="learner", email="p@example.org", name="Pat Participant")
    with app.app_context():
        db.session.add(WorkshopParticipant(workshop_id=workshop_id, user_id=user_id))
        db.session.commit()
    return user_id, client


def _schedule(client, workshop_id: int, quiz: str, opens: str, closes: str, zone: str = "Africa/Nairobi"):
    page = f"/workshops/{workshop_id}/quizzes"
    data = {f"{quiz}-opens_at": opens, f"{quiz}-closes_at": closes, f"{quiz}-time_zone": zone}
    return post_form(client, f"{page}/{quiz}/schedule", data, token_from=page)


def _at(app, moment: datetime) -> None:
    app.config["QUIZ_CLOCK"] = lambda: moment


def test_a_schedule_is_typed_in_the_workshops_zone_stored_in_utc_and_opens_then_closes(app, trainer):
    workshop_id = make_workshop(app, trainer[0], open_quizzes=())
    _uid, client = _participant(app, workshop_id)
    day = today().isoformat()
    response = _schedule(trainer[1], workshop_id, WASTE, f"{day}T09:00", f"{day}T11:30")
    assert response.status_code == 303
    with app.app_context():
        row = db.session.execute(
            db.select(WorkshopQuiz).filter_by(workshop_id=workshop_id, quiz_slug=WASTE)
        ).scalar_one()
        assert row.opens_at.replace(tzinfo=UTC).hour == 6 and row.closes_at.replace(tzinfo=UTC).minute == 30  # UTC+3
        assert db.session.get(Workshop, workshop_id).time_zone == "Africa/Nairobi"
    page = trainer[1].get(f"/workshops/{workshop_id}/quizzes").get_data(as_text=True)
    assert "Scheduled: opens" in page and "Africa/Nairobi" in page and f'value="{day}T09:00"' in page
    base = datetime.combine(today(), datetime.min.time(), tzinfo=UTC)
    _at(app, base + timedelta(hours=5, minutes=59))
    assert post_form(client, f"/quizzes/{WASTE}", token_from="/").status_code == 403
    _at(app, base + timedelta(hours=6))
    assert post_form(client, f"/quizzes/{WASTE}", token_from="/").status_code == 303
    _at(app, base + timedelta(hours=8, minutes=30))
    assert post_form(client, f"/quizzes/{WASTE}", token_from="/").status_code == 403


def test_a_quiz_closed_by_its_schedule_mid_attempt_explains_and_keeps_the_answers(app, trainer):
    workshop_id = make_workshop(app, trainer[0], open_quizzes=())
    _uid, client = _participant(app, workshop_id)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    opens, closes = now - timedelta(hours=1), now + timedelta(hours=1)
    fmt = "%Y-%m-%dT%H:%M"
    assert (
        _schedule(trainer[1], workshop_id, BASICS, opens.strftime(fmt), closes.strftime(fmt), "UTC").status_code == 303
    )
    _at(app, now)
    attempt_id = start(client, BASICS)
    _at(app, closes + timedelta(minutes=1))
    token = csrf_token(client, "/")
    submitted = client.post(take_url(BASICS, attempt_id, "/submit"), data={"csrf_token": token, "revision": "0"})
    page = submitted.get_data(as_text=True)
    assert (
        submitted.status_code == 403
        and "This quiz is closed now" in page
        and "answers saved before it closed are kept" in page
    )
    autosaved = client.post(
        take_url(BASICS, attempt_id, "/autosave"),
        headers={"X-CSRFToken": token, "Accept": "application/json"},
        json={"revision": 0, "shown": [], "fields": {}},
    )
    assert autosaved.status_code == 403 and autosaved.get_json()["error"]["reason"] == "gate"
    assert load(app, attempt_id).status == "in_progress"
    with app.app_context():
        from greencustoms.models import User

        db.session.execute(db.update(User).filter_by(email="p@example.org").values(language="fr"))
        db.session.commit()
    french = client.post(take_url(BASICS, attempt_id, "/submit"), data={"csrf_token": token, "revision": "0"})
    assert french.status_code == 403 and "Ce quiz est fermé maintenant" in french.get_data(as_text=True)


def test_the_button_still_works_and_clears_the_schedule(app, trainer):
    workshop_id = make_workshop(app, trainer[0], open_quizzes=())
    _uid, client = _participant(app, workshop_id)
    later = (today() + timedelta(days=1)).isoformat()
    assert _schedule(trainer[1], workshop_id, WASTE, f"{later}T09:00", "").status_code == 303
    assert post_form(client, f"/quizzes/{WASTE}", token_from="/").status_code == 403
    page = f"/workshops/{workshop_id}/quizzes"
    assert post_form(trainer[1], f"{page}/{WASTE}", {"state": "open"}, token_from=page).status_code == 303
    assert post_form(client, f"/quizzes/{WASTE}", token_from="/").status_code == 303
    with app.app_context():
        row = db.session.execute(
            db.select(WorkshopQuiz).filter_by(workshop_id=workshop_id, quiz_slug=WASTE)
        ).scalar_one()
        assert (row.is_open, row.opens_at, row.closes_at) == (True, None, None)


@pytest.mark.parametrize(
    ("opens", "closes", "zone", "message"),
    [
        ("2026-03-02T10:00", "2026-03-02T09:00", "UTC", "must close after it opens"),
        ("", "2026-03-02T09:00", "UTC", "Give the moment the quiz opens"),
        ("2026-03-02T10:00", "", "Mars/Olympus", "Not a valid choice"),
        ("tomorrow", "", "UTC", "Not a valid datetime value"),
    ],
)
def test_a_bad_schedule_is_a_400_with_a_message(app, trainer, opens, closes, zone, message):
    workshop_id = make_workshop(app, trainer[0], open_quizzes=())
    response = _schedule(trainer[1], workshop_id, WASTE, opens, closes, zone)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_another_trainer_cannot_schedule_and_other_quizzes_are_404(app, trainer):
    other_id, other = signed_in(app, role="trainer", email="other@example.org", name="Otto Other")
    theirs = make_workshop(app, other_id, open_quizzes=())
    mine = make_workshop(app, trainer[0], title="Mine", open_quizzes=())
    url = f"/workshops/{theirs}/quizzes/{WASTE}/schedule"
    token = csrf_token(trainer[1], f"/workshops/{mine}/quizzes")
    assert trainer[1].post(url, data={"csrf_token": token}).status_code == 404
    page = f"/workshops/{mine}/quizzes"
    assert post_form(trainer[1], f"{page}/no-such-quiz/schedule", {}, token_from=page).status_code == 404
