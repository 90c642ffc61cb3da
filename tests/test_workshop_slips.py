"""Sign-in slips: printed for roster-created participants, random and stored hashed, single-use, short-lived."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from greencustoms.extensions import db
from greencustoms.models import AuditEvent, SignInSlip, User, Workshop, WorkshopParticipant, utcnow
from greencustoms.models.tokens import hash_secret
from greencustoms.workshops.participants import participants
from greencustoms.workshops.slips import SLIP_LIFETIME, SlipError, issue_slips, redeem_slip
from tests.conftest import csrf_token, post_form
from tests.workshopkit import add_participants, make_workshop, signed_in, today

TOKEN = re.compile(r"/slip/([0-9A-Z]{13})\b")


@pytest.fixture
def trainer(app):
    return signed_in(app, role="trainer", email="trainer@example.org", name="Tess Trainer")


@pytest.fixture
def workshop(app, trainer):
    """A running workshop with three roster-created participants; returns (workshop id, participation ids)."""
    workshop_id = make_workshop(app, trainer[0])
    add_participants(app, workshop_id, 3, created=True)
    with app.app_context():
        ids = list(db.session.execute(db.select(WorkshopParticipant.id).filter_by(workshop_id=workshop_id)).scalars())
    return workshop_id, ids


def _print(client, workshop_id: int, participant_ids: list[int]):
    token = csrf_token(client, f"/workshops/{workshop_id}/participants")
    return client.post(
        f"/workshops/{workshop_id}/slips", data={"csrf_token": token, "participant": [str(i) for i in participant_ids]}
    )


def test_printed_slips_carry_a_random_token_stored_only_as_a_hash(app, trainer, workshop):
    """One slip per chosen participant, each with its own 65-bit token and QR code; only hashes are stored."""
    workshop_id, ids = workshop
    response = _print(trainer[1], workshop_id, ids[:2])
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    tokens = set(TOKEN.findall(page))
    assert len(tokens) == 2 and page.count("<svg") == 2 and "<script" not in page
    with app.app_context():
        stored = set(db.session.execute(db.select(SignInSlip.token_hash)).scalars())
        event = db.session.execute(db.select(AuditEvent).filter_by(event="workshop.slips_issued")).scalar_one()
    assert stored == {hash_secret(token) for token in tokens}
    assert not any(token in str(event.details) for token in tokens)


def test_a_slip_signs_in_once_and_is_refused_the_second_time(app, trainer, workshop):
    """The first use signs the participant in and asks for a password; a second use is refused clearly (410)."""
    workshop_id, ids = workshop
    token = TOKEN.findall(_print(trainer[1], workshop_id, ids[:1]).get_data(as_text=True))[0]
    first = app.test_client()
    assert "Sign in as Participant 000" in first.get(f"/slip/{token}").get_data(as_text=True)
    used = post_form(first, f"/slip/{token}", token_from=f"/slip/{token}")
    assert used.status_code == 303 and used.headers["Location"].endswith("/slip/password")
    chosen = post_form(
        first,
        "/slip/password",
        {"email": "p0@example.org", "password": "harbour lights 2026", "confirm": "harbour lights 2026"},
        token_from="/slip/password",
    )
    assert chosen.status_code == 303 and first.get("/me").status_code == 200
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(email="p0@example.org")).scalar_one()
        assert user.check_password("harbour lights 2026")
    second = app.test_client()
    again = second.get(f"/slip/{token}")
    assert again.status_code == 410 and "already been used" in again.get_data(as_text=True)
    csrf = csrf_token(second, "/login")
    assert second.post(f"/slip/{token}", data={"csrf_token": csrf}).status_code == 410
    assert second.get("/me").status_code == 302


def test_a_slip_expires(app, trainer, workshop):
    """Past its expiry a slip is refused (410, "expired") and signs nobody in."""
    workshop_id, ids = workshop
    with app.app_context():
        workshop_row = db.session.get(Workshop, workshop_id)
        person = participants(workshop_row)[0]
        issued_at = utcnow() - SLIP_LIFETIME - timedelta(minutes=1)
        token = issue_slips(workshop_row, [person], db.session.get(User, trainer[0]), now=issued_at)[0].token
        with app.test_request_context(), pytest.raises(SlipError, match="expired"):
            redeem_slip(token)
    response = app.test_client().get(f"/slip/{token}")
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)


def test_a_slip_lives_seven_days_from_printing(app, trainer, workshop):
    """Expiry is seven days after printing, whatever the workshop's dates (a slip printed on its last day still
    works the next morning)."""
    workshop_id, ids = workshop
    with app.app_context():
        workshop_row = db.session.get(Workshop, workshop_id)
        person = participants(workshop_row)[0]
        now = utcnow()
        slip = issue_slips(workshop_row, [person], db.session.get(User, trainer[0]), now=now)[0]
        assert slip.expires_at == now + SLIP_LIFETIME


def test_printing_again_cancels_the_older_unused_slip(app, trainer, workshop):
    """A new slip for the same participant makes the previous one useless."""
    workshop_id, ids = workshop
    old = TOKEN.findall(_print(trainer[1], workshop_id, ids[:1]).get_data(as_text=True))[0]
    new = TOKEN.findall(_print(trainer[1], workshop_id, ids[:1]).get_data(as_text=True))[0]
    assert old != new
    assert app.test_client().get(f"/slip/{old}").status_code == 404
    assert app.test_client().get(f"/slip/{new}").status_code == 200


def test_no_slip_for_accounts_the_roster_did_not_create(app, trainer, workshop):
    """A participant who joined with their own account (or a trainer) cannot be given a slip: nothing is issued."""
    workshop_id, _ids = workshop
    own_id, _client = signed_in(app, role="learner", email="own@example.org", name="Own Account")
    with app.app_context():
        own = WorkshopParticipant(workshop_id=workshop_id, user_id=own_id, via="code")
        db.session.add(own)
        db.session.commit()
        own_participation = own.id
    response = _print(trainer[1], workshop_id, [own_participation])
    assert response.status_code == 303
    assert "only for accounts created by this workshop" in trainer[1].get(response.headers["Location"]).get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(SignInSlip.id))).scalar() == 0


def test_after_the_workshop_a_fresh_slip_can_still_be_printed_and_used(app, trainer):
    """A participant who lost their password after the workshop gets a new slip from their trainer: it works."""
    workshop_id = make_workshop(
        app, trainer[0], starts_on=today() - timedelta(days=9), ends_on=today() - timedelta(days=8)
    )
    add_participants(app, workshop_id, 1, created=True)
    with app.app_context():
        ids = list(db.session.execute(db.select(WorkshopParticipant.id)).scalars())
    response = _print(trainer[1], workshop_id, ids)
    assert response.status_code == 200
    token = TOKEN.findall(response.get_data(as_text=True))[0]
    visitor = app.test_client()
    used = post_form(visitor, f"/slip/{token}", token_from=f"/slip/{token}")
    assert used.status_code == 303 and visitor.get("/me").status_code == 200


def test_unknown_and_malformed_codes_are_404(app, client):
    """A code nobody printed and a malformed one are refused without a 500."""
    assert client.get("/slip/ABCDEFGHJKMNP").status_code == 404
    assert client.get("/slip/not-a-code").status_code == 404
    assert client.get("/slip?token=abc").status_code == 400
    assert client.get("/slip?token=abcd-efgh-jkmnp").headers["Location"].endswith("/slip/ABCDEFGHJKMNP")


def test_names_in_a_refusal_are_shown_as_text(app, trainer, workshop):
    """A hostile name in the "not eligible" message is escaped on the page, never run as markup."""
    workshop_id, _ids = workshop
    with app.app_context():
        hostile = User(email=None, full_name="<b>Bold</b> O'Brien", password_hash="x", role="learner")
        db.session.add(hostile)
        db.session.flush()
        participation = WorkshopParticipant(workshop_id=workshop_id, user_id=hostile.id, via="code")
        db.session.add(participation)
        db.session.commit()
        participation_id = participation.id
    response = _print(trainer[1], workshop_id, [participation_id])
    page = trainer[1].get(response.headers["Location"]).get_data(as_text=True)
    assert "&lt;b&gt;Bold&lt;/b&gt; O&#39;Brien" in page and "<b>Bold</b>" not in page
