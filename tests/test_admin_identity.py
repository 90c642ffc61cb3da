"""An administrator sets or corrects a name, username and e-mail: validated, unique without case, audited; and
"Last sign-in" records every way of signing in (form, slip, reset link, confirmed registration)."""

from __future__ import annotations

import re

import pytest

from greencustoms.extensions import db
from greencustoms.models import User
from tests.adminkit import add_learner, audit_events, signed_in
from tests.conftest import PASSWORD, post_form
from tests.workshopkit import add_participants, make_workshop


@pytest.fixture
def admin(app):
    return signed_in(app)


def _identity(client, user_id: int, **fields):
    data = {"full_name": "Noor Haddad", "username": "", "email": ""} | fields
    return post_form(client, f"/admin/users/{user_id}/identity", data, token_from=f"/admin/users/{user_id}")


def _user(app, user_id: int) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def test_an_administrator_sets_name_username_and_e_mail_without_confirmation(app, admin):
    """The corrected values are stored at once (the e-mail needs no link) and audited with old and new values;
    the person signs in with either the new username or the new e-mail."""
    admin_id, client = admin
    with app.app_context():
        learner = add_learner("Nour Hadad", email=None)
        user = db.session.get(User, learner)
        user.set_password(PASSWORD)
        db.session.commit()
    response = _identity(client, learner, full_name="Noor Haddad", username="Noor.H", email="Noor@Example.org")
    assert response.status_code == 303
    user = _user(app, learner)
    assert (user.full_name, user.username, user.email) == ("Noor Haddad", "noor.h", "noor@example.org")
    (event,) = audit_events(app, "user.identity_changed")
    assert event.actor_id == admin_id and event.target == f"user:{learner}"
    assert event.details["full_name"] == {"from": "Nour Hadad", "to": "Noor Haddad"}
    assert event.details["email"] == {"from": None, "to": "noor@example.org"}
    for typed in ("NOOR.H", "noor@example.org"):
        login = post_form(app.test_client(), "/login", {"email": typed, "password": PASSWORD})
        assert login.status_code == 302
    assert _identity(client, learner, username="noor.h", email="noor@example.org").status_code == 303
    assert len(audit_events(app, "user.identity_changed")) == 1  # nothing changed: nothing written


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": "Taken.Name"}, "already uses this username"),
        ({"username": "noor@example.org"}, "no @"),
        ({"email": "TAKEN@example.org"}, "already exists"),
        ({"email": "not an address"}, "like name@example.org"),
        ({"full_name": "=HYPERLINK(1)", "username": "fine"}, "formula"),
        ({}, "Keep an e-mail address or a username"),
    ],
    ids=["username taken in another case", "username like an e-mail", "e-mail taken", "bad e-mail", "formula", "none"],
)
def test_bad_or_taken_values_are_refused_and_nothing_changes(app, admin, fields, message):
    """Each broken rule is shown next to its field (400); the account is unchanged and nothing is audited."""
    _admin_id, client = admin
    with app.app_context():
        other = add_learner("Other Person", email="taken@example.org")
        db.session.get(User, other).username = "taken.name"
        db.session.commit()
        learner = add_learner("Noor Haddad", email="noor@example.org")
    response = _identity(client, learner, **fields)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    user = _user(app, learner)
    assert (user.full_name, user.username, user.email) == ("Noor Haddad", None, "noor@example.org")
    assert audit_events(app, "user.identity_changed") == []


def test_an_anonymised_account_cannot_be_given_a_name_again(app, admin):
    """Anonymisation removes the username with the e-mail and is final: the identity form is refused (400) and
    the placeholder stays."""
    _admin_id, client = admin
    with app.app_context():
        learner = add_learner("Noor Haddad", email="noor@example.org")
        db.session.get(User, learner).username = "noor.h"
        db.session.commit()
    post_form(client, f"/admin/users/{learner}/anonymise", {"anonymise-confirm": "y"}, token_from="/admin/users")
    response = _identity(client, learner, username="noor")
    user = _user(app, learner)
    assert response.status_code == 400 and user.full_name.startswith("Anonymised")
    assert user.username is None and user.email is None and "noor" not in user.search_text


