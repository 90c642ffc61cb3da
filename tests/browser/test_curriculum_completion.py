"""Both real courses can be completed end to end in a browser (JavaScript off), earning their certificates."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import serve, sign_in
from tests.conftest import AuthActions
from tests.quiz.helpers import fields_for

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
COURSES = ("green-customs-foundations", "hazardous-waste-inspection-at-seaports")


@pytest.fixture
def curriculum_server(other_app):
    """The platform serving the repository's real curriculum on loopback."""
    app = other_app(CONTENT_ROOT=str(ROOT))
    with serve(app) as base:
        yield app, base


def _open_attempt(app, user_id: int, quiz_slug: str) -> list[dict]:
    from greencustoms.quiz.service import open_attempt

    with app.app_context():
        return open_attempt(user_id, quiz_slug).questions


def _answer_page(page, app, quiz, layout: list[dict]) -> None:
    """Answer every question shown on this page correctly, as a learner who knows the course would."""
    shown = set(page.locator('input[name="shown"]').evaluate_all("nodes => nodes.map(n => n.value)"))
    for entry in (entry for entry in layout if entry["id"] in shown):
        for name, values in fields_for(quiz, entry).items():
            field = page.locator(f'[name="{name}"]').first
            kind = field.evaluate("node => node.tagName.toLowerCase() + ':' + (node.type || '')")
            if kind.endswith((":radio", ":checkbox")):
                for value in values:
                    page.locator(f'[name="{name}"][value="{value}"]').check()
            elif kind.startswith("select"):
                field.select_option(values[0])
            else:
                field.fill(values[0])


def _pass_quiz(page, base: str, app, user_id: int, quiz) -> None:
    page.goto(f"{base}/quizzes/{quiz.slug}")
    page.get_by_role("button", name="Start the quiz").click()
    layout = _open_attempt(app, user_id, quiz.slug)
    while True:
        _answer_page(page, app, quiz, layout)
        forward = page.get_by_role("button", name="Save and continue")
        if forward.count():
            forward.click()
            continue
        page.get_by_role("button", name="Save and review").click()
        break
    page.get_by_role("button", name="Submit my answers").click()
    assert "You passed" in page.content(), f"{quiz.slug}: {_result_details(app, user_id, quiz.slug)}"


def _result_details(app, user_id: int, quiz_slug: str) -> dict:
    """The graded attempt's per-question credits, to say which question a failure came from."""
    from greencustoms.extensions import db
    from greencustoms.models import QuizAttempt

    with app.app_context():
        attempt = (
            db.session.execute(
                db.select(QuizAttempt).filter_by(user_id=user_id, quiz_slug=quiz_slug).order_by(QuizAttempt.id.desc())
            )
            .scalars()
            .first()
        )
        return {"score": attempt.score, "results": attempt.results, "answers": attempt.answers}


def test_both_courses_completed_in_the_browser_earn_certificates(curriculum_server, browser):
    """A learner reads every lesson, passes every module quiz and both final exams, and gets two certificates."""
    from greencustoms.content import get_catalog

    app, base = curriculum_server
    user_id = AuthActions(app, app.test_client()).create(email="officer@example.org", name="Grace Wanjiku")
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, base, "officer@example.org")

    with app.app_context():
        catalog = get_catalog()
    catalogue = page.goto(base + "/") and page.content()
    for slug in COURSES:
        course = catalog.course(slug)
        assert course.title in catalogue
        assert f"{len(course.module_slugs)} modules" in catalogue
        for _module, lesson in catalog.lesson_sequence(slug):
            page.goto(f"{base}/courses/{slug}/{lesson.module_slug}/{lesson.slug}")
            if page.get_by_role("button", name="Mark as complete").count():
                page.get_by_role("button", name="Mark as complete").click()
            else:
                page.get_by_role("button", name="Mark as complete and continue").click()
        for quiz in catalog.quizzes_of(slug):
            _pass_quiz(page, base, app, user_id, quiz)

    page.goto(base + "/me")
    mine = page.content()
    for slug in COURSES:
        assert catalog.course(slug).title in mine
    links = page.get_by_role("link", name="Download PDF")
    assert links.count() == 2
    with page.expect_download() as download:
        links.first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_role("link", name="Public verification page").first.click()
    assert "Valid." in page.content() and "Grace Wanjiku" in page.content()
    context.close()
