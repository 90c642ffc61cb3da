"""Access boundaries: nobody sees or changes another learner's progress; CSRF on every state change."""

from __future__ import annotations

from sqlalchemy import select

from greencustoms.content import get_catalog
from greencustoms.extensions import db
from greencustoms.models import LessonProgress
from tests.conftest import post_form


def _first_lesson(app):
    with app.app_context():
        module, lesson = get_catalog().lesson_sequence("demo")[0]
        return f"/courses/demo/{module.slug}/{lesson.slug}"


def test_learner_never_sees_another_learners_progress(app, client, auth):
    """Learner B's /me and course page show none of learner A's progress."""
    url = _first_lesson(app)
    auth.create(email="a@example.org", name="Learner A")
    auth.create(email="b@example.org", name="Learner B")
    auth.login(email="a@example.org")
    post_form(client, url + "/complete", token_from=url)
    auth.logout()
    auth.login(email="b@example.org")
    me = client.get("/me").get_data(as_text=True)
    assert "Learner A" not in me and "lessons done" not in me
    assert "0 of" in client.get("/courses/demo").get_data(as_text=True)
    assert "You completed this lesson" not in client.get(url).get_data(as_text=True)


def test_progress_is_recorded_for_the_signed_in_user_only(app, client, auth):
    """A user id smuggled into the form is ignored: progress goes to the session's user."""
    url = _first_lesson(app)
    a = auth.create(email="a@example.org", name="Learner A")
    b = auth.create(email="b@example.org", name="Learner B")
    auth.login(email="b@example.org")
    post_form(client, url + "/complete", {"user_id": str(a)}, token_from=url)
    with app.app_context():
        owners = db.session.execute(select(LessonProgress.user_id)).scalars().all()
    assert owners == [b]


def test_post_without_csrf_token_is_refused(app, client, auth):
    """A state-changing POST without the CSRF token gets 400 and changes nothing."""
    url = _first_lesson(app)
    auth.create()
    auth.login()
    response = client.post(url + "/complete")
    assert response.status_code == 400
    assert "expired or was not sent from this site" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(LessonProgress)).first() is None


def test_login_without_csrf_token_is_refused(client, auth):
    """Even the sign-in form needs its token (no login CSRF)."""
    auth.create()
    response = client.post("/login", data={"email": "officer@example.org", "password": "correct horse battery"})
    assert response.status_code == 400
    assert client.get("/me").status_code == 302


def test_logout_is_post_only(client, auth):
    """Signing out is a POST with a token; a GET cannot sign someone out."""
    auth.create()
    auth.login()
    assert client.get("/logout").status_code == 405
    assert client.get("/me").status_code == 200


def test_forged_session_cookie_is_ignored(app, client, auth):
    """A session naming another user's id with a wrong epoch does not sign anyone in."""
    victim = auth.create(email="victim@example.org")
    with client.session_transaction() as session:
        session["_user_id"] = f"{victim}:7"
        session["_fresh"] = True
    assert client.get("/me").status_code == 302
