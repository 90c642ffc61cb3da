"""Fifty learners at once, through the real quiz views, on the test database (file SQLite, or PostgreSQL with
DATABASE_URL): every answer saved is kept and every attempt is graded exactly once. Not timed: correctness only.

Each learner has its own account, session (its own test client) and attempt. Accounts share one password hash
and sessions are opened with the session cookie, because 50 scrypt hashes and logins would take most of a minute
on a small machine; the login view itself is tested in test_auth.py.
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict
from werkzeug.security import generate_password_hash

from greencustoms.auth.sessions import start_session
from greencustoms.content import get_catalog
from greencustoms.extensions import db
from greencustoms.models import QuizAttempt, User
from greencustoms.quiz.grading import read_responses
from greencustoms.signals import attempt_graded
from tests.conftest import PASSWORD, csrf_token
from tests.parallel import all_at_once
from tests.quiz.helpers import BASICS, answer_form, load, post_page, start, take_url

LEARNERS = 50


def _learners(app) -> list:
    """LEARNERS accounts, each with its own signed-in test client; returns [(user_id, client), ...]."""
    shared_hash = generate_password_hash(PASSWORD, method="scrypt")
    with app.app_context():
        users = [
            User(email=f"officer{i}@example.org", full_name=f"Officer {i}", password_hash=shared_hash)
            for i in range(LEARNERS)
        ]
        db.session.add_all(users)
        db.session.commit()
        ids = [(user.id, start_session(user)) for user in users]
    signed_in = []
    for user_id, session_id in ids:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = session_id, True
        signed_in.append((user_id, client))
    return signed_in


def test_fifty_learners_save_and_submit_at_once(app):
    """50 learners each save a page of answers and submit at the same moment: no request fails, every saved answer
    is in the database, and every attempt is graded exactly once, from those answers."""
    learners = _learners(app)
    with app.app_context():
        quiz = get_catalog().quizzes[BASICS]
    attempts = [start(client) for _user_id, client in learners]
    forms = []
    for (_user_id, client), attempt_id in zip(learners, attempts, strict=True):
        form = answer_form(quiz, load(app, attempt_id).layout, revision=0)
        forms.append({**form, "csrf_token": csrf_token(client, take_url(BASICS, attempt_id))})
    graded: list[int] = []

    def count_grades(_sender, attempt_id, **_facts):
        graded.append(attempt_id)

    def save_then_submit(index: int) -> tuple[int, int, str]:
        client, attempt_id, form = learners[index][1], attempts[index], forms[index]
        saved = post_page(client, BASICS, attempt_id, form, token=form["csrf_token"])
        submitted = client.post(
            take_url(BASICS, attempt_id, "/submit"), data={"csrf_token": form["csrf_token"], "revision": "1"}
        )
        return saved.status_code, submitted.status_code, submitted.headers.get("Location", "")

    attempt_graded.connect(count_grades)
    try:
        replies = all_at_once(LEARNERS, save_then_submit)
    finally:
        attempt_graded.disconnect(count_grades)

    assert [(saved, submitted) for saved, submitted, _where in replies] == [(303, 303)] * LEARNERS
    assert [where for *_codes, where in replies] == [take_url(BASICS, a, "/result") for a in attempts]
    assert sorted(graded) == sorted(attempts)  # one grading per attempt, none twice
    with app.app_context():
        rows = {row.id: row for row in db.session.scalars(db.select(QuizAttempt).where(QuizAttempt.id.in_(attempts)))}
        for (user_id, _client), attempt_id, form in zip(learners, attempts, forms, strict=True):
            row = rows[attempt_id]
            sent = read_responses(quiz, row.questions, MultiDict(form)).answers
            assert len(sent) == len(row.questions) and row.answers == sent, f"attempt {attempt_id} lost answers"
            assert (row.user_id, row.status, row.revision, row.score) == (user_id, "submitted", 2, 100.0)
