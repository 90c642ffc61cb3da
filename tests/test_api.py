"""JSON API /api/v1: bearer tokens (401 without or revoked), completions and certificates, JSON errors, limits."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from greencustoms.certificates.codes import format_code
from greencustoms.exports import COLUMNS
from greencustoms.extensions import db
from greencustoms.models import ApiToken, User
from tests.adminkit import T0, add_learner, add_record, audit_events, seed_rows, signed_in
from tests.conftest import post_form


def _create_token(client, name: str = "HR report") -> str:
    response = post_form(client, "/admin/api-tokens", {"name": name}, token_from="/admin/api-tokens")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    match = re.search(r"gcl_[A-Za-z0-9_\-]{43}", response.get_data(as_text=True))
    assert match, "the token is shown once"
    return match.group(0)


@pytest.fixture
def admin(app):
    return signed_in(app)


@pytest.fixture
def token(admin):
    return _create_token(admin[1])


def _get(client, url, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(url, headers=headers)


def _error(response, status):
    assert response.status_code == status
    assert response.is_json
    body = response.get_json()
    assert body["error"]["status"] == status and body["error"]["message"]
    return body["error"]["message"]


@pytest.mark.parametrize("url", ["/api/v1/completions", "/api/v1/certificates", "/api/v1/certificates/ABCD"])
def test_every_endpoint_needs_a_token(app, client, url):
    """Without a token, and with a malformed or unknown one, the API answers 401 in JSON with WWW-Authenticate."""
    assert "Send an API token" in _error(client.get(url), 401)
    assert client.get(url).headers["WWW-Authenticate"].startswith("Bearer")
    assert "not valid" in _error(_get(client, url, "gcl_" + "x" * 43), 401)
    assert _error(client.get(url, headers={"Authorization": "Basic YWRtaW46YWRtaW4="}), 401)


def test_an_admin_session_cookie_is_not_enough(app, admin):
    """The API ignores the browser session: a signed-in administrator without a token gets 401."""
    _error(admin[1].get("/api/v1/completions"), 401)


def test_valid_token_reads_completions(app, client, token):
    """With a valid token the API returns the export's columns, paginated, and records when the token was used."""
    with app.app_context():
        add_record(add_learner("Zoë Ørsted", email="zoe@example.org"), completed=T0, score=88.0, certificate="valid")
    response = _get(client, "/api/v1/completions", token)
    assert response.status_code == 200 and response.is_json
    body = response.get_json()
    assert body["pagination"] == {"page": 1, "per_page": 100, "total": 1, "pages": 1, "next": None, "prev": None}
    [row] = body["data"]
    assert list(row) == [column.key for column in COLUMNS] and row["full_name"] == "Zoë Ørsted"
    assert row["completed"] == "2026-03-02T09:30:00Z"
    with app.app_context():
        assert db.session.execute(select(ApiToken)).scalar_one().last_used_at is not None
    [event] = audit_events(app, "export.completions")
    assert event.details["source"] == "api" and event.details["rows"] == 1


def test_completions_are_paginated_and_filtered(app, client, token):
    """page/per_page cut the ordered rows; next/prev links keep the filters; per_page has a maximum."""
    with app.app_context():
        seed_rows(7)
        add_record(add_learner("Other", country="MX"), "demo")
    first = _get(client, "/api/v1/completions?country=KE&per_page=3", token).get_json()
    assert first["pagination"]["total"] == 7 and first["pagination"]["pages"] == 3 and len(first["data"]) == 3
    assert "country=KE" in first["pagination"]["next"] and "page=2" in first["pagination"]["next"]
    last = _get(client, first["pagination"]["next"].replace("page=2", "page=3"), token).get_json()
    assert len(last["data"]) == 1 and last["pagination"]["next"] is None
    ids = [r["learner_id"] for r in first["data"]] + [r["learner_id"] for r in last["data"]]
    assert ids == sorted(ids) and all(r["country"] == "KE" for r in first["data"])
    assert "per_page" in _error(_get(client, "/api/v1/completions?per_page=501", token), 400)
    assert "whole numbers" in _error(_get(client, "/api/v1/completions?page=two", token), 400)
    assert "YYYY-MM-DD" in _error(_get(client, "/api/v1/completions?from=03/02/2026", token), 400)


