"""Removing a participant asks for confirmation (a page, no script); bringing them back by re-import or by the
join code finds the same account with its attendance and progress, and duplicates nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from greencustoms.extensions import db
from greencustoms.models import (
    AuditEvent,
    User,
    WorkshopAttendance,
    WorkshopParticipant,
    WorkshopRemoval,
)
from tests.conftest import csrf_token, post_form
from tests.workshopkit import add_attempt, join_code, make_workshop, signed_in, today


@pytest.fixture
def trainer(app):
    return signed_in(app, role="trainer", email="trainer@example.org", name="Tess Trainer")


def _participations(app, workshop_id: int) -> dict[str, WorkshopParticipant]:
    with app.app_context():
        rows = db.session.execute(
            db.select(User.full_name, WorkshopParticipant)
            .join(WorkshopParticipant, WorkshopParticipant.user_id == User.id)
            .where(WorkshopParticipant.workshop_id == workshop_id)
        ).all()
        return dict(rows)


def _import(client, workshop_id: int, text: str):
    token = csrf_token(client, f"/workshops/{workshop_id}/roster")
    return client.post(
        f"/workshops/{workshop_id}/roster",
        data={"csrf_token": token, "text": text},
        content_type="multipart/form-data",
    )


def _remove(client, workshop_id: int, participant_id: int):
    url = f"/workshops/{workshop_id}/participants/{participant_id}/remove"
    return post_form(client, url, token_from=url)


ROSTER = "Noor Haddad,,Jordan,Jordan Customs\nAmina Njoroge,amina@example.org,Kenya,KRA\n"


def test_removing_asks_first_and_a_reimport_brings_back_the_same_accounts_with_attendance(app, trainer):
    workshop_id = make_workshop(app, trainer[0])
    assert _import(trainer[1], workshop_id, ROSTER).status_code == 303
    before = _participations(app, workshop_id)
    noor, amina = before["Noor Haddad"], before["Amina Njoroge"]
    day = today()
    attendance = f"/workshops/{workshop_id}/attendance"
    saved = post_form(trainer[1], attendance, {"day": day.isoformat(), "all": "1"}, token_from=attendance)
    assert saved.status_code == 303
    with app.app_context():
        add_attempt(noor.user_id, "demo-basics", 80.0, {"q1": 1.0}, number=1)

    listing = trainer[1].get(f"/workshops/{workshop_id}/participants").get_data(as_text=True)
    assert f'href="/workshops/{workshop_id}/participants/{noor.id}/remove"' in listing  # a link, not a POST
    confirm = trainer[1].get(f"/workshops/{workshop_id}/participants/{noor.id}/remove")
    confirmed = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Noor Haddad" in confirmed and "from the workshop?" in confirmed
    assert set(_participations(app, workshop_id)) == {"Noor Haddad", "Amina Njoroge"}  # asking removed nobody

    for person in (noor, amina):
        assert _remove(trainer[1], workshop_id, person.id).status_code == 303
    assert _participations(app, workshop_id) == {}
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(WorkshopRemoval.id))).scalar() == 2
        event = db.session.execute(db.select(AuditEvent).filter_by(event="workshop.participant_removed")).first()
        assert event is not None

    assert _import(trainer[1], workshop_id, ROSTER).status_code == 303
    after = _participations(app, workshop_id)
    assert {name: p.user_id for name, p in after.items()} == {
        "Noor Haddad": noor.user_id,
        "Amina Njoroge": amina.user_id,
    }
    assert after["Noor Haddad"].account_created and after["Noor Haddad"].via == "roster"  # slips still possible
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(User.id)).filter_by(full_name="Noor Haddad")).scalar() == 1
        marks = db.session.execute(
            db.select(WorkshopAttendance.present).filter_by(participant_id=after["Noor Haddad"].id, day=day)
        ).scalars()
        assert list(marks) == [True]
        assert db.session.execute(db.select(db.func.count(WorkshopRemoval.id))).scalar() == 0
    grid = trainer[1].get(f"/workshops/{workshop_id}/progress").get_data(as_text=True)
    assert "80" in grid.split("Noor Haddad")[1].split("</tr>")[0]  # their progress is there again


def test_joining_with_the_code_brings_back_a_removed_participant(app, trainer):
    workshop_id = make_workshop(app, trainer[0])
    user_id, client = signed_in(app, role="learner", email="pat@example.org", name="Pat Participant")
    code = join_code(app, workshop_id)
    assert post_form(client, f"/join/{code}", token_from=f"/join/{code}").status_code in (302, 303)
    first = _participations(app, workshop_id)["Pat Participant"]
    with app.app_context():
        db.session.add(WorkshopAttendance(participant_id=first.id, day=today() - timedelta(days=1), present=True))
        db.session.commit()
    assert _remove(trainer[1], workshop_id, first.id).status_code == 303
    assert post_form(client, f"/join/{code}", token_from=f"/join/{code}").status_code in (302, 303)
    again = _participations(app, workshop_id)["Pat Participant"]
    assert again.user_id == user_id and again.joined_at == first.joined_at
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(WorkshopAttendance.id))).scalar() == 1


def test_removal_is_refused_for_a_participant_of_another_trainers_workshop(app, trainer):
    other_id, other = signed_in(app, role="trainer", email="other@example.org", name="Otto Other")
    theirs = make_workshop(app, other_id)
    mine = make_workshop(app, trainer[0], title="Mine")
    assert _import(other, theirs, ROSTER).status_code == 303
    victim = _participations(app, theirs)["Noor Haddad"]
    assert trainer[1].get(f"/workshops/{theirs}/participants/{victim.id}/remove").status_code == 404
    assert trainer[1].get(f"/workshops/{mine}/participants/{victim.id}/remove").status_code == 404
    url = f"/workshops/{mine}/participants/{victim.id}/remove"
    token = csrf_token(trainer[1], f"/workshops/{mine}/roster")
    assert trainer[1].post(url, data={"csrf_token": token}).status_code == 404
    assert "Noor Haddad" in _participations(app, theirs)


def test_removal_without_csrf_is_refused(app, trainer):
    workshop_id = make_workshop(app, trainer[0])
    assert _import(trainer[1], workshop_id, ROSTER).status_code == 303
    noor = _participations(app, workshop_id)["Noor Haddad"]
    response = trainer[1].post(f"/workshops/{workshop_id}/participants/{noor.id}/remove")
    assert response.status_code == 400 and "Noor Haddad" in _participations(app, workshop_id)
