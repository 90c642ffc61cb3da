"""The cookie session verified once per process for each cookie value (greencustoms.cookiesession): a value
seen again is not verified again, yet it still expires, a forged one is never remembered, new keys forget what the
old ones verified, and no request sees another's session values."""

from __future__ import annotations

import secrets
import time
from datetime import timedelta

import pytest
from flask import session
from flask import sessions as flask_sessions

from greencustoms import cookiesession
from tests.conftest import count_signer_calls

LESSON = "/courses/demo/demo-basics/welcome"


@pytest.fixture
def verifications(monkeypatch):
    """How many times a session cookie's signature was checked."""
    return count_signer_calls(monkeypatch, flask_sessions, "loads")


def _signed_in_and_settled(client, auth) -> None:
    """Sign in and open a first page: it adds the CSRF secret to the session, so the cookie changes once more."""
    auth.create()
    auth.login()
    assert _signed_in(client)


def _signed_in(client) -> bool:
    reply = client.get("/me")
    return reply.status_code == 200 and "My learning" in reply.get_data(as_text=True)


def _cookie(client) -> str:
    return client.get_cookie("session").value


def test_a_cookie_value_is_verified_once_and_its_session_still_works(client, auth, verifications):
    _signed_in_and_settled(client, auth)
    cookie = _cookie(client)
    assert _signed_in(client)
    checked = verifications[0]
    assert _signed_in(client) and _signed_in(client)
    assert client.get(LESSON).status_code == 200
    assert _cookie(client) == cookie  # the same value came back three times...
    assert verifications[0] == checked  # ...and was not checked again
    auth.logout()
    assert not _signed_in(client)  # signing out still ends the session (the server-side check is untouched)


def test_a_remembered_value_still_expires(app, client, auth, monkeypatch, verifications):
    app.permanent_session_lifetime = timedelta(hours=1)
    _signed_in_and_settled(client, auth)
    assert _signed_in(client)
    checked, now = verifications[0], time.time()
    monkeypatch.setattr(time, "time", lambda: now + 3500)
    assert _signed_in(client)
    assert verifications[0] == checked  # remembered, and young enough
    monkeypatch.setattr(time, "time", lambda: now + 3700)
    cookie = _cookie(client)
    assert not _signed_in(client)  # older than PERMANENT_SESSION_LIFETIME: an empty session, as Flask would open
    client.set_cookie("session", cookie)  # the refusal wrote a new session; send the remembered value again
    monkeypatch.setattr(time, "time", lambda: now - 60)
    assert not _signed_in(client)  # a signature from the future (a clock set back) is refused too


def test_a_forged_cookie_is_refused_every_time_and_never_remembered(app, client, auth, verifications):
    _signed_in_and_settled(client, auth)
    genuine = _cookie(client)
    forged = genuine[:-3] + ("AAA" if not genuine.endswith("AAA") else "BBB")
    checked = verifications[0]
    for _ in range(2):
        client.set_cookie("session", forged)  # again: each refusal writes a new (anonymous) session
        assert not _signed_in(client)
    assert verifications[0] == checked + 2  # checked in full on each request
    assert forged not in app.session_interface._verified
    client.set_cookie("session", genuine)
    assert _signed_in(client)


def test_new_keys_forget_what_the_old_ones_verified(app, client, auth):
    _signed_in_and_settled(client, auth)
    old, cookie = app.secret_key, _cookie(client)
    app.secret_key = app.config["SECRET_KEY"] = "a new key for this test, long enough to sign with"
    assert not _signed_in(client)  # the cookie was signed with the old key: no longer valid
    app.config["SECRET_KEY_FALLBACKS"] = [old]
    client.set_cookie("session", cookie)  # the refusal wrote a new session; send the old one again
    assert _signed_in(client)  # a key being rotated out still verifies, as in Flask


def _sign(app, values: dict) -> str:
    return app.session_interface.get_signing_serializer(app).dumps(values)


def test_requests_with_the_same_cookie_never_share_values(app, verifications):
    plain = _sign(app, {"lang": "fr", "n": 1})
    first, second = _opened(app, plain), _opened(app, plain)
    first["lang"] = "ar"
    first["added"] = True
    assert dict(second) == {"lang": "fr", "n": 1} == dict(_opened(app, plain))
    assert verifications[0] == 1  # the plain session was verified once, then remembered
    nested = _sign(app, {"_flashes": [["info", "Saved."]]})
    one, two = _opened(app, nested), _opened(app, nested)
    one["_flashes"].append(["error", "Mine only."])
    assert two["_flashes"] == [["info", "Saved."]]
    assert verifications[0] == 3  # a session holding a list is decoded every time
    assert nested not in app.session_interface._verified


def _opened(app, cookie: str):
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):  # opens the session
        return session._get_current_object()  # type: ignore[attr-defined]


def test_the_process_keeps_a_bounded_number_of_values(app, monkeypatch):
    monkeypatch.setattr(cookiesession, "LIMIT", 3)
    cookies = [_sign(app, {"n": number}) for number in range(10)]
    for number, cookie in enumerate(cookies):
        assert _opened(app, cookie)["n"] == number
    assert list(app.session_interface._verified) == cookies[-3:]  # the newest three, the oldest gone first
    note = secrets.token_urlsafe(cookiesession.MAX_VALUE)  # random: the signed value cannot be compressed short
    long = _sign(app, {"note": note})
    assert len(long) > cookiesession.MAX_VALUE and _opened(app, long)["note"] == note
    assert long not in app.session_interface._verified  # too long to keep: verified every time


def test_the_session_is_written_as_flask_writes_it(app, client, auth):
    auth.create()
    auth.login()
    serializer = flask_sessions.SecureCookieSessionInterface().get_signing_serializer(app)
    written = serializer.loads(_cookie(client))  # a plain Flask interface reads what this one wrote
    assert written["_user_id"] and written["_fresh"] is True
