"""Finals that certify: attempt limits with a wait, the key withheld until passed or no attempt left (the score
and topics to revise meanwhile), retakes drawing unseen questions, and the rules said plainly."""

from __future__ import annotations

import random
from dataclasses import replace

from greencustoms.content import get_catalog
from greencustoms.content.catalog import MEA_LABELS
from greencustoms.quiz.draw import draw_questions
from tests.quiz.helpers import WASTE, answer_all, load, start, take_url
from tests.quiz.test_review import secrets_of, signed_in

CERTIFYING = {
    "quizzes/demo-waste.yaml": [
        ("show: wrong\n  when: passed", "show: explanations\n  when: passed_or_last_attempt"),
        ("wait_minutes: 0", "wait_minutes: 1440"),
    ]
}


def test_a_retake_draws_the_questions_not_seen_first(quizzes):
    """With seen ids, the draw takes unseen questions first (balanced or not), then tops up with seen ones."""
    waste = quizzes[WASTE]  # 7 questions, draw 5, balanced by difficulty
    first = {q.id for q in draw_questions(waste, random.Random(1))}
    for seed in range(20):
        second = {q.id for q in draw_questions(waste, random.Random(seed), seen=first)}
        assert {q.id for q in waste.questions} - first <= second and len(second) == 5
    plain = replace(quizzes["demo-basics"], draw=3, balance_by=None)
    seen = {q.id for q in plain.questions[:4]}
    for seed in range(20):
        assert not seen & {q.id for q in draw_questions(plain, random.Random(seed), seen=seen)}


def test_the_key_is_withheld_until_passed_or_no_attempt_left(other_app, edited_content, clock):
    """A failed attempt shows the score and the topics to revise, never a question or an answer; the next
    attempt waits 24 hours and draws unseen questions; after the third failure everything is shown."""
    edited, client = signed_in(other_app, edited_content(CERTIFYING))
    edited.config["QUIZ_CLOCK"] = clock
    with edited.app_context():
        quiz = get_catalog().quizzes[WASTE]
    intro = client.get(f"/quizzes/{WASTE}").get_data(as_text=True)
    assert "wait 24 hours" in intro and "the topics to revise, not the answers" in intro
    assert "questions you have not seen yet" in intro and "Attempts allowed: 3." in intro
    first = answer_all(edited, client, quiz, start(client, WASTE), right=False)
    page = client.get(take_url(WASTE, first.id, "/result")).get_data(as_text=True)
    assert "Topics to revise" in page
    for drawn in first.layout:  # every drawn question was answered wrongly: its topic is listed
        tags = quiz.question(drawn["id"]).tags
        assert f"{MEA_LABELS[tags['mea']]}: {tags['topic']}</li>" in page
    assert "Correct answer" not in page and "Question 1:" not in page
    assert not [text for text in secrets_of(quiz) if text in page]
    refused = client.get(f"/quizzes/{WASTE}").get_data(as_text=True)
    assert "You can start your next attempt on 2026-03-03 at" in refused
    clock.advance(hours=24, minutes=1)
    second = answer_all(edited, client, quiz, start(client, WASTE), right=False)
    unseen = {q.id for q in quiz.questions} - {e["id"] for e in first.layout}
    assert unseen <= {e["id"] for e in load(edited, second.id).layout}
    clock.advance(hours=24, minutes=1)
    third = answer_all(edited, client, quiz, start(client, WASTE), right=False)
    for attempt in (first, second, third):
        page = client.get(take_url(WASTE, attempt.id, "/result")).get_data(as_text=True)
        assert "Correct answer" in page and "Topics to revise" not in page
    clock.advance(days=2)
    assert "You have used all 3 attempts" in client.get(f"/quizzes/{WASTE}").get_data(as_text=True)


def test_a_pass_reveals_the_key_at_once(other_app, edited_content, clock):
    """Passing (here on the first attempt) shows the answers and explanations straight away."""
    edited, client = signed_in(other_app, edited_content(CERTIFYING))
    edited.config["QUIZ_CLOCK"] = clock
    with edited.app_context():
        quiz = get_catalog().quizzes[WASTE]
    passed = answer_all(edited, client, quiz, start(client, WASTE), right=True)
    page = client.get(take_url(WASTE, passed.id, "/result")).get_data(as_text=True)
    assert "Correct answer" in page and "Topics to revise" not in page


def test_shipped_finals_certify_and_module_quizzes_stay_practice_friendly():
    """Both finals: 3 attempts, 24 hours apart, key withheld until passed, draw at most half the pool; module
    quizzes keep unlimited attempts with answers shown at once."""
    from pathlib import Path

    from greencustoms.content.loader import load_catalog

    catalog = load_catalog(Path(__file__).resolve().parents[2])
    finals = {course.final_quiz_slug for course in catalog.courses.values()}
    for quiz in catalog.quizzes.values():
        if quiz.slug in finals:
            assert (quiz.max_attempts, quiz.wait_minutes, quiz.review_when) == (3, 1440, "passed_or_last_attempt")
            assert 2 * quiz.draw <= len(quiz.questions)
        else:
            assert quiz.max_attempts is None and quiz.review_when == "immediately", quiz.slug
