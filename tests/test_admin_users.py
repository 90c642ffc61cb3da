"""Account administration: find accounts, change roles, disable/enable, reset links, anonymise and delete."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from greencustoms.extensions import db
from greencustoms.models import Certificate, CourseCompletion, Enrolment, PasswordResetToken, User
from tests.adminkit import T0, add_learner, add_record, signed_in
from tests.conftest import PASSWORD, post_form


@pytest.fixture
def admin(app):
    """An administrator signed in on its own client: (user_id, client)."""
    return signed_in(app)


def _user(app, user_id) -> User | None:
    with app.app_context():
        user = db.session.get(User, user_id)
        if user is not None:
            db.session.expunge(user)
        return user


def _post(client, url, data=None):
    return post_form(client, url, data or {}, token_from="/admin/users")


def test_accounts_are_listed_searched_and_filtered(app, admin):
    """Search matches name or e-mail; role, country, organisation and status filters narrow the list."""
    _admin_id, client = admin
    with app.app_context():
        add_learner("Zoë Ørsted", email="zoe@example.org", country="DK", organisation="Danish Customs Agency")
        add_learner("Wanjiru Kamau", email="wanjiru@kra.go.ke", country="KE")
        disabled = add_learner("Juan Pérez", email="juan@example.org", country="MX", organisation="SAT")
        db.session.get(User, disabled).active = False
        db.session.commit()

    def names(query: str) -> str:
        response = client.get("/admin/users?" + query)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    assert "Zoë Ørsted" in names("q=zoë") and "Wanjiru" not in names("q=zoë")
    assert "Wanjiru Kamau" in names("q=KRA.GO") and "Zoë" not in names("q=kra.go")
    assert "Juan Pérez" in names("status=disabled") and "Wanjiru" not in names("status=disabled")
    assert "Wanjiru Kamau" in names("country=KE") and "Juan" not in names("country=KE")
    assert "Zoë Ørsted" in names("organisation=danish") and "Juan" not in names("organisation=danish")
    page = names("role=admin")
    assert "Ada Admin" in page and "Wanjiru" not in page
    assert "Wanjiru" not in names("q=%25")  # a literal % is searched as text, never a wildcard


def test_accounts_list_is_paginated(app, admin):
    """Fifty accounts per page, with a link to the next page that keeps the filters."""
    _admin_id, client = admin
    with app.app_context():
        for i in range(60):
            add_learner(f"Learner {i:02d}", email=f"l{i}@example.org")
    first = client.get("/admin/users?role=learner").get_data(as_text=True)
    assert first.count('href="/admin/users/') == 50
    assert "/admin/users?role=learner&amp;page=2" in first
    second = client.get("/admin/users?role=learner&page=2").get_data(as_text=True)
    assert second.count('href="/admin/users/') == 10
    assert client.get("/admin/users?page=99").status_code == 200


def test_role_change(app, admin):
    """An administrator can make a learner a trainer; the change is saved."""
    _admin_id, client = admin
    with app.app_context():
        learner = add_learner(email="l@example.org")
    response = _post(client, f"/admin/users/{learner}/role", {"role": "trainer"})
    assert response.status_code == 303
    assert _user(app, learner).role == "trainer"
    assert _post(client, f"/admin/users/{learner}/role", {"role": "overlord"}).status_code == 400
    assert _user(app, learner).role == "trainer"


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("role", {"role": "learner"}),
        ("disable", {}),
        ("anonymise", {"anonymise-confirm": "y"}),
        ("delete", {"delete-confirm": "y"}),
    ],
)
def test_admin_cannot_demote_disable_anonymise_or_delete_themselves(app, admin, action, data):
    """Acting on one's own account is refused with a clear message, and the account is unchanged."""
    admin_id, client = admin
    response = _post(client, f"/admin/users/{admin_id}/{action}", data)
    assert response.status_code == 400
    assert "your own account" in response.get_data(as_text=True)
    me = _user(app, admin_id)
    assert me is not None and me.role == "admin" and me.active and me.email == "admin@example.org"


def test_disabling_ends_the_users_existing_session(app, admin):
    """A disabled user's open session stops working at once; enabling lets them sign in again."""
    _admin_id, client = admin
    learner_id, learner = signed_in(app, role="learner", email="officer@example.org")
    assert learner.get("/me").status_code == 200
    assert _post(client, f"/admin/users/{learner_id}/disable").status_code == 303
    assert learner.get("/me").status_code == 302
    assert post_form(learner, "/login", {"email": "officer@example.org", "password": PASSWORD}).status_code == 400
    assert _post(client, f"/admin/users/{learner_id}/enable").status_code == 303
    assert post_form(learner, "/login", {"email": "officer@example.org", "password": PASSWORD}).status_code == 302
    assert learner.get("/me").status_code == 200


def _reset_link(client, user_id) -> str:
    response = _post(client, f"/admin/users/{user_id}/reset-link")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    match = re.search(r"https?://[^\s<\"]+/reset/([A-Za-z0-9_\-]+)", response.get_data(as_text=True))
    assert match, "the page shows the link"
    return "/reset/" + match.group(1)


