"""People without e-mail keep their account: a username from the roster or the slip, sign-in with it after the
workshop, a fresh slip from their own trainer only, and an e-mail they may add later."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from greencustoms import rules
from greencustoms.auth import usernames
from greencustoms.extensions import db
from greencustoms.models import SignInSlip, User, Workshop, WorkshopParticipant
from tests.adminkit import audit_events
from tests.conftest import csrf_token, post_form
from tests.mailkit import body, smtp  # noqa: F401 (fixture)
from tests.workshopkit import add_participants, make_workshop, signed_in, today

TOKEN = re.compile(r"/slip/([0-9A-Z]{13})\b")
NEW = "harbour lights 2026"
ROSTER = "full name,e-mail,country,organisation\nNoor Haddad,,Jordan,Jordan Customs\nAli Omar,ali@example.org,KE,KRA\n"


@pytest.fixture
def trainer(app):
    return signed_in(app, role="trainer", email="trainer@example.org", name="Tess Trainer")


def _import(app, client, workshop_id: int, text: str = ROSTER):
    from io import BytesIO

    token = csrf_token(client, f"/workshops/{workshop_id}/roster")
    data = {"csrf_token": token, "roster": (BytesIO(text.encode()), "roster.csv")}
    return client.post(f"/workshops/{workshop_id}/roster", data=data, content_type="multipart/form-data")


def _print(client, workshop_id: int, participant_ids: list[int]):
    token = csrf_token(client, f"/workshops/{workshop_id}/participants")
    data = {"csrf_token": token, "participant": [str(i) for i in participant_ids]}
    return client.post(f"/workshops/{workshop_id}/slips", data=data)


def _participation(app, workshop_id: int, name: str) -> tuple[int, User]:
    with app.app_context():
        row = db.session.execute(
            db.select(WorkshopParticipant, User)
            .join(User, User.id == WorkshopParticipant.user_id)
            .where(WorkshopParticipant.workshop_id == workshop_id, User.full_name == name)
        ).one()
        db.session.expunge(row[1])
        return row[0].id, row[1]


def _redeem(app, token: str, email: str = ""):
    """Use a slip on a fresh browser and choose a password; returns that browser."""
    visitor = app.test_client()
    assert post_form(visitor, f"/slip/{token}", token_from=f"/slip/{token}").status_code == 303
    chosen = {"email": email, "password": NEW, "confirm": NEW}
    response = post_form(visitor, "/slip/password", chosen, token_from="/slip/password")
    assert response.status_code == 303, response.get_data(as_text=True)
    return visitor


def _login(app, typed: str, password: str = NEW):
    return post_form(app.test_client(), "/login", {"email": typed, "password": password})


@pytest.mark.parametrize("typed", ["amina.n", "Amina_N", "  k7m3q9xd ", "a-b", "abc"])
def test_the_username_rule_accepts_and_folds_case(app, typed):
    """Letters, digits and . _ - inside: accepted, and stored in lower case (so unique without case)."""
    with app.test_request_context():
        assert rules.username(typed) == typed.strip().lower()


@pytest.mark.parametrize(
    "typed", ["amina@example.org", "amina@", "ab", "a" * 33, "-amina", "amina.", "amina njoroge", "zoé", "=cmd", ""]
)
def test_the_username_rule_refuses_e_mail_look_alikes_and_odd_characters(app, typed):
    """A username never holds an @ (it would read as an e-mail), a space, an accent or a leading/trailing mark."""
    with app.test_request_context(), pytest.raises(rules.RuleError, match="no @"):
        rules.username(typed)


def test_generated_codes_are_valid_unambiguous_and_unique(app):
    """Generated participant codes follow the rule, avoid 0/o, 1/l/i and u/v, and never repeat one in use."""
    with app.app_context():
        codes = usernames.fresh_usernames(200)
        assert len(set(codes)) == 200
        assert all(rules.username(code) == code and not set(code) & set("01oliuv") for code in codes)


def test_a_roster_row_without_e_mail_gets_a_username_shown_to_the_trainer(app, trainer):
    """The e-mail-less row's new account has a generated username (in the participant list); the row with an
    e-mail signs in with it and gets none."""
    workshop_id = make_workshop(app, trainer[0])
    assert _import(app, trainer[1], workshop_id).status_code == 303
    _id, noor = _participation(app, workshop_id, "Noor Haddad")
    _id, ali = _participation(app, workshop_id, "Ali Omar")
    assert noor.username and len(noor.username) == usernames.LENGTH and ali.username is None
    assert noor.username in trainer[1].get(f"/workshops/{workshop_id}/participants").get_data(as_text=True)


def test_slip_then_username_sign_in_after_the_workshop_ended(app, trainer):
    """The whole story without e-mail: the slip shows the username; after the workshop the participant signs in
    with it (any case) and their password, and their account page shows it."""
    workshop_id = make_workshop(app, trainer[0])
    _import(app, trainer[1], workshop_id)
    participant_id, noor = _participation(app, workshop_id, "Noor Haddad")
    page = _print(trainer[1], workshop_id, [participant_id]).get_data(as_text=True)
    assert noor.username in page and "Your username" in page
    _redeem(app, TOKEN.findall(page)[0])
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        workshop.starts_on, workshop.ends_on = today() - timedelta(days=30), today() - timedelta(days=28)
        db.session.commit()
    visitor = app.test_client()
    response = post_form(visitor, "/login", {"email": f"  {noor.username.upper()} ", "password": NEW})
    assert response.status_code == 302 and visitor.get("/me").status_code == 200
    assert noor.username in visitor.get("/account").get_data(as_text=True)


def test_a_participant_without_username_gets_one_when_the_slip_is_printed(app, trainer):
    """Accounts created before usernames existed get one with their next slip, printed on it."""
    workshop_id = make_workshop(app, trainer[0])
    (user_id,) = add_participants(app, workshop_id, 1, created=True)
    _participant_id, person = _participation(app, workshop_id, "Participant 000")
    assert person.username is None
    page = _print(trainer[1], workshop_id, [_participant_id]).get_data(as_text=True)
    with app.app_context():
        username = db.session.get(User, user_id).username
    assert username and username in page


def test_unknown_username_and_wrong_password_get_the_same_answer(app, trainer):
    """No enumeration: an unknown username, a known one with a wrong password, and an unknown e-mail all get the
    same status and the same message."""
    workshop_id = make_workshop(app, trainer[0])
    _import(app, trainer[1], workshop_id)
    participant_id, noor = _participation(app, workshop_id, "Noor Haddad")
    _redeem(app, TOKEN.findall(_print(trainer[1], workshop_id, [participant_id]).get_data(as_text=True))[0])
    answers = [_login(app, typed, "wrong password 123") for typed in (noor.username, "nobody-here", "no@example.org")]
    assert {answer.status_code for answer in answers} == {400}
    assert all("The e-mail, username or password is not correct." in a.get_data(as_text=True) for a in answers)


def test_guessing_a_username_password_is_throttled(app, trainer):
    """The same credential throttle as e-mail sign-in: past the limit even the right password is refused (429)."""
    app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"  # the per-request limit out of the way: test the policy
    workshop_id = make_workshop(app, trainer[0])
    _import(app, trainer[1], workshop_id)
    participant_id, noor = _participation(app, workshop_id, "Noor Haddad")
    _redeem(app, TOKEN.findall(_print(trainer[1], workshop_id, [participant_id]).get_data(as_text=True))[0])
    statuses = [_login(app, noor.username, f"guess number {n}").status_code for n in range(10)]
    assert statuses == [400] * 10
    assert _login(app, noor.username.upper()).status_code == 429  # the case does not make a new counter
    throttled = audit_events(app, "auth.throttled")
    assert throttled and throttled[-1].details["kind"] == "login"


def test_a_trainer_cannot_print_a_slip_outside_their_workshops(app, trainer):
    """Hostile: another trainer's participant, through the other's workshop (404) or smuggled into one's own
    workshop's form (404); nothing is issued."""
    other_trainer = signed_in(app, role="trainer", email="other@example.org", name="Otto Other")
    theirs = make_workshop(app, other_trainer[0], title="Theirs")
    mine = make_workshop(app, trainer[0], title="Mine")
    add_participants(app, theirs, 1, created=True, prefix="Stranger")
    stranger_id, _user = _participation(app, theirs, "Stranger 000")
    assert _print(trainer[1], theirs, [stranger_id]).status_code == 404
    assert _print(trainer[1], mine, [stranger_id]).status_code == 404
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(SignInSlip.id))).scalar() == 0


