"""The review policy: what a result page reveals (score / wrong answers / explanations) and when."""

from __future__ import annotations

from dataclasses import replace

import pytest

from greencustoms.content import get_catalog
from greencustoms.quiz.review import EXPLANATIONS, SCORE, WRONG, review_level
from tests.conftest import AuthActions
from tests.quiz.helpers import BASICS, WASTE, answer_all, answer_form, load, post_page, start, submit, take_url


@pytest.mark.parametrize(
    "show, when, has_passed, left, expected",
    [
        ("score", "immediately", True, 0, SCORE),
        ("wrong", "immediately", False, None, WRONG),
        ("explanations", "immediately", False, 2, EXPLANATIONS),
        ("wrong", "passed", False, 0, SCORE),
        ("wrong", "passed", True, 2, WRONG),
        ("explanations", "passed", True, None, EXPLANATIONS),
        ("explanations", "last_attempt", True, 1, SCORE),
        ("explanations", "last_attempt", False, None, SCORE),
        ("explanations", "last_attempt", False, 0, EXPLANATIONS),
        ("wrong", "last_attempt", False, 0, WRONG),
    ],
)
def test_review_level_follows_show_and_when(app, show, when, has_passed, left, expected):
    """review.show caps what is revealed; review.when decides if the cap is reached yet (else the score only)."""
    with app.app_context():
        quiz = replace(get_catalog().quizzes[BASICS], review_show=show, review_when=when)
    assert review_level(quiz, has_passed=has_passed, attempts_left=left) == expected


def secrets_of(quiz) -> list[str]:
    """Texts that only a review may show: explanations, option feedback, and each question's prompt."""
    texts = []
    for question in quiz.questions:
        texts += [question.explanation_html, question.prompt_html]
        texts += [option.feedback_html for option in question.options if option.feedback_html]
    return texts


def test_explanations_immediately_show_answers_feedback_and_explanations(app, client, learner, quizzes):
    """Review "explanations, immediately": each question with the learner's answer, the key, feedback, explanation."""
    quiz = quizzes[BASICS]
    attempt_id = start(client)
    row = load(app, attempt_id)
    post_page(client, BASICS, attempt_id, answer_form(quiz, row.layout, row.revision, right=False))
    submit(client, BASICS, attempt_id, 1)
    page = client.get(take_url(BASICS, attempt_id, "/result")).get_data(as_text=True)
    assert "Score: 0%" in page and "Question 1: wrong" in page
    assert "Your answer" in page and "A CITES permit" in page and "Correct answer" in page
    assert "CITES permits cover wildlife, not waste." in page
    assert "The <strong>movement document</strong> accompanies the shipment." in page
    assert "Source: Basel Convention, Art. 4(7)(c)" in page
    assert "60 days" in page and "Notification → Exporter" in page and "1. Notification" in page


def test_wrong_once_passed_reveals_nothing_before_a_pass(app, client, learner, quizzes):
    """Review "wrong, passed": a failed attempt shows the score only; after a pass, marks and answers but never the
    correct answers or explanations."""
    quiz = quizzes[WASTE]
    failed = answer_all(app, client, quiz, start(client, WASTE), right=False)
    early = client.get(take_url(WASTE, failed.id, "/result")).get_data(as_text=True)
    assert "Score: 0%" in early and "once you have passed" in early
    assert "Question 1" not in early and "<h3>Your answer</h3>" not in early
    assert not [text for text in secrets_of(quiz) if text in early]
    passed = answer_all(app, client, quiz, start(client, WASTE), right=True)
    late = client.get(take_url(WASTE, passed.id, "/result")).get_data(as_text=True)
    assert "Question 1: right" in late and "Your answer" in late
    assert "Correct answer" not in late
    assert not [q.explanation_html for q in quiz.questions if q.explanation_html in late]
    earlier = client.get(take_url(WASTE, failed.id, "/result")).get_data(as_text=True)
    assert "Question 1: wrong" in earlier and "Correct answer" not in earlier


def signed_in(other_app, root):
    edited = other_app(CONTENT_ROOT=str(root))
    client = edited.test_client()
    auth = AuthActions(edited, client)
    auth.create()
    auth.login()
    return edited, client


def test_last_attempt_reveals_only_after_the_last_allowed_attempt(other_app, edited_content):
    """Review "explanations, last_attempt": nothing before the last of the 3 attempts, everything after it."""
    root = edited_content(
        {"quizzes/demo-waste.yaml": [("show: wrong\n  when: passed", "show: explanations\n  when: last_attempt")]}
    )
    edited, client = signed_in(other_app, root)
    with edited.app_context():
        quiz = get_catalog().quizzes[WASTE]
    ids = []
    for number in range(3):
        ids.append(answer_all(edited, client, quiz, start(client, WASTE), right=number == 1).id)
        if number < 2:
            page = client.get(take_url(WASTE, ids[-1], "/result")).get_data(as_text=True)
            assert "after your last allowed attempt" in page and "Correct answer" not in page
            assert not [text for text in secrets_of(quiz) if text in page]
    for attempt_id in ids:
        page = client.get(take_url(WASTE, attempt_id, "/result")).get_data(as_text=True)
        assert "Correct answer" in page and "Question 1:" in page


def test_score_only_never_reveals_questions(other_app, edited_content):
    """Review "score": the result shows the score and pass/fail, never a question, answer or explanation."""
    root = edited_content(
        {"quizzes/demo-basics.yaml": [("shuffle_options: false\n", "shuffle_options: false\nreview:\n  show: score\n")]}
    )
    edited, client = signed_in(other_app, root)
    with edited.app_context():
        quiz = get_catalog().quizzes[BASICS]
    row = answer_all(edited, client, quiz, start(client), right=False)
    page = client.get(take_url(BASICS, row.id, "/result")).get_data(as_text=True)
    assert "Score: 0%" in page and "did not pass" in page
    assert "Question 1" not in page and "<h3>Your answer</h3>" not in page and "will be shown" not in page
    assert not [text for text in secrets_of(quiz) if text in page]
