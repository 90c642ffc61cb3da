"""One throttle policy for every credential check, each test written as the attack: 30 wrong current passwords,
guessing one account's password from fresh sessions, guessing API tokens, slips and reset links."""

from __future__ import annotations

import pytest

from greencustoms.extensions import db, limiter
from greencustoms.models import User
from tests.adminkit import audit_events
from tests.conftest import PASSWORD, post_form

RIGHT_NEW = "a brand new password"


def _change(client, current: str):
    data = {"current": current, "new": RIGHT_NEW, "confirm": RIGHT_NEW}
    return post_form(client, "/account/password", data, token_from="/account/password")


def _password_is(app, user_id: int, password: str) -> bool:
    with app.app_context():
        return db.session.get(User, user_id).check_password(password)


def test_thirty_wrong_current_passwords_then_the_right_one_changes_nothing(app, client, auth):
    """The attack from the report: 30 wrong current passwords, then the right one. After the policy's limit every
    attempt is refused with 429 before the password is even compared, so the 31st does not change the password;
    each failure and each throttled attempt is audited."""
    user_id = auth.create()
    auth.login()
    statuses = [_change(client, f"wrong guess {n:02d}").status_code for n in range(30)]
    assert statuses[:10] == [400] * 10 and set(statuses[10:]) == {429}
    assert _change(client, PASSWORD).status_code == 429
    assert _password_is(app, user_id, PASSWORD) and not _password_is(app, user_id, RIGHT_NEW)
    failed = audit_events(app, "auth.credential_failed")
    throttled = audit_events(app, "auth.throttled")
    assert len(failed) == 10 and len(throttled) == 21
    assert all(e.actor_id == user_id and e.details["kind"] == "password" for e in failed + throttled)
    assert not audit_events(app, "auth.password_changed")


def test_a_password_change_is_audited(app, client, auth):
    """A successful change writes auth.password_changed (and never the password)."""
    user_id = auth.create()
    auth.login()
    assert _change(client, PASSWORD).status_code == 302
    (event,) = audit_events(app, "auth.password_changed")
    assert event.actor_id == user_id and event.target == f"user:{user_id}"
    assert PASSWORD not in str(event.details) and RIGHT_NEW not in str(event.details)


def test_guessing_at_sign_in_is_throttled_even_for_the_right_password(app, auth):
    """Wrong passwords for one account from fresh sessions; past the limit the right one is refused too (429),
    and the refusals are audited as auth.throttled."""
    auth.create()
    app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"  # the per-request limit out of the way: test the policy
    statuses = [auth.login(password=f"guess {n}", client=app.test_client()).status_code for n in range(10)]
    assert statuses == [400] * 10
    assert auth.login(client=app.test_client()).status_code == 429
    assert len(audit_events(app, "auth.login_failed")) == 10
    assert audit_events(app, "auth.throttled")[-1].details["kind"] == "login"


def test_the_counters_live_in_the_rate_limiter_storage(app, auth):
    """The policy keeps no store of its own: resetting the limiter's storage clears it."""
    auth.create()
    app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"
    for n in range(10):
        auth.login(password=f"guess {n}", client=app.test_client())
    assert auth.login(client=app.test_client()).status_code == 429
    limiter.reset()
    assert auth.login(client=app.test_client()).status_code == 302


def test_guessing_api_tokens_is_throttled_per_address(app, client):
    """Unknown bearer tokens count against the address; past the limit even a request is refused with 429."""
    app.config["CREDENTIAL_ADDRESS_LIMIT"] = "5 per 15 minutes"
    headers = [{"Authorization": f"Bearer gcl_guess{n}"} for n in range(7)]
    statuses = [client.get("/api/v1/certificates", headers=h).status_code for h in headers]
    assert statuses == [401] * 5 + [429] * 2
    assert {e.details["kind"] for e in audit_events(app, "auth.credential_failed")} == {"api_token"}
    assert len(audit_events(app, "auth.throttled")) == 2


@pytest.mark.parametrize(("kind", "url"), [("slip", "/slip/ABCDEFGHJKMNP"), ("reset", "/reset/not-a-real-link")])
def test_guessing_slips_and_reset_links_is_throttled(app, client, kind, url):
    """A wrong slip code or reset link is a failed credential check like any other."""
    app.config["CREDENTIAL_ADDRESS_LIMIT"] = "3 per 15 minutes"
    statuses = [client.get(url).status_code for _ in range(5)]
    assert statuses[:3] != [429] * 3 and statuses[3:] == [429, 429]
    assert {e.details["kind"] for e in audit_events(app, "auth.credential_failed")} == {kind}
