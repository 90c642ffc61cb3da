"""No pulling people across workshops (issue 20): a roster naming someone else's learner or another trainer
invites them; nothing of theirs shows in the workshop until they accept, or an administrator confirms."""

from __future__ import annotations

import io
import re

import pytest

from greencustoms.content import get_catalog
from greencustoms.extensions import db
from greencustoms.models import AuditEvent, User, Workshop, WorkshopInvitation, WorkshopParticipant
from greencustoms.workshops import participants
from greencustoms.workshops.results import result_records
from tests.conftest import csrf_token
from tests.workshopkit import add_attempt, make_workshop, signed_in

REPORT_PAGES = ("/participants", "/progress", "/progress/table", "/report", "/analysis", "/attendance")


@pytest.fixture
def world(app):
    """Trainer A's workshop; trainer B's workshop with learner Lale (joined with the code, a quiz result);
    another trainer Theo; an administrator."""
    a_id, a = signed_in(app, role="trainer", email="a@example.org", name="Trainer A")
    b_id, _b = signed_in(app, role="trainer", email="b@example.org", name="Trainer B")
    lale_id, lale = signed_in(app, role="learner", email="lale@example.org", name="Lale Learner")
    theo_id, theo = signed_in(app, role="trainer", email="theo@example.org", name="Theo Trainer")
    _admin_id, admin = signed_in(app, role="admin", email="admin@example.org", name="Ada Admin")
    mine = make_workshop(app, a_id, title="A's workshop")
    theirs = make_workshop(app, b_id, title="B's workshop")
    with app.app_context():
        participants.join(db.session.get(Workshop, theirs), db.session.get(User, lale_id), get_catalog())
        add_attempt(lale_id, "demo-basics", 91.0, {"q1": 1.0}, number=1)
    clients = {"a": a, "lale": lale, "theo": theo, "admin": admin}
    return {**clients, "mine": mine, "theirs": theirs, "lale_id": lale_id, "theo_id": theo_id}


def _import(client, workshop_id: int, text: str):
    token = csrf_token(client, f"/workshops/{workshop_id}/roster")
    return client.post(
        f"/workshops/{workshop_id}/roster",
        content_type="multipart/form-data",
        data={"csrf_token": token, "roster": (io.BytesIO(text.encode()), "roster.csv")},
    )


ROSTER = (
    "full name,e-mail,country,organisation\n"
    "Lale Learner,lale@example.org,KE,KRA\n"
    "Theo Trainer,theo@example.org,KE,KRA\n"
    "Nia New,nia@example.org,KE,KRA\n"
)


def _shown(app, world, client=None) -> str:
    """Everything trainer A's pages and results file show about the workshop."""
    client = client or world["a"]
    pages = [client.get(f"/workshops/{world['mine']}{suffix}").get_data(as_text=True) for suffix in REPORT_PAGES]
    with app.app_context():
        records = result_records(db.session.get(Workshop, world["mine"]), get_catalog())
    return "\n".join(pages) + "\n" + repr(records)


def _invitation(app, user_id: int) -> WorkshopInvitation:
    with app.app_context():
        return db.session.execute(db.select(WorkshopInvitation).filter_by(user_id=user_id)).scalar_one()


def test_a_roster_naming_other_peoples_accounts_only_invites_them(app, world):
    """Another workshop's learner and another trainer are invited, not added: no participant row, and no
    page, grid, report or results file shows their name or score; the new person joins at once."""
    response = _import(world["a"], world["mine"], ROSTER)
    assert response.status_code == 303
    shown = _shown(app, world)
    assert "Nia New" in shown
    for secret in ("Lale Learner", "Theo Trainer"):
        assert secret not in shown, secret
    # The score as a number of its own (not the digits inside a static file's version hash or an id).
    assert not re.search(r"(?<![\w.-])91(?![\w-])", shown), "the invited learner's score is shown"
    with app.app_context():
        members = set(db.session.execute(db.select(WorkshopParticipant.user_id).filter_by(workshop_id=world["mine"])))
    assert (world["lale_id"],) not in members and (world["theo_id"],) not in members
    assert _invitation(app, world["lale_id"]).status == "pending"
    participants_page = world["a"].get(f"/workshops/{world['mine']}/participants").get_data(as_text=True)
    assert "Invited, not yet joined" in participants_page and "lale@example.org" in participants_page


