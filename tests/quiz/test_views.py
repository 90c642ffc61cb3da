"""Quiz pages without JavaScript: intro, start, paginated saving, review-and-submit, result, /me, course page."""

from __future__ import annotations

import re

from tests.conftest import csrf_token, post_form
from tests.quiz.helpers import BASICS, WASTE, answer_all, answer_form, load, post_page, start, submit, take_url


def test_intro_shows_rules_and_invites_anonymous_visitors_to_sign_in(client, quizzes):
    """The intro lists draw, pass mark, time limit, attempts and review policy; anonymous users get a sign-in link."""
    page = client.get(f"/quizzes/{WASTE}").get_data(as_text=True)
    assert quizzes[WASTE].title in page
    for text in (
        "5 questions, drawn from a bank of 7",
        "60% or more",
        "20 minutes",
        "Attempts allowed: 3",
        "which answers were wrong",
        "once you have passed",
        "Sign in to take this quiz",
    ):
        assert text in page
    assert client.get("/quizzes/nope").status_code == 404


def test_start_then_resume_from_the_intro(client, learner):
    """Start is a POST leading to the take page; coming back to the intro offers to resume the same attempt."""
    assert "Start the quiz" in client.get(f"/quizzes/{BASICS}").get_data(as_text=True)
    assert client.get(f"/quizzes/{BASICS}/start").status_code == 404
    attempt_id = start(client)
    page = client.get(f"/quizzes/{BASICS}").get_data(as_text=True)
    assert "Resume the quiz" in page and f'href="{take_url(BASICS, attempt_id)}"' in page
    assert start(client) == attempt_id


