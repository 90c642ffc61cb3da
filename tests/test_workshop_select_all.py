""" "Select all" without JavaScript: slips for everyone eligible (never for an account the roster did not create,
nor for another workshop's people), and everyone present on a day (only this workshop's participants)."""

from __future__ import annotations

import pytest

from greencustoms.extensions import db
from greencustoms.models import SignInSlip, WorkshopAttendance, WorkshopParticipant
from tests.conftest import post_form
from tests.workshopkit import add_participants, make_workshop, signed_in, today


@pytest.fixture
def trainer(app):
    return signed_in(app, role="trainer", email="trainer@example.org", name="Tess Trainer")


def test_slips_for_everyone_eligible_skip_the_others(app, trainer):
    workshop_id = make_workshop(app, trainer[0])
    other_id = make_workshop(app, trainer[0], title="Other")
    created = add_participants(app, workshop_id, 3, prefix="Roster", created=True)
    add_participants(app, workshop_id, 2, prefix="Own account", created=False)
    add_participants(app, other_id, 2, prefix="Elsewhere", created=True)
    url = f"/workshops/{workshop_id}/participants"
    response = post_form(trainer[1], f"/workshops/{workshop_id}/slips", {"all": "1"}, token_from=url)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.count('class="slip"') == 3
    assert "Own account" not in page and "Elsewhere" not in page
    with app.app_context():
        holders = db.session.execute(
            db.select(WorkshopParticipant.user_id).join(SignInSlip, SignInSlip.participant_id == WorkshopParticipant.id)
        ).scalars()
        assert sorted(holders) == sorted(created)


def test_everyone_present_marks_only_this_workshops_participants(app, trainer):
    workshop_id = make_workshop(app, trainer[0])
    other_id = make_workshop(app, trainer[0], title="Other")
    add_participants(app, workshop_id, 4)
    add_participants(app, other_id, 2, prefix="Elsewhere")
    url = f"/workshops/{workshop_id}/attendance"
    response = post_form(trainer[1], url, {"day": today().isoformat(), "all": "1"}, token_from=url)
    assert response.status_code == 303
    with app.app_context():
        marks = db.session.execute(
            db.select(WorkshopParticipant.workshop_id, WorkshopAttendance.present).join(
                WorkshopParticipant, WorkshopParticipant.id == WorkshopAttendance.participant_id
            )
        ).all()
    assert marks == [(workshop_id, True)] * 4


def test_another_trainer_cannot_select_all_in_my_workshop(app, trainer):
    workshop_id = make_workshop(app, trainer[0])
    add_participants(app, workshop_id, 2, created=True)
    _other, intruder = signed_in(app, role="trainer", email="other@example.org", name="Otto Other")
    mine = make_workshop(app, _other, title="Theirs")
    token_page = f"/workshops/{mine}/participants"
    assert (
        post_form(intruder, f"/workshops/{workshop_id}/slips", {"all": "1"}, token_from=token_page).status_code == 404
    )
    attendance = f"/workshops/{workshop_id}/attendance"
    data = {"day": today().isoformat(), "all": "1"}
    assert post_form(intruder, attendance, data, token_from=token_page).status_code == 404
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(SignInSlip.id))).scalar() == 0
        assert db.session.execute(db.select(db.func.count(WorkshopAttendance.id))).scalar() == 0
