"""Parallel requests against the app on the test database (file SQLite, or PostgreSQL with DATABASE_URL):
20 submits grade once, 20 starts open one attempt, 20 saves from one revision apply once."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from greencustoms.extensions import db
from greencustoms.models import QuizAttempt
from tests.conftest import csrf_token
from tests.parallel import all_at_once
from tests.quiz.helpers import BASICS, answer_form, load, post_page, start, take_url

THREADS = 20


def in_parallel(app, client, request):
    """Run request(its own client, signed in as `client`) in THREADS threads released together; returns the
    responses."""
    cookie = client.get_cookie("session").value
    clients = [app.test_client() for _ in range(THREADS)]
    for own in clients:
        own.set_cookie("session", cookie)
    return all_at_once(THREADS, lambda index: request(clients[index]))


def test_twenty_parallel_submits_grade_exactly_once(app, client, learner, quizzes, graded_signals):
    """20 simultaneous submits of one attempt: one graded result, one signal, every request lands on the result."""
    quiz = quizzes[BASICS]
    attempt_id = start(client)
    row = load(app, attempt_id)
    post_page(client, BASICS, attempt_id, answer_form(quiz, row.layout, row.revision))
    token = csrf_token(client, "/")
    url = take_url(BASICS, attempt_id, "/submit")
    responses = in_parallel(app, client, lambda own: own.post(url, data={"csrf_token": token, "revision": "1"}))
    assert [r.status_code for r in responses] == [303] * THREADS
    assert {r.headers["Location"] for r in responses} == {take_url(BASICS, attempt_id, "/result")}
    assert len(graded_signals) == 1 and graded_signals[0]["score"] == 100.0
    graded = load(app, attempt_id)
    assert (graded.status, graded.score, graded.revision) == ("submitted", 100.0, 2)


def test_twenty_parallel_starts_open_one_attempt(app, client, learner):
    """20 simultaneous "Start" presses open a single attempt, and all of them lead to it."""
    token = csrf_token(client, "/")
    responses = in_parallel(app, client, lambda own: own.post(f"/quizzes/{BASICS}", data={"csrf_token": token}))
    assert {r.status_code for r in responses} == {303}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 1
        attempt_id = db.session.scalar(select(QuizAttempt.id))
    assert {r.headers["Location"] for r in responses} == {take_url(BASICS, attempt_id)}


def test_twenty_parallel_saves_from_one_revision_apply_once(app, client, learner, quizzes):
    """20 different saves made from the same revision: one is stored, the others are told the page is stale."""
    quiz = quizzes[BASICS]
    attempt_id = start(client)
    row = load(app, attempt_id)
    token = csrf_token(client, "/")
    numbers = iter(range(100, 100 + THREADS))
    lock = threading.Lock()

    def save(own):
        with lock:
            value = str(next(numbers))
        data = answer_form(quiz, [row.layout[3]], 0, **{"a-basics-numeric": value})
        return post_page(own, BASICS, attempt_id, data, token)

    responses = in_parallel(app, client, save)
    codes = sorted(r.status_code for r in responses)
    assert codes == [303] + [409] * (THREADS - 1)
    saved = load(app, attempt_id)
    assert saved.revision == 1 and 100 <= saved.answers["basics-numeric"] < 100 + THREADS
