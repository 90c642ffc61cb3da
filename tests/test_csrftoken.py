"""The session's CSRF token signed once per process (greencustoms.csrftoken): the same valid token on every page
of a session, a new one when the session's secret changes, and signing on every page again under a time limit."""

from __future__ import annotations

import re

import pytest
from flask_wtf import csrf as flask_wtf_csrf

from greencustoms import csrftoken
from tests.conftest import count_signer_calls

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def signings(monkeypatch):
    """How many times Flask-WTF signed a token."""
    return count_signer_calls(monkeypatch, flask_wtf_csrf, "dumps")


LESSON = "/courses/demo/demo-basics/welcome"


def _tokens(client, path: str = "/me") -> set[str]:
    return set(TOKEN.findall(client.get(path).get_data(as_text=True)))


def test_a_session_gets_one_token_signed_once_and_it_works(client, auth, signings):
    auth.create()
    auth.login()
    first = _tokens(client)
    signed = signings[0]
    assert _tokens(client) == _tokens(client, LESSON) == _tokens(client, "/courses") == first and len(first) == 1
    assert signings[0] == signed  # three more pages with forms (sign out, language), nothing signed again
    (token,) = first
    assert client.post(LESSON + "/complete", data={"csrf_token": token[:-2] + "xx"}).status_code == 400
    assert client.post(LESSON + "/complete", data={"csrf_token": token}).status_code == 302
    assert "You completed this lesson." in client.get(LESSON).get_data(as_text=True)


def test_each_session_has_its_own_token_and_a_new_sign_in_a_new_one(app, client, auth):
    auth.create()
    auth.create(email="other@example.org", name="Bruno Mensah")
    other = app.test_client()
    auth.login(email="other@example.org", client=other)
    auth.login()
    before = _tokens(client)
    assert before != _tokens(other)
    auth.logout()
    auth.login()
    after = _tokens(client)
    assert after and after != before  # signing in starts a new session secret, so a new token
    (old,) = before
    assert client.post(LESSON + "/complete", data={"csrf_token": old}).status_code == 400


def test_with_a_time_limit_every_page_signs_again(app, client, auth, signings):
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600  # the timestamp in a token now counts: never reuse one
    auth.create()
    auth.login()
    _tokens(client)
    signed = signings[0]
    _tokens(client)
    assert signings[0] == signed + 1


def test_the_process_keeps_a_bounded_number_of_tokens(app, monkeypatch):
    monkeypatch.setattr(csrftoken, "LIMIT", 3)
    monkeypatch.setattr(csrftoken, "_signed", {})
    for number in range(10):
        with app.test_request_context("/"):
            from flask import session

            session["csrf_token"] = f"secret-{number}"
            csrftoken.csrf_token()
    assert len(csrftoken._signed) == 3
    assert [secret for _key, secret in csrftoken._signed] == ["secret-7", "secret-8", "secret-9"]
