"""Editing the bank never changes a past result; a review says when a question has since changed."""

from __future__ import annotations

from greencustoms.content import get_catalog
from greencustoms.quiz.results import best_results
from tests.conftest import PASSWORD, AuthActions
from tests.quiz.helpers import BASICS, answer_all, answer_form, load, post_page, start, submit, take_url

ORDERING_BLOCK = """  - id: basics-ordering
    type: ordering
    prompt: Put the steps in order.
    items: [Notification, Consent, Shipment, Confirmation of disposal]
    explanation: Notify, get consent, ship, confirm disposal.
    reference: "Basel Convention, Art. 6"
    tags: {mea: basel, topic: procedure, difficulty: medium}
"""


def sign_in_again(other_app, root):
    edited = other_app(CONTENT_ROOT=str(root))
    client = edited.test_client()
    AuthActions(edited, client).login(password=PASSWORD)
    return edited, client


def test_edited_question_keeps_the_stored_result(app, client, learner, quizzes, other_app, edited_content):
    """After the key and wording of a question change, the old attempt keeps its score and marks, says the
    question has changed, and still shows the learner's stored answer."""
    row = answer_all(app, client, quizzes[BASICS], start(client))
    assert row.score == 100.0
    root = edited_content(
        {
            "quizzes/demo-basics.yaml": [
                ("text: A movement document\n        correct: true\n", "text: A movement document\n"),
                ("text: A CITES permit\n", "text: A CITES permit\n        correct: true\n"),
                ("Which document travels with", "Which single document travels with"),
            ]
        }
    )
    edited, other_client = sign_in_again(other_app, root)
    page = other_client.get(take_url(BASICS, row.id, "/result")).get_data(as_text=True)
    assert "Score: 100%" in page and "Question 1: right" in page
    assert "This question has since been changed" in page and "Which single document" in page
    answer = page.split("<h3>Your answer</h3>", 1)[1].split("</ul>", 1)[0]
    assert "A movement document" in answer
    assert page.count("has since been changed") == 1
    with edited.app_context():
        assert best_results(row.user_id, [BASICS])[BASICS].best_score == 100.0
        assert get_catalog().quizzes[BASICS].question("basics-single").version != row.layout[0]["v"]
    assert load(app, row.id).results == row.results


def test_question_removed_during_an_attempt_is_left_out(app, client, learner, quizzes, other_app, edited_content):
    """A question deleted from the bank while an attempt is open is not shown and not counted in the score."""
    quiz = quizzes[BASICS]
    attempt_id = start(client)
    row = load(app, attempt_id)
    post_page(client, BASICS, attempt_id, answer_form(quiz, row.layout[:6], row.revision))
    root = edited_content({"quizzes/demo-basics.yaml": [(ORDERING_BLOCK, ""), ("draw: 7", "draw: 6")]})
    edited, other_client = sign_in_again(other_app, root)
    page = other_client.get(take_url(BASICS, attempt_id) + "?page=2").get_data(as_text=True)
    assert "basics-ordering" not in page and "6 of 6 answered" in page
    assert submit(other_client, BASICS, attempt_id, 1).status_code == 303
    graded = load(edited, attempt_id)
    assert graded.score == 100.0 and "basics-ordering" not in graded.results
    result = other_client.get(take_url(BASICS, attempt_id, "/result")).get_data(as_text=True)
    assert "This question has since been removed" in result and "not graded" in result
