"""After a pass, the result page says where to go next: the next module, the final exam, or the certificate."""

from __future__ import annotations

import re

from greencustoms.content import get_catalog
from tests.conftest import post_form
from tests.quiz.helpers import BASICS, WASTE, answer_all, start


def _result(client, slug: str, attempt_id: int) -> str:
    return client.get(f"/quizzes/{slug}/attempts/{attempt_id}/result").get_data(as_text=True)


def _next_section(page: str) -> str | None:
    found = re.search(r'<section aria-labelledby="next-h".*?</section>', page, re.DOTALL)
    return found.group(0) if found else None


def test_passing_a_module_quiz_links_the_first_lesson_of_the_next_module(app, client, learner, quizzes):
    """demo-basics passed: the page offers demo-waste's first lesson in the demo course."""
    attempt = answer_all(app, client, quizzes[BASICS], start(client, BASICS))
    assert attempt.passed
    section = _next_section(_result(client, BASICS, attempt.id))
    assert section is not None
    with app.app_context():
        first = get_catalog().modules["demo-waste"].lessons[0].slug
    assert f'href="/courses/demo/demo-waste/{first}"' in section
    assert "Recognising hazardous waste" in section


def test_a_failed_attempt_offers_no_next_step(app, client, learner, quizzes):
    """Below the pass mark the learner is not sent on: the page shows the retry instead."""
    attempt = answer_all(app, client, quizzes[BASICS], start(client, BASICS), right=False)
    assert not attempt.passed
    assert _next_section(_result(client, BASICS, attempt.id)) is None


def test_the_last_quiz_of_a_course_points_to_the_certificate_or_what_is_left(app, client, learner, quizzes):
    """demo-waste is the demo course's last module and it has no final: with lessons still unread the page says
    what is left; once the course is complete it links the certificate on /me."""
    attempt = answer_all(app, client, quizzes[WASTE], start(client, WASTE))
    section = _next_section(_result(client, WASTE, attempt.id))
    assert section is not None and 'href="/courses/demo"' in section and "/me" not in section

    with app.app_context():
        sequence = get_catalog().lesson_sequence("demo")
    for module, lesson in sequence:
        url = f"/courses/demo/{module.slug}/{lesson.slug}"
        post_form(client, url + "/complete", token_from=url)
    answer_all(app, client, quizzes[BASICS], start(client, BASICS))
    again = answer_all(app, client, quizzes[WASTE], start(client, WASTE))
    section = _next_section(_result(client, WASTE, again.id))
    assert section is not None and 'href="/me#my-certificates"' in section
