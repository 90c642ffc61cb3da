"""The JSON autosave endpoint used by static/js/quiz.js: saves one question, reports errors and conflicts."""

from __future__ import annotations

from tests.conftest import csrf_token
from tests.quiz.helpers import BASICS, WASTE, fields_for, load, start, take_url


def autosave(client, slug, attempt_id, body, token=None, headers=None):
    headers = {"X-CSRFToken": token or csrf_token(client, "/"), "Accept": "application/json", **(headers or {})}
    return client.post(take_url(slug, attempt_id, "/autosave"), json=body, headers=headers)


def test_autosave_saves_one_question_and_returns_the_new_revision(app, client, learner, quizzes):
    """A change to one question is saved at once; the reply gives the revision and the answered count."""
    attempt_id = start(client)
    row = load(app, attempt_id)
    entry = row.layout[1]
    body = {"revision": 0, "shown": [entry["id"]], "fields": fields_for(quizzes[BASICS], entry)}
    response = autosave(client, BASICS, attempt_id, body)
    assert response.status_code == 200
    assert response.get_json() == {"ok": True, "revision": 1, "answered": 1, "total": 7}
    assert load(app, attempt_id).answers == {"basics-multiple": ["a", "b"]}
    cleared = autosave(client, BASICS, attempt_id, {"revision": 1, "shown": [entry["id"]], "fields": {}})
    assert cleared.get_json()["revision"] == 2 and load(app, attempt_id).answers == {}


def test_autosave_reports_bad_input_as_400_json(app, client, learner):
    """A non-number, a forged token or a malformed body is a 400 with a readable message; nothing is saved."""
    attempt_id = start(client)
    token = csrf_token(client, "/")
    bad_number = autosave(
        client,
        BASICS,
        attempt_id,
        {"revision": 0, "shown": ["basics-numeric"], "fields": {"a-basics-numeric": "sixty"}},
        token,
    )
    assert bad_number.status_code == 400
    assert "Enter a number" in bad_number.get_json()["errors"]["basics-numeric"]
    forged = autosave(
        client,
        BASICS,
        attempt_id,
        {"revision": 0, "shown": ["basics-single"], "fields": {"a-basics-single": "zzz"}},
        token,
    )
    assert forged.status_code == 400 and "not recognised" in forged.get_json()["error"]["message"]
    for body in (
        [1, 2],
        {"revision": "0"},
        {"revision": 0, "shown": "basics-single", "fields": {}},
        {"revision": 0, "shown": [], "fields": {"a": [1]}},
    ):
        response = autosave(client, BASICS, attempt_id, body, token)
        assert response.status_code == 400 and response.get_json()["error"]["message"]
    not_json = client.post(
        take_url(BASICS, attempt_id, "/autosave"),
        data="x",
        headers={"X-CSRFToken": token, "Content-Type": "text/plain"},
    )
    assert not_json.status_code == 400
    assert load(app, attempt_id).answers == {}


def test_autosave_from_a_stale_tab_is_a_409(app, client, learner, quizzes):
    """Another tab saved meanwhile: the old tab's change is refused with a "reload" message and nothing lost."""
    attempt_id = start(client)
    row = load(app, attempt_id)
    quiz = quizzes[BASICS]
    token = csrf_token(client, "/")
    first = {"revision": 0, "shown": ["basics-single"], "fields": fields_for(quiz, row.layout[0])}
    assert autosave(client, BASICS, attempt_id, first, token).status_code == 200
    again = autosave(client, BASICS, attempt_id, first, token)  # a retried request changing nothing is fine
    assert again.status_code == 200 and again.get_json()["revision"] == 1
    other = {"revision": 0, "shown": ["basics-single"], "fields": fields_for(quiz, row.layout[0], right=False)}
    stale = autosave(client, BASICS, attempt_id, other, token)
    assert stale.status_code == 409
    assert stale.get_json()["error"]["reason"] == "stale" and "reload" in stale.get_json()["error"]["message"]
    assert load(app, attempt_id).answers == {"basics-single": "a"}


def test_autosave_after_the_time_limit_is_refused(app, client, learner, quizzes, clock):
    """A late autosave gets 409 "closed" with the result URL; the attempt is graded with what was saved."""
    attempt_id = start(client, WASTE)
    row = load(app, attempt_id)
    clock.advance(minutes=21)
    body = {"revision": 0, "shown": [row.layout[0]["id"]], "fields": fields_for(quizzes[WASTE], row.layout[0])}
    response = autosave(client, WASTE, attempt_id, body)
    assert response.status_code == 409
    reply = response.get_json()
    assert reply["error"]["reason"] == "closed" and "Time is up" in reply["error"]["message"]
    assert reply["result_url"] == take_url(WASTE, attempt_id, "/result")
    assert load(app, attempt_id).status == "expired" and load(app, attempt_id).answers == {}


def test_autosave_needs_the_csrf_header(app, client, learner):
    """Without the X-CSRFToken header the autosave is refused with 400 and saves nothing."""
    attempt_id = start(client)
    response = client.post(
        take_url(BASICS, attempt_id, "/autosave"),
        headers={"Accept": "application/json"},
        json={"revision": 0, "shown": ["basics-single"], "fields": {}},
    )
    assert response.status_code == 400 and "expired" in response.get_json()["error"]["message"]