def test_reset_link_works_once_and_ends_other_sessions(app, admin):
    """The link sets a new password once; then it is spent, and the user's other sessions have ended."""
    _admin_id, client = admin
    learner_id, old_session = signed_in(app, role="learner", email="officer@example.org")
    link = _reset_link(client, learner_id)
    with app.app_context():
        stored = db.session.execute(select(PasswordResetToken)).scalar_one()
        assert link.rsplit("/", 1)[1] not in stored.token_hash  # only a hash is stored
    visitor = app.test_client()
    assert visitor.get(link).status_code == 200
    new = {"new": "a brand new passphrase", "confirm": "a brand new passphrase"}
    response = post_form(visitor, link, new, token_from=link)
    assert response.status_code == 303 and response.headers["Location"].endswith("/me")
    assert visitor.get("/me").status_code == 200  # the reset signs the person in on this browser
    assert old_session.get("/me").status_code == 302
    fresh = app.test_client()
    assert post_form(fresh, "/login", {"email": "officer@example.org", "password": new["new"]}).status_code == 302
    again = app.test_client()
    assert again.get(link).status_code == 404
    replay = {"new": "another passphrase!", "confirm": "another passphrase!"}
    assert post_form(again, link, replay, token_from="/login").status_code == 404
    assert _user(app, learner_id).check_password(new["new"])


def test_reset_link_expires_and_a_new_one_cancels_the_old(app, admin):
    """An expired link and a link replaced by a newer one both show the "not valid" page (404)."""
    from datetime import timedelta

    _admin_id, client = admin
    with app.app_context():
        learner = add_learner(email="l@example.org")
    first = _reset_link(client, learner)
    second = _reset_link(client, learner)
    visitor = app.test_client()
    assert visitor.get(first).status_code == 404
    assert visitor.get(second).status_code == 200
    with app.app_context():
        token = db.session.execute(select(PasswordResetToken)).scalar_one()
        token.expires_at = token.created_at + timedelta(hours=72) - timedelta(hours=80)
        db.session.commit()
    assert visitor.get(second).status_code == 404


def test_reset_link_refused_for_a_disabled_account(app, admin):
    """A disabled account gets no reset link: enable it first."""
    _admin_id, client = admin
    with app.app_context():
        learner = add_learner(email="l@example.org")
    _post(client, f"/admin/users/{learner}/disable")
    response = _post(client, f"/admin/users/{learner}/reset-link")
    assert response.status_code == 400 and "Enable it" in response.get_data(as_text=True)


def test_anonymise_keeps_records_and_certificates(app, admin):
    """Anonymising replaces the personal data, disables the account, keeps records, and the certificate still
    verifies with the name it prints."""
    _admin_id, client = admin
    learner_id, learner = signed_in(
        app, role="learner", email="officer@example.org", name="Amina Njoroge", country="KE", organisation="KRA"
    )
    with app.app_context():
        certificate = add_record(learner_id, completed=T0, score=90, certificate="valid", holder="Amina Njoroge")
        code = certificate.code
    assert _post(client, f"/admin/users/{learner_id}/anonymise").status_code == 400  # the box must be ticked
    assert _post(client, f"/admin/users/{learner_id}/anonymise", {"anonymise-confirm": "y"}).status_code == 303
    user = _user(app, learner_id)
    assert user.full_name == f"Anonymised user {learner_id}" and user.email is None and user.organisation == ""
    assert not user.active and user.country == "KE"
    assert learner.get("/me").status_code == 302
    with app.app_context():
        assert db.session.execute(select(Enrolment).filter_by(user_id=learner_id)).first() is not None
        assert db.session.execute(select(CourseCompletion).filter_by(user_id=learner_id)).first() is not None
        kept = db.session.execute(select(Certificate).filter_by(code=code)).scalar_one()
        assert kept.status == "valid" and kept.holder_name == "Amina Njoroge"
    from greencustoms.certificates.codes import format_code

    page = app.test_client().get(f"/certificates/{format_code(code)}")
    assert page.status_code == 200 and "Amina Njoroge" in page.get_data(as_text=True)
    assert _post(client, f"/admin/users/{learner_id}/enable").status_code == 400


def test_delete_is_refused_while_the_account_holds_certificates(app, admin):
    """Deleting an account with a certificate is refused with advice to anonymise; nothing is removed."""
    _admin_id, client = admin
    with app.app_context():
        learner = add_learner(email="l@example.org")
        add_record(learner, completed=T0, certificate="revoked")
    response = _post(client, f"/admin/users/{learner}/delete", {"delete-confirm": "y"})
    assert response.status_code == 400 and "Anonymise it instead" in response.get_data(as_text=True)
    assert _user(app, learner) is not None


def test_delete_removes_the_account_and_its_records(app, admin):
    """Without certificates, delete removes the account with its enrolments and completions."""
    _admin_id, client = admin
    with app.app_context():
        learner = add_learner(email="l@example.org")
        add_record(learner, completed=T0)
    response = _post(client, f"/admin/users/{learner}/delete", {"delete-confirm": "y"})
    assert response.status_code == 303
    assert _user(app, learner) is None
    with app.app_context():
        assert db.session.execute(select(Enrolment).filter_by(user_id=learner)).first() is None
    assert client.get(f"/admin/users/{learner}").status_code == 404