def test_only_administrators_change_an_identity(app):
    """Hostile: a trainer or a learner posting the form gets 403, and nothing changes."""
    with app.app_context():
        learner = add_learner("Noor Haddad", email="noor@example.org")
    for role in ("trainer", "learner"):
        _id, client = signed_in(app, role=role, email=f"{role}@example.org")
        response = post_form(
            client,
            f"/admin/users/{learner}/identity",
            {"full_name": "Hacked", "username": "x1x"},
            token_from="/account",
        )
        assert response.status_code == 403
    assert _user(app, learner).full_name == "Noor Haddad"


def _last(app, user_id: int):
    return _user(app, user_id).last_login_at


def test_last_sign_in_is_recorded_for_every_way_of_signing_in(app, admin):
    """The sign-in form, a slip and a reset link each set the last sign-in and write auth.login with the way."""
    _admin_id, admin_client = admin
    trainer_id, trainer = signed_in(app, role="trainer", email="trainer@example.org", name="Tess Trainer")
    assert _last(app, trainer_id) is not None  # the form

    workshop_id = make_workshop(app, trainer_id)
    (participant_user,) = add_participants(app, workshop_id, 1, created=True)
    assert _last(app, participant_user) is None
    with app.app_context():
        from greencustoms.models import WorkshopParticipant

        participation = db.session.execute(db.select(WorkshopParticipant.id)).scalar_one()
    page = post_form(
        trainer, f"/workshops/{workshop_id}/slips", {"participant": participation}, token_from="/workshops/"
    ).get_data(as_text=True)
    token = re.search(r"/slip/([0-9A-Z]{13})\b", page).group(1)
    post_form(app.test_client(), f"/slip/{token}", token_from=f"/slip/{token}")
    after_slip = _last(app, participant_user)
    assert after_slip is not None

    page = post_form(admin_client, f"/admin/users/{participant_user}/reset-link", token_from="/admin/users")
    link = re.search(r"https?://[^\s<\"]+(/reset/[A-Za-z0-9_\-]+)", page.get_data(as_text=True)).group(1)
    visitor = app.test_client()
    new = {"new": "a brand new passphrase", "confirm": "a brand new passphrase"}
    assert post_form(visitor, link, new, token_from=link).status_code == 303
    assert visitor.get("/me").status_code == 200 and _last(app, participant_user) >= after_slip

    ways = [(e.actor_id, e.details["way"]) for e in audit_events(app, "auth.login")]
    assert (trainer_id, "password") in ways
    assert ways[-2:] == [(participant_user, "slip"), (participant_user, "reset")]


def test_a_confirmed_registration_counts_as_a_sign_in(app, client):
    """Without mail, registering signs the person in: recorded as a sign-in by "registration"."""
    data = {
        "full_name": "Wanjiru Kamau",
        "email": "wanjiru@example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "country": "KE",
        "organisation": "",
        "language": "en",
    }
    assert post_form(client, "/register", data, token_from="/register").status_code == 302
    (event,) = audit_events(app, "auth.login")
    assert event.details["way"] == "registration" and _last(app, event.actor_id) is not None


def test_the_accounts_list_finds_and_shows_a_username(app, admin):
    """Search by username finds the e-mail-less account, and the list shows the username in place of the e-mail."""
    _admin_id, client = admin
    with app.app_context():
        learner = add_learner("Noor Haddad", email=None)
        db.session.get(User, learner).username = "k7m3q9xd"
        db.session.commit()
    page = client.get("/admin/users?q=K7M3").get_data(as_text=True)
    assert "Noor Haddad" in page and "k7m3q9xd" in page
