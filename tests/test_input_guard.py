"""Bad input never reaches the database, each test written as the attack: NUL bytes in anonymous forms, in the
query string and in JSON; huge ids in every URL that takes one; and the error log searched for hashes. Run it with
DATABASE_URL set to see the same answers on PostgreSQL."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from greencustoms.extensions import db
from greencustoms.inputguard import BoundedInt
from greencustoms.models import User
from tests.adminkit import signed_in
from tests.conftest import PASSWORD, post_form

HUGE = "99999999999999999999"
REGISTRATION = {
    "full_name": "Zoe Mwangi",
    "email": "zoe@example.org",
    "country": "KE",
    "organisation": "KRA",
    "language": "en",
    "password": "a good long password",
    "confirm": "a good long password",
}


def _users(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count(User.id))).scalar_one()


@pytest.mark.parametrize("field", ["email", "full_name", "password", "organisation"])
def test_a_nul_byte_in_registration_is_a_400_and_nothing_is_stored(app, client, caplog, field):
    """POST /register with a NUL byte (which PostgreSQL refuses) answers 400; no account; no hash in the log."""
    data = dict(REGISTRATION, **{field: REGISTRATION[field][:3] + "\x00" + REGISTRATION[field][3:]})
    if field == "password":
        data["confirm"] = data["password"]
    with caplog.at_level(logging.DEBUG):
        response = post_form(client, "/register", data, token_from="/register")
    assert response.status_code == 400
    assert "control characters" in response.get_data(as_text=True)
    assert _users(app) == 0
    assert "scrypt:" not in caplog.text and "Traceback" not in caplog.text


@pytest.mark.parametrize("value", ["officer\x00@example.org", "officer@example.org\x85", "\x1b[31m"])
def test_control_characters_in_sign_in_are_a_400(client, auth, value):
    """POST /login with a NUL, a C1 control or an escape sequence in the e-mail: 400, not 500."""
    auth.create()
    response = auth.login(email=value)
    assert response.status_code == 400


def test_control_characters_in_the_query_string_and_url_are_a_400(client):
    """A NUL in a query parameter or in a path segment is refused before any query."""
    assert client.get("/admin/users?q=a%00b").status_code == 400
    assert client.get("/certificates/AB%00CD").status_code == 400


def test_control_characters_in_json_are_a_400(client, auth):
    """A JSON body holding a NUL, even in a nested key or value, is refused."""
    auth.create()
    auth.login()
    response = client.post("/account", json={"full_name": ["Amina", {"x\x00": "y"}]})
    assert response.status_code == 400


def test_tabs_and_new_lines_stay_allowed(app, client, auth):
    """Multi-line text (a revocation reason, an answer) keeps its tab and line breaks: only controls go."""
    from greencustoms.inputguard import has_control_character

    assert not has_control_character(["line one\r\nline two\tend", {"k": "v"}])
    assert has_control_character(["ok", ("a", "b\x00")])


def _int_urls(app) -> list[tuple[str, str]]:
    """Every route of the app that takes an integer, with HUGE for each integer and "x" for other parts."""
    urls = []
    for rule in app.url_map.iter_rules():
        kinds = {name: isinstance(conv, BoundedInt) for name, conv in rule._converters.items()}
        if not any(kinds.values()):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m, kinds=kinds: HUGE if kinds[m.group(1)] else "x", rule.rule)
        urls.append(("GET" if "GET" in rule.methods else "POST", path))
    return urls


def test_huge_ids_give_404_on_every_route_that_takes_one(app):
    """/quizzes/x/attempts/99999999999999999999 and every admin or workshop id alike: 404, never a 500, even for
    an administrator (for whom every such page exists). (405 where another route has the same shape.)"""
    _admin, admin = signed_in(app)
    urls = _int_urls(app)
    assert len(urls) >= 10 and any("/attempts/" in url for _method, url in urls)
    for method, url in urls:
        response = admin.open(url, method=method, data={"csrf_token": "x"})
        assert response.status_code in (404, 405), (method, url, response.status_code)


def test_a_huge_page_number_is_not_an_error(app):
    """?page=99999999999999999999 on a paginated admin page gives an empty page or a 400/404, never a 500."""
    _admin, admin = signed_in(app)
    for url in ("/admin/users", "/admin/audit", "/admin/certificates"):
        assert admin.get(f"{url}?page={HUGE}").status_code in (200, 400, 404), url


@pytest.mark.parametrize("case", ["duplicate e-mail", "missing column"])
def test_database_errors_never_carry_the_values(app, auth, case):
    """A failing INSERT raises an error whose text holds the statement, neither its parameters nor PostgreSQL's
    DETAIL line (which quotes the failing row or key), so a logged error never shows a password hash or an
    address."""
    auth.create(email="taken@example.org")
    with app.app_context(), pytest.raises(IntegrityError) as failed:
        if case == "duplicate e-mail":
            db.session.add(User(email="taken@example.org", full_name="X", password_hash="scrypt:secret-hash-value"))
            db.session.commit()
        else:
            db.session.execute(
                text("INSERT INTO users (email, full_name, password_hash) VALUES (:email, :name, :hash)"),
                {"email": "other@example.org", "name": "X", "hash": "scrypt:secret-hash-value"},
            )
    message = str(failed.value)
    assert "secret-hash-value" not in message and "@example.org" not in message, message
    assert "hidden due to hide_parameters" in message


def test_password_is_never_compared_with_a_nul(client, auth):
    """The right password with a NUL appended is a 400, not a sign-in."""
    auth.create()
    assert auth.login(password=PASSWORD + "\x00").status_code == 400
    assert client.get("/me").status_code == 302
