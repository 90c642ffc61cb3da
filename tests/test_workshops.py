"""Workshops: creating one, the join code and sheet, joining (with sign-in or registration on the way), editing,
co-trainers and participants."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from greencustoms.extensions import db
from greencustoms.models import AuditEvent, Enrolment, Workshop, WorkshopParticipant, WorkshopQuiz
from greencustoms.workshops.codes import ALPHABET, normalise
from tests.conftest import PASSWORD, csrf_token, post_form
from tests.workshopkit import add_participants, join_code, make_workshop, signed_in, today


@pytest.fixture
def trainer(app):
    return signed_in(app, role="trainer", email="trainer@example.org", name="Tess Trainer")


def _form(**overrides):
    data = {
        "title": "Mombasa port workshop",
        "starts_on": today().isoformat(),
        "ends_on": (today() + timedelta(days=2)).isoformat(),
        "place": "Mombasa",
        "language": "fr",
        "open_quizzes": ["demo-basics"],
        "pre_quiz": "demo-basics",
        "post_quiz": "demo-waste",
    }
    data.update(overrides)
    return data


def test_trainer_creates_a_workshop_with_a_join_code(app, trainer):
    """The form creates the workshop with an 8-character Crockford code, its open quizzes and pre/post-test,
    and the creation is audited."""
    assert "Demo course" in trainer[1].get("/workshops/new").get_data(as_text=True)
    response = post_form(trainer[1], "/workshops/new?course=demo", _form(), token_from="/workshops/new?course=demo")
    assert response.status_code == 303
    with app.app_context():
        workshop = db.session.execute(db.select(Workshop)).scalar_one()
        assert len(workshop.join_code) == 8 and set(workshop.join_code) <= set(ALPHABET)
        assert (workshop.language, workshop.pre_quiz_slug, workshop.post_quiz_slug) == (
            "fr",
            "demo-basics",
            "demo-waste",
        )
        opened = db.session.execute(db.select(WorkshopQuiz.quiz_slug).filter_by(is_open=True)).scalars().all()
        assert opened == ["demo-basics"]
        event = db.session.execute(db.select(AuditEvent).filter_by(event="workshop.created")).scalar_one()
        assert event.actor_id == trainer[0] and event.target == f"workshop:{workshop.id}"
    page = trainer[1].get(response.headers["Location"]).get_data(as_text=True)
    assert f"{workshop.join_code[:4]}-{workshop.join_code[4:]}" in page
    assert "Mombasa port workshop" in trainer[1].get("/workshops/").get_data(as_text=True)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"ends_on": (today() - timedelta(days=1)).isoformat()}, "must not be before the first day"),
        ({"ends_on": (today() + timedelta(days=40)).isoformat()}, "at most 31 days"),
        ({"open_quizzes": ["not-a-quiz"]}, "is not a valid choice"),
        ({"title": ""}, "This field is required"),
        ({"starts_on": "31/12/2026"}, "Enter the first day"),
        ({"title": "<script>"}, "Remove the special characters"),
    ],
)
def test_bad_workshop_forms_are_refused_with_a_message(app, trainer, overrides, message):
    """Wrong dates, foreign quizzes, missing or hostile titles: 400 with a clear message, nothing created."""
    response = post_form(
        trainer[1], "/workshops/new?course=demo", _form(**overrides), token_from="/workshops/new?course=demo"
    )
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Workshop.id))).scalar() == 0


def test_unknown_course_shows_the_course_choice(trainer):
    """An unknown ?course= falls back to choosing a course."""
    page = trainer[1].get("/workshops/new?course=nope").get_data(as_text=True)
    assert 'name="course"' in page


def test_join_sheet_has_an_inline_qr_code_of_the_public_join_url(app, trainer):
    """The printable sheet shows the code and an inline SVG QR code of the absolute join URL, without script."""
    app.config["PUBLIC_BASE_URL"] = "https://learn.example.org"
    workshop_id = make_workshop(app, trainer[0])
    code = join_code(app, workshop_id)
    page = trainer[1].get(f"/workshops/{workshop_id}/sheet").get_data(as_text=True)
    assert f"https://learn.example.org/join/{code}" in page and f"{code[:4]}-{code[4:]}" in page
    assert re.search(r"<svg[^>]*class=\"qr\"", page) and "<script" not in page and "@media print" not in page
    assert "css/workshops.css" in page


def test_a_participant_signs_in_on_the_way_and_joins(app, trainer, client, auth):
    """Anonymous visitors are offered sign-in with a way back; joining is a POST that also enrols in the course."""
    workshop_id = make_workshop(app, trainer[0])
    code = join_code(app, workshop_id)
    page = client.get(f"/join/{code}").get_data(as_text=True)
    assert f"/login?next=/join/{code}" in page and f"/register?next=/join/{code}" in page
    user_id = auth.create(email="p@example.org")
    signed = post_form(client, f"/login?next=/join/{code}", {"email": "p@example.org", "password": PASSWORD})
    assert signed.headers["Location"] == f"/join/{code}"
    assert "Join this workshop" in client.get(f"/join/{code}").get_data(as_text=True)
    joined = post_form(client, f"/join/{code}", token_from=f"/join/{code}")
    assert joined.status_code == 303 and joined.headers["Location"] == "/courses/demo"
    with app.app_context():
        assert db.session.execute(db.select(WorkshopParticipant).filter_by(user_id=user_id)).scalar_one().via == "code"
        assert db.session.execute(db.select(Enrolment).filter_by(user_id=user_id, course_slug="demo")).scalar_one()
    again = post_form(client, f"/join/{code}", token_from=f"/join/{code}")
    assert again.status_code == 303 and "You are a participant" in client.get(f"/join/{code}").get_data(as_text=True)


def test_register_on_the_spot_comes_back_to_join(app, trainer, client):
    """Registering from the join page returns to it."""
    code = join_code(app, make_workshop(app, trainer[0]))
    response = post_form(
        client,
        f"/register?next=/join/{code}",
        {
            "full_name": "Ana Lima",
            "email": "ana@example.org",
            "password": "porto alegre 2026",
            "confirm": "porto alegre 2026",
            "country": "BR",
            "organisation": "Receita Federal",
            "language": "en",
        },
        token_from="/register",
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/join/{code}"


def test_joining_needs_csrf_and_sign_in(app, trainer, client, auth):
    """A join POST without a CSRF token is refused (400); an anonymous POST is sent to sign in."""
    code = join_code(app, make_workshop(app, trainer[0]))
    anonymous = post_form(client, f"/join/{code}", token_from="/login")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    auth.create(email="p@example.org")
    auth.login(email="p@example.org")
    assert client.post(f"/join/{code}").status_code == 400
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(WorkshopParticipant.id))).scalar() == 0


def test_codes_are_typed_forgivingly_and_unknown_ones_are_404(app, trainer, client):
    """Lower case, dashes, O for 0 and I/L for 1 are accepted; an unknown code is a 404 with a message."""
    code = join_code(app, make_workshop(app, trainer[0]))
    typed = f"{code[:4]}-{code[4:]}".lower().replace("0", "o").replace("1", "l")
    assert client.get(f"/join?code={typed}").headers["Location"] == f"/join/{code}"
    assert client.get("/join?code=abc").status_code == 400
    assert normalise(" ab-cd ", 4) == "ABCD" and normalise("ABCU", 4) is None
    unknown = "0" * 8 if code != "0" * 8 else "1" * 8
    response = client.get(f"/join/{unknown}")
    assert response.status_code == 404 and "No workshop has this join code" in response.get_data(as_text=True)


def test_a_workshop_that_is_over_cannot_be_joined(app, trainer, auth, client):
    """After the last day, the join page says so and a join POST adds nobody."""
    code = join_code(
        app, make_workshop(app, trainer[0], starts_on=today() - timedelta(days=9), ends_on=today() - timedelta(days=8))
    )
    auth.create(email="late@example.org")
    auth.login(email="late@example.org")
    assert "can no longer be joined" in client.get(f"/join/{code}").get_data(as_text=True)
    post_form(client, f"/join/{code}", token_from="/")
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(WorkshopParticipant.id))).scalar() == 0


def test_edit_changes_dates_and_tests_but_not_the_course(app, trainer):
    """Editing saves title, dates and pre/post-test; bad dates are refused."""
    workshop_id = make_workshop(app, trainer[0])
    url = f"/workshops/{workshop_id}/edit"
    response = post_form(trainer[1], url, _form(title="Renamed", pre_quiz="demo-waste", post_quiz=""), token_from=url)
    assert response.status_code == 303
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert (workshop.title, workshop.pre_quiz_slug, workshop.post_quiz_slug, workshop.course_slug) == (
            "Renamed",
            "demo-waste",
            None,
            "demo",
        )
    bad = post_form(trainer[1], url, _form(ends_on="2000-01-01"), token_from=url)
    assert bad.status_code == 400


def test_trainer_removes_a_participant_and_their_account_stays(app, trainer):
    """Removing takes the person out of the workshop only."""
    workshop_id = make_workshop(app, trainer[0])
    user_id = add_participants(app, workshop_id, 1)[0]
    with app.app_context():
        participant = db.session.execute(db.select(WorkshopParticipant.id)).scalar()
    url = f"/workshops/{workshop_id}/participants"
    assert post_form(trainer[1], f"{url}/{participant}/remove", token_from=url).status_code == 303
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(WorkshopParticipant.id))).scalar() == 0
        from greencustoms.models import User

        assert db.session.get(User, user_id) is not None
    assert post_form(trainer[1], f"{url}/{participant}/remove", token_from=url).status_code == 404


def test_trainer_opens_and_closes_quizzes_of_the_course_only(app, trainer):
    """The quiz control page flips a quiz's state; a quiz of no course of the workshop is a 404."""
    workshop_id = make_workshop(app, trainer[0], open_quizzes=())
    url = f"/workshops/{workshop_id}/quizzes"
    assert post_form(trainer[1], f"{url}/demo-waste", {"state": "open"}, token_from=url).status_code == 303
    assert "Close Waste: check your understanding" in trainer[1].get(url).get_data(as_text=True)
    assert post_form(trainer[1], f"{url}/demo-waste", {"state": "closed"}, token_from=url).status_code == 303
    assert post_form(trainer[1], f"{url}/nonexistent", {"state": "open"}, token_from=url).status_code == 404
    with app.app_context():
        assert db.session.execute(db.select(WorkshopQuiz.is_open).filter_by(quiz_slug="demo-waste")).scalar() is False


def test_nav_shows_workshops_to_trainers_only(app, trainer, client, auth):
    """The Workshops link is in the menu of trainers and administrators, not of learners."""
    assert "/workshops/" in trainer[1].get("/").get_data(as_text=True)
    auth.create(email="l@example.org")
    auth.login(email="l@example.org")
    assert "/workshops/" not in client.get("/").get_data(as_text=True)


def test_deleting_an_account_removes_its_participations(app, trainer):
    """A deleted learner disappears from the workshop; the workshop stays."""
    from greencustoms.models import User

    workshop_id = make_workshop(app, trainer[0])
    user_id = add_participants(app, workshop_id, 1)[0]
    with app.app_context():
        db.session.delete(db.session.get(User, user_id))
        db.session.commit()
        assert db.session.execute(db.select(db.func.count(WorkshopParticipant.id))).scalar() == 0
        assert db.session.get(Workshop, workshop_id) is not None
    assert csrf_token(trainer[1], f"/workshops/{workshop_id}/participants")
