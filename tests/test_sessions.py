"""Server-side sessions, each test written as the attack: a cookie copied before sign-out and replayed after it,
a session left idle on a shared PC, a session kept alive past the absolute limit, a remember cookie."""

from __future__ import annotations

from datetime import timedelta

import pytest

from greencustoms.auth.sessions import start_session
from greencustoms.extensions import db
from greencustoms.models import User, UserSession, utcnow
from tests.adminkit import audit_events
from tests.conftest import PASSWORD, post_form


def _stolen_copy(app, client):
    """A second browser holding a copy of `client`'s session cookie, as an attacker who copied it would."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie(cookie.key, cookie.value)
    return thief


def _age_sessions(app, **ages: timedelta) -> None:
    with app.app_context():
        for row in db.session.execute(db.select(UserSession)).scalars():
            for column, age in ages.items():
                setattr(row, column, utcnow() - age)
        db.session.commit()


def test_a_cookie_copied_before_sign_out_is_refused_after_it(app, client, auth):
    """Sign-out revokes the session on the server: the copy neither opens /me nor changes the profile."""
    auth.create()
    auth.login()
    thief = _stolen_copy(app, client)
    assert thief.get("/me").status_code == 200  # the copy works while the session lives
    auth.logout()
    assert thief.get("/me").status_code == 302
    profile = {"full_name": "Hacked", "email": "officer@example.org", "country": "KE", "language": "en"}
    changed = post_form(thief, "/account", profile, token_from="/login")
    assert changed.status_code in (302, 400)
    with app.app_context():
        assert db.session.execute(db.select(User.full_name)).scalar_one() == "Amina Njoroge"
        assert db.session.execute(db.select(UserSession.revoked_at)).scalar_one() is not None


def test_an_idle_session_ends(app, client, auth):
    """After SESSION_IDLE_MINUTES without a request the session is over, even for its own browser."""
    auth.create()
    auth.login()
    _age_sessions(app, last_seen_at=timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1))
    assert client.get("/me").status_code == 302


def test_a_session_in_use_still_ends_at_the_absolute_limit(app, client, auth):
    """A session kept busy (seen a minute ago) ends SESSION_ABSOLUTE_HOURS after sign-in."""
    auth.create()
    auth.login()
    hours = app.config["SESSION_ABSOLUTE_HOURS"]
    _age_sessions(app, created_at=timedelta(hours=hours, minutes=1), last_seen_at=timedelta(minutes=1))
    assert client.get("/me").status_code == 302


def test_a_session_in_use_is_kept_alive(app, client, auth):
    """A request within the idle limit moves last_seen_at on, so an active learner is not signed out."""
    auth.create()
    auth.login()
    idle = app.config["SESSION_IDLE_MINUTES"]
    _age_sessions(app, last_seen_at=timedelta(minutes=idle - 2))
    assert client.get("/me").status_code == 200
    _age_sessions(app, last_seen_at=timedelta(minutes=3))  # seen 3 minutes ago, not idle-2+3
    assert client.get("/me").status_code == 200


def test_sign_out_everywhere_ends_every_session(app, client, auth):
    """ "Sign out everywhere" on the account page ends the other browsers' sessions and this one."""
    auth.create()
    auth.login()
    other = app.test_client()
    auth.login(client=other)
    assert other.get("/me").status_code == 200
    response = post_form(client, "/account/sessions/end", token_from="/account")
    assert response.status_code == 303
    assert client.get("/me").status_code == 302 and other.get("/me").status_code == 302
    with app.app_context():
        rows = db.session.execute(db.select(UserSession)).scalars().all()
        assert len(rows) == 2 and all(row.revoked_at is not None for row in rows)
    assert len(audit_events(app, "auth.signed_out_everywhere")) == 1


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, client, auth):
    """Changing the password signs the other devices out (their copied cookies too); this browser stays in."""
    auth.create()
    auth.login()
    other = app.test_client()
    auth.login(client=other)
    data = {"current": PASSWORD, "new": "another good password", "confirm": "another good password"}
    assert post_form(client, "/account/password", data, token_from="/account/password").status_code == 302
    assert other.get("/me").status_code == 302
    assert client.get("/me").status_code == 200


def test_a_remember_cookie_cannot_outlive_its_session(app, auth):
    """A remember-me cookie holds the same session secret and goes through the same check: revoked is revoked."""
    user_id = auth.create()
    with app.app_context():
        user = db.session.get(User, user_id)
        secret = start_session(user)
    browser = app.test_client()
    with app.test_request_context():
        from flask_login.utils import encode_cookie

        remember = encode_cookie(secret)
    browser.set_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), remember)
    assert browser.get("/me").status_code == 200
    with app.app_context():
        db.session.execute(db.update(UserSession).values(revoked_at=utcnow()))
        db.session.commit()
    fresh = app.test_client()
    fresh.set_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), remember)
    assert fresh.get("/me").status_code == 302


@pytest.mark.parametrize("forged", ["1:0", "1", "", "x" * 5000])
def test_a_forged_session_id_signs_nobody_in(app, client, auth, forged):
    """The old "<id>:<epoch>" form, an id alone or junk never name a session."""
    auth.create()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = forged, True
    assert client.get("/me").status_code == 302


def test_production_session_cookie_has_the_host_prefix(monkeypatch, other_app, auth):
    """In production the session cookie is `__Host-session`: Secure, path /, no Domain."""
    monkeypatch.setenv("GREENCUSTOMS_DEPLOYMENT", "production")
    app = other_app()
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    auth.create()
    client = app.test_client()
    response = post_form(
        client, "/login", {"email": "officer@example.org", "password": PASSWORD}, base_url="https://localhost"
    )
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("__Host-session="))
    assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie


def test_the_account_page_lists_the_signed_in_devices(app, client, auth):
    """Each live session shows as a device (browser and system only, not the whole header); revoked ones do not."""
    auth.create()
    firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
    phone = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
    client.environ_base["HTTP_USER_AGENT"] = firefox
    auth.login()
    other = app.test_client()
    other.environ_base["HTTP_USER_AGENT"] = phone
    auth.login(client=other)
    page = client.get("/account").get_data(as_text=True)
    assert "Firefox / Windows" in page and "Chrome / Android" in page and "Gecko/20100101" not in page
    auth.logout(client=other)
    assert "Chrome / Android" not in client.get("/account").get_data(as_text=True)


def test_the_signed_in_user_is_a_live_object_of_the_requests_session(app, client, auth):
    """The session check builds current_user from plain columns (database.loaded): it must behave as a
    loaded object: the same object as a query for it, every column as stored, and a change to it saved."""
    from flask_login import current_user

    user_id = auth.create(name="Amina Njoroge", organisation="Kenya Revenue Authority")
    auth.login()
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    with app.test_request_context("/me", headers={"Cookie": f"{cookie.key}={cookie.value}"}):
        app.preprocess_request()
        me = current_user._get_current_object()
        assert me.is_authenticated and me.id == user_id
        assert db.session.get(User, user_id) is me and me in db.session and not db.session.dirty
        stored = db.session.execute(db.select(User.__table__).where(User.id == user_id)).one()._asdict()
        assert {name: getattr(me, name) for name in stored} == stored
        me.organisation = "KRA, Port of Mombasa"
        db.session.commit()
    with app.app_context():
        assert db.session.get(User, user_id).organisation == "KRA, Port of Mombasa"