def test_no_slip_for_a_trainer_or_an_administrator_account(app, trainer):
    """Hostile: a trainer who adds a staff account to their workshop cannot print a slip to enter it."""
    workshop_id = make_workshop(app, trainer[0])
    admin_id, _client = signed_in(app, role="admin", email="root@example.org", name="Root Admin")
    with app.app_context():
        admin_user = db.session.get(User, admin_id)
        admin_user.email = None  # even without e-mail
        staff = WorkshopParticipant(workshop_id=workshop_id, user_id=admin_id, via="roster", account_created=True)
        db.session.add(staff)
        db.session.commit()
        staff_id = staff.id
    response = _print(trainer[1], workshop_id, [staff_id])
    assert response.status_code == 303
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(SignInSlip.id))).scalar() == 0


def test_a_fresh_slip_after_the_workshop_replaces_the_old_one(app, trainer):
    """After the workshop, the trainer prints a new slip: it works, the older one no longer does (404), and the
    printing is audited."""
    workshop_id = make_workshop(
        app, trainer[0], starts_on=today() - timedelta(days=9), ends_on=today() - timedelta(days=8)
    )
    add_participants(app, workshop_id, 1, created=True)
    participant_id, _user = _participation(app, workshop_id, "Participant 000")
    old = TOKEN.findall(_print(trainer[1], workshop_id, [participant_id]).get_data(as_text=True))[0]
    new = TOKEN.findall(_print(trainer[1], workshop_id, [participant_id]).get_data(as_text=True))[0]
    assert app.test_client().get(f"/slip/{old}").status_code == 404
    assert app.test_client().get(f"/slip/{new}").status_code == 200
    assert len(audit_events(app, "workshop.slips_issued")) == 2


