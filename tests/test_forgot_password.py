"""'Forgot your password?': a one-hour, single-use link by e-mail (a real SMTP server on loopback), the same answer
for every address, counted against the credential throttle, and a clear way out for accounts without e-mail."""

from __future__ import annotations

import re
from datetime import timedelta

from greencustoms.extensions import db
from greencustoms.models import PasswordResetToken, utcnow
from tests.conftest import post_form
from tests.mailkit import body, smtp  # noqa: F401 (fixture)

_LINK = re.compile(r"https?://\S+(/reset/\S+)")
NEW = "a brand new long password"


def _ask(app, email: str):
    client = app.test_client()
    response = post_form(client, "/password/forgot", {"email": email}, token_from="/login")
    page = client.get(response.location).get_data(as_text=True) if response.status_code == 303 else ""
    return response, page


def _set(client, path: str, password: str = NEW):
    return post_form(client, path, {"new": password, "confirm": password}, token_from=path)


def test_the_sign_in_page_offers_it(client):
    """The link sits on the sign-in page, where a person who forgot looks."""
    assert 'href="/password/forgot"' in client.get("/login").get_data(as_text=True)


def test_a_known_address_gets_a_link_that_works_once(app, auth, smtp, worker):  # noqa: F811
    """The link arrives by e-mail, sets the new password, and is spent: a second use is refused."""
    auth.create(email="amina@example.org")
    response, page = _ask(app, "Amina@Example.org")
    assert response.status_code == 303 and "If an account uses this address" in page
    (message,) = smtp.wait_for(1)
    path = _LINK.search(body(message)).group(1)
    client = app.test_client()
    assert _set(client, path).status_code == 303
    assert auth.login(email="amina@example.org", password=NEW).status_code in (302, 303)
    again = app.test_client()
    assert again.get(path).status_code == 404
    spent = post_form(again, path, {"new": "yet another long password", "confirm": "yet another long password"})
    assert spent.status_code == 404


def test_known_and_unknown_addresses_get_the_same_answer_and_only_the_owner_mail(app, auth, smtp, worker):  # noqa: F811
    """The attacker learns nothing: same status, same page; no message goes to an address without an account."""
    auth.create(email="known@example.org")
    known, known_page = _ask(app, "known@example.org")
    unknown, unknown_page = _ask(app, "nobody@example.org")
    assert (known.status_code, known.location) == (unknown.status_code, unknown.location)
    assert known_page == unknown_page
    smtp.wait_for(1)
    assert smtp.to("nobody@example.org") == [] and len(smtp.to("known@example.org")) == 1


def test_a_link_past_its_hour_is_refused(app, auth, smtp, worker):  # noqa: F811
    """The e-mailed link lives one hour, not the 72 hours of an administrator's link."""
    auth.create(email="late@example.org")
    _ask(app, "late@example.org")
    (message,) = smtp.wait_for(1)
    path = _LINK.search(body(message)).group(1)
    with app.app_context():
        token = db.session.execute(db.select(PasswordResetToken)).scalar_one()
        assert token.expires_at - token.created_at == timedelta(hours=1)
        token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert app.test_client().get(path).status_code == 404


def test_asking_again_and_again_is_throttled(app, auth, smtp):  # noqa: F811
    """Each request counts against the credential throttle of the account and the address: no mail bombing."""
    auth.create(email="victim@example.org")
    statuses = [_ask(app, "victim@example.org")[0].status_code for _ in range(12)]
    assert statuses[:10] == [303] * 10 and set(statuses[10:]) == {429}
    with app.app_context():
        assert db.session.execute(db.select(PasswordResetToken)).scalars().all()  # the first ones were issued


def test_without_mail_the_page_says_whom_to_ask_and_the_link_goes_to_the_log(app, auth, caplog):
    app.config["MAIL_SERVER"] = None
    """No SMTP server: the page sends people to an administrator (or their trainer, for slip accounts), and the
    link is logged for the administrator to hand over; nothing breaks."""
    page = app.test_client().get("/password/forgot").get_data(as_text=True)
    assert "Ask an administrator" in page and "ask your trainer for a new slip" in page
    auth.create(email="nomail@example.org")
    response, _page = _ask(app, "nomail@example.org")
    assert response.status_code == 303
    assert re.search(r"hand over: \S+/reset/\S+", caplog.text)


def test_a_disabled_account_gets_no_link(app, auth, smtp, worker):  # noqa: F811
    """A disabled account cannot be reopened by e-mail: no message, the same answer."""
    user_id = auth.create(email="gone@example.org")
    with app.app_context():
        from greencustoms.models import User

        db.session.get(User, user_id).active = False
        db.session.commit()
    response, _page = _ask(app, "gone@example.org")
    assert response.status_code == 303
    assert smtp.to("gone@example.org") == []
    with app.app_context():
        assert db.session.execute(db.select(PasswordResetToken)).scalars().all() == []
