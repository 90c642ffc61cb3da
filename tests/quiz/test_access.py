"""Access: only the owner of an attempt can see or change it (404 for anyone else); CSRF on every POST."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token
from tests.quiz.helpers import BASICS, WASTE, load, start, take_url

ROUTES = [("get", ""), ("post", ""), ("post", "/autosave"), ("get", "/submit"), ("post", "/submit"), ("get", "/result")]


def call(client, method, url, token):
    if url.endswith("/autosave"):
        return client.post(url, json={"revision": 0, "shown": [], "fields": {}}, headers={"X-CSRFToken": token})
    if method == "post":
        return client.post(url, data={"csrf_token": token, "revision": "0", "shown": []})
    return client.get(url)


def test_another_learner_gets_404_on_every_route(app, client, auth):
    """Learner B gets 404 on learner A's attempt for every route, and A's attempt is unchanged."""
    auth.create(email="a@example.org")
    auth.create(email="b@example.org")
    auth.login(email="a@example.org")
    attempt_id = start(client)
    auth.logout()
    auth.login(email="b@example.org")
    token = csrf_token(client, "/")
    for method, suffix in ROUTES:
        assert call(client, method, take_url(BASICS, attempt_id, suffix), token).status_code == 404, suffix
        assert call(client, method, take_url(BASICS, attempt_id + 1000, suffix), token).status_code == 404, suffix
    row = load(app, attempt_id)
    assert (row.status, row.revision, row.answers) == ("in_progress", 0, {})


def test_attempt_under_another_quiz_url_is_404(client, learner):
    """The owner's own attempt id under another quiz's URL is 404 too: ids in URLs are never trusted alone."""
    attempt_id = start(client)
    token = csrf_token(client, "/")
    for method, suffix in ROUTES:
        assert call(client, method, take_url(WASTE, attempt_id, suffix), token).status_code == 404


@pytest.mark.parametrize("method, suffix", ROUTES)
def test_anonymous_visitors_are_sent_to_sign_in(client, method, suffix):
    """Every attempt route needs a signed-in user."""
    token = csrf_token(client, "/login")
    response = call(client, method, take_url(BASICS, 1, suffix), token)
    assert response.status_code in (302, 401) and "/login" in response.headers.get("Location", "/login")


def test_every_post_needs_the_csrf_token(app, client, learner):
    """Start, save page, autosave and submit without a CSRF token: 400, nothing changes."""
    attempt_id = start(client)
    responses = [
        client.post(f"/quizzes/{WASTE}"),
        client.post(take_url(BASICS, attempt_id), data={"revision": "0", "shown": ["basics-single"]}),
        client.post(take_url(BASICS, attempt_id, "/autosave"), json={"revision": 0, "shown": [], "fields": {}}),
        client.post(take_url(BASICS, attempt_id, "/submit"), data={"revision": "0"}),
    ]
    assert [response.status_code for response in responses] == [400, 400, 400, 400]
    row = load(app, attempt_id)
    assert (row.status, row.revision) == ("in_progress", 0)
    assert "Start the quiz" in client.get(f"/quizzes/{WASTE}").get_data(as_text=True)


def test_no_state_change_on_get(app, client, learner):
    """GET on the submit URL shows the confirmation page; it never submits."""
    attempt_id = start(client)
    assert client.get(take_url(BASICS, attempt_id, "/submit")).status_code == 200
    assert client.get(take_url(BASICS, attempt_id, "/autosave")).status_code == 405
    assert load(app, attempt_id).status == "in_progress"