def test_revoked_token_gets_401(app, client, admin, token):
    """Once revoked on the admin page, the token is refused with 401."""
    assert _get(client, "/api/v1/completions", token).status_code == 200
    with app.app_context():
        token_id = db.session.execute(select(ApiToken.id)).scalar_one()
    response = post_form(admin[1], f"/admin/api-tokens/{token_id}/revoke", token_from="/admin/api-tokens")
    assert response.status_code == 303
    assert "revoked" in _error(_get(client, "/api/v1/completions", token), 401)
    assert "Revoked" in admin[1].get("/admin/api-tokens").get_data(as_text=True)


def test_token_stops_working_when_its_creator_loses_the_admin_role(app, client, admin, token):
    """A token acts with its creator's authority: demoted or disabled creator means 403."""
    with app.app_context():
        db.session.get(User, admin[0]).role = "trainer"
        db.session.commit()
    assert "no longer has access" in _error(_get(client, "/api/v1/completions", token), 403)


def test_tokens_are_stored_as_hashes_only(app, token):
    """The database holds the SHA-256 of the token and its last four characters, never the token."""
    import hashlib

    with app.app_context():
        stored = db.session.execute(select(ApiToken)).scalar_one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest() and stored.hint == token[-4:]
    assert token not in stored.token_hash


def test_token_needs_a_name(app, admin):
    """Creating a token without a name re-shows the form with a 400 and creates nothing."""
    response = post_form(admin[1], "/admin/api-tokens", {"name": ""}, token_from="/admin/api-tokens")
    assert response.status_code == 400
    with app.app_context():
        assert db.session.execute(select(ApiToken)).first() is None


def test_certificate_by_code_shows_the_verification_fields_and_state(app, client, token):
    """GET /api/v1/certificates/<code> shows what the verification page shows, plus the state."""
    with app.app_context():
        certificate = add_record(add_learner("Amina"), completed=T0, certificate="revoked", holder="Amina N.")
        certificate.revoked_at = T0
        certificate.revoked_reason = "Fraud: internal note"
        db.session.commit()
        code = certificate.code
    body = _get(client, f"/api/v1/certificates/{code.lower()}", token).get_json()
    assert body["code"] == format_code(code) and body["state"] == "revoked" and body["holder_name"] == "Amina N."
    assert body["issued"] == "2026-03-02" and body["revoked_on"] == "2026-03-02"
    assert body["verify_url"].endswith(f"/certificates/{format_code(code)}")
    assert "Fraud" not in str(body)
    assert "No certificate" in _error(_get(client, "/api/v1/certificates/" + "0" * 28, token), 404)


def test_certificates_list_filters_by_course_and_state(app, client, token):
    """GET /api/v1/certificates filters by course and state (valid, expired, revoked, superseded)."""
    from datetime import timedelta

    with app.app_context():
        add_record(add_learner("A"), "demo", completed=T0, certificate="valid")
        add_record(add_learner("B"), "demo", completed=T0, certificate="valid", expires=T0 + timedelta(days=1))
        add_record(add_learner("C"), "other", completed=T0, certificate="revoked")

    def holders(query):
        body = _get(client, "/api/v1/certificates?" + query, token).get_json()
        return sorted(c["state"] + ":" + c["course"] for c in body["data"]), body["pagination"]["total"]

    assert holders("") == (["expired:demo", "revoked:other", "valid:demo"], 3)
    assert holders("course=demo") == (["expired:demo", "valid:demo"], 2)
    assert holders("status=expired") == (["expired:demo"], 1)
    assert holders("status=revoked&course=demo") == ([], 0)
    assert "status must be" in _error(_get(client, "/api/v1/certificates?status=gone", token), 400)


def test_api_errors_are_json_with_the_right_status(app, client, token, monkeypatch):
    """404 for an unknown path, 405 for a wrong method, 500 for a failure: all JSON under /api/."""
    _error(_get(client, "/api/v1/nothing-here", token), 404)
    _error(client.post("/api/v1/completions", headers={"Authorization": f"Bearer {token}"}), 405)
    from greencustoms.api import views

    def broken(*_args, **_kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(views, "count_completions", broken)
    message = _error(_get(client, "/api/v1/completions", token), 500)
    assert "database on fire" not in message


def test_api_is_rate_limited(app, other_app):
    """Past the per-token limit, the API answers 429 in JSON."""
    app = other_app(API_RATE_LIMIT="3 per minute")
    _admin_id, admin_client = signed_in(app)
    token = _create_token(admin_client)
    client = app.test_client()
    statuses = [_get(client, "/api/v1/certificates", token).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = _get(client, "/api/v1/certificates", token)
    _error(refused, 429)
    assert "Retry-After" in refused.headers
