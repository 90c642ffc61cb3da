"""No account enumeration, each test written as the attack: registering, and changing a profile's e-mail, with an
address that has an account and with one that has not, must give the same answer. The owner of a known address
gets a notice by e-mail instead; the mail goes through the job queue to a real SMTP server on loopback."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from greencustoms.extensions import db
from greencustoms.models import User
from tests.conftest import PASSWORD, post_form
from tests.mailkit import body, smtp  # noqa: F401 (fixture)

FORM = {
    "full_name": "Zoe Mwangi",
    "country": "KE",
    "organisation": "KRA",
    "language": "en",
    "password": "a good long password",
    "confirm": "a good long password",
}
_LINK = re.compile(r"https?://\S+(/(?:register/confirm|email/confirm)/\S+)")


def _register(app, email: str):
    client = app.test_client()
    response = post_form(client, "/register", {**FORM, "email": email}, token_from="/register")
    page = client.get(response.headers.get("Location", "/")).get_data(as_text=True) if response.location else ""
    return client, response, page


def _users(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count(User.id))).scalar_one()


def _link(message) -> str:
    match = _LINK.search(body(message))
    assert match, body(message)
    return match.group(1)


def test_registration_answers_alike_for_known_and_unknown_addresses(app, auth, smtp, worker):  # noqa: F811
    """The attacker sees the same status, redirect and page; the owner of the known address gets a notice, the
    new address a link; no account exists until the link is opened."""
    auth.create(email="known@example.org")
    _c1, known, known_page = _register(app, "known@example.org")
    _c2, unknown, unknown_page = _register(app, "unknown@example.org")
    assert (known.status_code, known.location) == (unknown.status_code, unknown.location) == (303, "/register/sent")
    assert known_page == unknown_page and "already" not in known_page
    assert _users(app) == 1
    smtp.wait_for(2)
    (notice,) = smtp.to("known@example.org")
    (confirmation,) = smtp.to("unknown@example.org")
    assert "already have an account" in body(notice) and "/register/confirm/" not in body(notice)
    visitor = app.test_client()
    opened = visitor.get(_link(confirmation))
    assert opened.status_code == 303 and visitor.get("/me").status_code == 200
    with app.app_context():
        user = db.session.execute(select(User).filter_by(email="unknown@example.org")).scalar_one()
        assert user.full_name == "Zoe Mwangi" and user.check_password(FORM["password"])
    assert visitor.get(_link(confirmation)).status_code == 404  # single use


def test_registration_still_refuses_bad_input_alike(app, auth, smtp):  # noqa: F811
    """Bad input is refused whatever the address (the rules do not depend on it), and nothing is mailed."""
    auth.create(email="known@example.org")
    answers = []
    for email in ("known@example.org", "unknown@example.org"):
        client = app.test_client()
        data = {**FORM, "email": email, "full_name": "<b>x</b>"}
        answers.append(post_form(client, "/register", data, token_from="/register").status_code)
    assert answers == [400, 400]
    assert _users(app) == 1


def test_email_change_answers_alike_and_applies_only_from_the_link(app, client, auth, smtp, worker):  # noqa: F811
    """Changing the profile's e-mail to a taken and to a free address gives the same answer; the address changes
    only when the link sent to the new address is opened."""
    auth.create(email="known@example.org", name="Known Owner")
    user_id = auth.create(email="officer@example.org")
    auth.login()
    answers = []
    for new in ("known@example.org", "fresh@example.org"):
        data = {"full_name": "Amina Njoroge", "email": new, "country": "KE", "language": "en"}
        response = post_form(client, "/account", data, token_from="/account")
        answers.append((response.status_code, response.location, client.get("/account").get_data(as_text=True)))
    assert answers[0][:2] == answers[1][:2] == (302, "/account")
    assert "already exists" not in answers[0][2]
    smtp.wait_for(2)
    assert "already have an account" in body(smtp.to("known@example.org")[0])
    with app.app_context():
        assert db.session.get(User, user_id).email == "officer@example.org"
    assert client.get(_link(smtp.to("fresh@example.org")[0])).status_code == 303
    with app.app_context():
        assert db.session.get(User, user_id).email == "fresh@example.org"
    auth.logout()
    assert auth.login(email="fresh@example.org", password=PASSWORD).status_code == 302