def test_the_person_accepts_and_only_then_appears(app, world):
    """Lale sees the invitation from /me, accepts it, and only then shows in A's grid and results."""
    _import(world["a"], world["mine"], ROSTER)
    me = world["lale"].get("/me").get_data(as_text=True)
    assert "/invitations" in me
    assert "A&#39;s workshop" in world["lale"].get("/invitations").get_data(as_text=True)
    invitation = _invitation(app, world["lale_id"])
    token = csrf_token(world["lale"], "/invitations")
    accepted = world["lale"].post(f"/invitations/{invitation.id}/accept", data={"csrf_token": token})
    assert accepted.status_code == 303
    shown = _shown(app, world)
    assert "Lale Learner" in shown and "Theo Trainer" not in shown
    with app.app_context():
        assert db.session.execute(db.select(AuditEvent).filter_by(event="workshop.invitation_accepted")).first()


def test_a_declined_invitation_is_final_and_a_second_import_does_not_pull(app, world):
    """Theo declines; importing the roster again invites nobody twice and still shows nothing of Theo."""
    _import(world["a"], world["mine"], ROSTER)
    invitation = _invitation(app, world["theo_id"])
    token = csrf_token(world["theo"], "/invitations")
    assert world["theo"].post(f"/invitations/{invitation.id}/decline", data={"csrf_token": token}).status_code == 303
    assert _import(world["a"], world["mine"], ROSTER).status_code == 303
    assert "Theo Trainer" not in _shown(app, world)
    assert _invitation(app, world["theo_id"]).status == "declined"
    again = world["theo"].post(f"/invitations/{invitation.id}/accept", data={"csrf_token": token})
    assert again.status_code == 303 and "Theo Trainer" not in _shown(app, world)


def test_nobody_else_can_answer_someone_elses_invitation(app, world):
    """The inviting trainer (or anyone but the person) cannot accept for them: 404, audited as a probe, and
    the invitation stays pending."""
    _import(world["a"], world["mine"], ROSTER)
    invitation = _invitation(app, world["lale_id"])
    token = csrf_token(world["a"], "/workshops/")
    assert world["a"].post(f"/invitations/{invitation.id}/accept", data={"csrf_token": token}).status_code == 404
    assert _invitation(app, world["lale_id"]).status == "pending"
    assert "Lale Learner" not in _shown(app, world)
    with app.app_context():
        probe = db.session.execute(db.select(AuditEvent).filter_by(event="access.probe")).scalar_one()
    assert probe.target == f"invitation:{invitation.id}"


def test_an_administrator_may_confirm(app, world):
    """An administrator confirms a pending invitation from /admin/invitations: the person joins."""
    _import(world["a"], world["mine"], ROSTER)
    invitation = _invitation(app, world["theo_id"])
    assert "Theo Trainer" in world["admin"].get("/admin/invitations").get_data(as_text=True)
    token = csrf_token(world["admin"], "/admin/invitations")
    confirmed = world["admin"].post(f"/admin/invitations/{invitation.id}/confirm", data={"csrf_token": token})
    assert confirmed.status_code == 303
    assert "Theo Trainer" in _shown(app, world)
    with app.app_context():
        assert db.session.execute(db.select(AuditEvent).filter_by(event="workshop.invitation_confirmed")).first()


def test_accounts_the_trainers_own_roster_created_join_directly(app, world):
    """A person whose account A's roster created in an earlier workshop joins A's next workshop at once."""
    _import(world["a"], world["mine"], "Nia New,nia@example.org,KE,KRA\n")
    with app.app_context():
        owner_id = db.session.execute(db.select(Workshop.owner_id).filter_by(id=world["mine"])).scalar_one()
    second = make_workshop(app, owner_id, title="A's second workshop")
    assert _import(world["a"], second, "Nia New,nia@example.org,KE,KRA\n").status_code == 303
    page = world["a"].get(f"/workshops/{second}/participants").get_data(as_text=True)
    assert "Nia New" in page and "1 existing accounts added" in page