def test_pages_save_without_javascript_and_keep_answers(app, client, learner, quizzes):
    """ "Save and continue" stores the page's answers on the server and shows the next page; going back shows them."""
    quiz = quizzes[BASICS]
    attempt_id = start(client)
    row = load(app, attempt_id)
    response = post_page(client, BASICS, attempt_id, answer_form(quiz, row.layout[:5], row.revision, go="next"))
    assert response.status_code == 303 and response.headers["Location"] == take_url(BASICS, attempt_id) + "?page=2"
    saved = load(app, attempt_id)
    assert saved.revision == 1 and set(saved.answers) == {entry["id"] for entry in row.layout[:5]}
    page_two = client.get(take_url(BASICS, attempt_id) + "?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in page_two and "5 of 7 answered" in page_two and "Save and review" in page_two
    first = client.get(take_url(BASICS, attempt_id)).get_data(as_text=True)
    single_token = next(t for t, option in row.layout[0]["options"] if option == "a")
    assert f'value="{single_token}" checked' in first
    assert 'value="60"' in first


def test_previous_and_review_buttons(app, client, learner, quizzes):
    """ "Previous" saves and goes back a page; "Save and review" leads to the submit page listing what is missing."""
    quiz = quizzes[BASICS]
    attempt_id = start(client)
    row = load(app, attempt_id)
    data = answer_form(quiz, row.layout[5:], row.revision, go="previous", page="2")
    response = post_page(client, BASICS, attempt_id, data)
    assert response.headers["Location"] == take_url(BASICS, attempt_id) + "?page=1"
    data = answer_form(quiz, [], row.revision + 1, go="review", page="1")
    response = post_page(client, BASICS, attempt_id, data)
    assert response.headers["Location"] == take_url(BASICS, attempt_id, "/submit")
    confirm = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You have answered 2 of 7 questions." in confirm
    for position in range(1, 6):
        assert f'?page=1#q-{position}">Question {position}</a>' in confirm
    assert "#q-6" not in confirm and "Submit my answers" in confirm


def test_submit_shows_the_result_and_history(app, client, learner, quizzes):
    """Submitting grades the attempt; the result page, /me and the course page show the score."""
    row = answer_all(app, client, quizzes[BASICS], start(client))
    assert (row.status, row.score, row.passed) == ("submitted", 100.0, True)
    result = client.get(take_url(BASICS, row.id, "/result")).get_data(as_text=True)
    assert "Score: 100%" in result and "You passed" in result
    me = client.get("/me").get_data(as_text=True)
    assert "My quiz attempts" in me and quizzes[BASICS].title in me and "100%" in me
    assert f'href="{take_url(BASICS, row.id, "/result")}"' in me
    course = client.get("/courses/demo").get_data(as_text=True)
    assert f'href="/quizzes/{BASICS}"' in course and "best result 100%" in course
    assert f'href="/quizzes/{WASTE}"' in course and "not taken yet" in course
    assert client.get(take_url(BASICS, row.id)).headers["Location"].endswith("/result")


def test_result_of_an_open_attempt_leads_back_to_it(client, learner):
    """An attempt in progress has no result yet: its result URL leads to the take page."""
    attempt_id = start(client)
    response = client.get(take_url(BASICS, attempt_id, "/result"))
    assert response.status_code == 302 and response.headers["Location"] == take_url(BASICS, attempt_id)


def test_invalid_number_is_a_400_that_keeps_what_was_typed(app, client, learner, quizzes):
    """A non-numeric answer re-shows the page with 400 and a message at the question; the rest of the page is saved."""
    quiz = quizzes[BASICS]
    attempt_id = start(client)
    row = load(app, attempt_id)
    data = answer_form(quiz, row.layout[:5], row.revision, **{"a-basics-numeric": "sixty"})
    response = post_page(client, BASICS, attempt_id, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'role="alert"' in page and "Enter a number" in page and 'value="sixty"' in page
    assert 'aria-invalid="true"' in page and 'href="#q-4"' in page
    assert set(load(app, attempt_id).answers) == {
        "basics-single",
        "basics-multiple",
        "basics-true-false",
        "basics-short-text",
    }


def test_tampered_and_foreign_answers_are_400_never_500(app, client, learner, quizzes):
    """A forged option token, an answer for a question not in the attempt, an over-long text: 400 with a message."""
    attempt_id = start(client)
    row = load(app, attempt_id)
    token = csrf_token(client, "/")
    cases = [
        {"shown": ["basics-single"], "a-basics-single": "forged"},
        {"shown": ["basics-single"], "a-waste-single": "x"},
        {"shown": ["not-in-attempt"]},
        {"shown": ["basics-short-text"], "a-basics-short-text": "x" * 501},
    ]
    for fields in cases:
        response = post_page(client, BASICS, attempt_id, {"revision": str(row.revision), **fields}, token)
        assert response.status_code == 400, fields
        assert "flash-error" in response.get_data(as_text=True)
    no_revision = post_page(client, BASICS, attempt_id, {"shown": ["basics-single"]}, token)
    assert no_revision.status_code == 400 and "Reload the page" in no_revision.get_data(as_text=True)
    assert load(app, attempt_id).answers == {}


def test_stale_page_is_refused_with_409_and_keeps_saved_answers(app, client, learner, quizzes):
    """A page from an older revision that would change answers gets 409 and a reload link; nothing is lost."""
    quiz = quizzes[BASICS]
    attempt_id = start(client)
    row = load(app, attempt_id)
    post_page(client, BASICS, attempt_id, answer_form(quiz, row.layout[:1], row.revision))
    stale = post_page(client, BASICS, attempt_id, answer_form(quiz, row.layout[:1], row.revision, right=False))
    assert stale.status_code == 409 and "another window or tab" in stale.get_data(as_text=True)
    assert f'href="{take_url(BASICS, attempt_id)}"' in stale.get_data(as_text=True)
    stale_submit = submit(client, BASICS, attempt_id, row.revision)
    assert stale_submit.status_code == 409
    after = load(app, attempt_id)
    assert after.status == "in_progress" and after.answers == {"basics-single": "a"}


def test_double_submit_gives_one_result(app, client, learner, quizzes, graded_signals):
    """Pressing Submit twice: both land on the same result, graded once."""
    attempt_id = start(client)
    first = submit(client, BASICS, attempt_id, 0)
    second = submit(client, BASICS, attempt_id, 0)
    assert first.headers["Location"] == second.headers["Location"] == take_url(BASICS, attempt_id, "/result")
    assert len(graded_signals) == 1 and graded_signals[0]["sender"] is app


def test_time_up_refuses_late_saves_and_shows_the_result(app, client, learner, quizzes, clock):
    """After deadline + grace, a page save is not stored: the learner lands on the result with a clear message."""
    quiz = quizzes[WASTE]
    attempt_id = start(client, WASTE)
    row = load(app, attempt_id)
    post_page(client, WASTE, attempt_id, answer_form(quiz, row.layout[:1], row.revision))
    clock.advance(minutes=20, seconds=31)
    response = post_page(client, WASTE, attempt_id, answer_form(quiz, row.layout, row.revision + 1))
    assert response.status_code == 303 and response.headers["Location"].endswith("/result")
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Time is up" in result and "closed when the time was up" in result
    graded = load(app, attempt_id)
    assert graded.status == "expired" and list(graded.answers) == [row.layout[0]["id"]]


def test_open_attempt_past_its_time_is_closed_when_the_intro_is_visited(app, client, learner, clock):
    """Coming back after the time limit finds the attempt graded (lazily) and no Resume button."""
    attempt_id = start(client, WASTE)
    clock.advance(hours=3)
    page = client.get(f"/quizzes/{WASTE}").get_data(as_text=True)
    assert "Resume" not in page and "Start a new attempt" in page
    assert load(app, attempt_id).status == "expired"


def test_me_closes_an_attempt_past_its_time_before_listing_it(app, client, learner, clock):
    """/me lists an open attempt as resumable; after its time limit, as graded (closed on the way), not resumable."""
    attempt_id = start(client, WASTE)
    assert "In progress: resume" in client.get("/me").get_data(as_text=True)
    assert load(app, attempt_id).status == "in_progress"
    clock.advance(hours=3)
    page = client.get("/me").get_data(as_text=True)
    assert "In progress: resume" not in page and "not passed" in page
    assert load(app, attempt_id).status == "expired"


def test_attempt_limit_is_enforced_with_a_message(app, client, learner, quizzes):
    """After the last allowed attempt the intro says so and a forced start is refused with 409."""
    for _ in range(3):
        answer_all(app, client, quizzes[WASTE], start(client, WASTE), right=False)
    page = client.get(f"/quizzes/{WASTE}").get_data(as_text=True)
    assert "You have used all 3 attempts" in page and "Start" not in page.split("How this quiz works")[1]
    refused = post_form(client, f"/quizzes/{WASTE}", token_from="/")
    assert refused.status_code == 409 and "You have used all 3 attempts" in refused.get_data(as_text=True)


def test_quiz_pages_are_not_cached_and_small(client, learner):
    """Take pages carry Cache-Control: no-store and stay well under 30 kB of HTML."""
    attempt_id = start(client)
    response = client.get(take_url(BASICS, attempt_id))
    assert response.headers["Cache-Control"] == "no-store"
    assert len(response.data) < 30_000
    assert re.search(
        r'<script src="/static/js/quiz\.js\?v=[0-9a-f]{12}" defer></script>', response.get_data(as_text=True)
    )