def test_someone_elses_slip_signs_in_only_its_own_participant(app, trainer):
    """A slip signs in the participant it was printed for, never the person holding it; a used slip is refused."""
    workshop_id = make_workshop(app, trainer[0])
    add_participants(app, workshop_id, 2, created=True)
    first_id, first = _participation(app, workshop_id, "Participant 000")
    token = TOKEN.findall(_print(trainer[1], workshop_id, [first_id]).get_data(as_text=True))[0]
    holder = _redeem(app, token)
    assert "Participant 000" in holder.get("/account").get_data(as_text=True)
    assert app.test_client().get(f"/slip/{token}").status_code == 410


def test_a_learner_without_e_mail_adds_one_on_the_account_page(app, trainer):
    """Without a mail server, the address is set at once and signs in from then on; the username still works."""
    workshop_id = make_workshop(app, trainer[0])
    _import(app, trainer[1], workshop_id)
    participant_id, noor = _participation(app, workshop_id, "Noor Haddad")
    visitor = _redeem(app, TOKEN.findall(_print(trainer[1], workshop_id, [participant_id]).get_data(as_text=True))[0])
    form = {"full_name": "Noor Haddad", "email": "", "country": "JO", "organisation": "", "language": "en"}
    form["timezone"] = "UTC"
    assert post_form(visitor, "/account", form, token_from="/account").status_code == 302  # empty: allowed
    form["email"] = "Noor@Example.org"
    assert post_form(visitor, "/account", form, token_from="/account").status_code == 302
    assert _login(app, "noor@example.org").status_code == 302
    assert _login(app, noor.username).status_code == 302


def test_with_mail_the_added_e_mail_waits_for_its_confirmation_link(app, trainer, smtp, worker):  # noqa: F811
    """With a mail server, the e-mail-less learner's new address goes through the confirmation link."""
    workshop_id = make_workshop(app, trainer[0])
    _import(app, trainer[1], workshop_id)
    participant_id, noor = _participation(app, workshop_id, "Noor Haddad")
    visitor = _redeem(app, TOKEN.findall(_print(trainer[1], workshop_id, [participant_id]).get_data(as_text=True))[0])
    form = {"full_name": "Noor Haddad", "email": "noor@example.org", "country": "JO", "language": "en"}
    form |= {"organisation": "", "timezone": "UTC"}
    assert post_form(visitor, "/account", form, token_from="/account").status_code == 302
    with app.app_context():
        assert db.session.get(User, noor.id).email is None
    (message,) = smtp.wait_for(1)
    link = re.search(r"https?://\S+(/email/confirm/\S+)", body(message)).group(1)
    assert visitor.get(link).status_code == 303
    with app.app_context():
        assert db.session.get(User, noor.id).email == "noor@example.org"


def test_the_forgot_page_tells_people_without_e_mail_what_to_do(client):
    """Accounts without e-mail are told to ask their trainer for a new slip."""
    page = client.get("/password/forgot").get_data(as_text=True)
    assert "No e-mail address on your account?" in page and "ask your trainer for a new slip" in page


def test_the_migration_gives_existing_e_mail_less_accounts_a_username(app):
    """Accounts without e-mail from before usernames existed get one (not the anonymised, not those with e-mail)."""
    import importlib.util
    from pathlib import Path

    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from sqlalchemy import insert

    path = Path(__file__).parent.parent / "migrations" / "versions" / "0012_usernames.py"
    spec = importlib.util.spec_from_file_location("migration_0011", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    rows = [
        {"email": None, "full_name": "Noor Haddad", "password_hash": "!roster:x"},
        {"email": None, "full_name": "Anonymised user 2", "password_hash": "!anonymised"},
        {"email": "ali@example.org", "full_name": "Ali Omar", "password_hash": "x"},
    ]
    with app.app_context():
        db.session.execute(insert(User), rows)
        db.session.commit()
        with db.engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
            migration._give_usernames()
        db.session.expire_all()
        found = dict(db.session.execute(db.select(User.full_name, User.username)).all())
        search = db.session.execute(db.select(User.search_text).filter_by(full_name="Noor Haddad")).scalar_one()
    assert rules.username(found["Noor Haddad"]) == found["Noor Haddad"] and found["Noor Haddad"] in search
    assert found["Anonymised user 2"] is None and found["Ali Omar"] is None
    assert migration.ALPHABET == usernames.ALPHABET and migration.LENGTH == usernames.LENGTH
