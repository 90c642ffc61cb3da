"""Both real courses can be completed end to end in a browser (JavaScript off), earning their certificates."""

from __future__ import annotations

import re
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


def _open_attempt(app, user_id: int, quiz_slug: str) -> tuple[list[dict], dict]:
    """The learner's open attempt: its drawn layout and the answers saved so far."""
    from greencustoms.quiz.attempts import open_attempt

    with app.app_context():
        attempt = open_attempt(user_id, quiz_slug)
        return attempt.questions, dict(attempt.answers)


def _answer_page(page, app, user_id: int, quiz) -> tuple[set[str], bool]:
    """Answer every question shown on this page correctly, as a learner who knows the course would. Returns the
    question types answered, and whether a scenario step was decided (its page then holds the next step)."""
    layout, answers = _open_attempt(app, user_id, quiz.slug)
    shown = set(page.locator('input[name="shown"]').evaluate_all("nodes => nodes.map(n => n.value)"))
    kinds, decided = set(), False
    for entry in (entry for entry in layout if entry["id"] in shown):
        fields = fields_for(quiz, entry, saved=answers.get(entry["id"]))
        kinds.add(entry["type"])
        decided = decided or (entry["type"] == "scenario" and bool(fields))
        for name, values in fields.items():
            field = page.locator(f'[name="{name}"]').first
            kind = field.evaluate("node => node.tagName.toLowerCase() + ':' + (node.type || '')")
            if kind.endswith((":radio", ":checkbox")):
                for value in values:
                    page.locator(f'[name="{name}"][value="{value}"]').check()
            elif kind.startswith("select"):
                field.select_option(values[0])
            else:
                field.fill(values[0])
    return kinds, decided


ENGLISH = {
    label: label
    for label in (
        "Start the quiz",
        "Start a new attempt",
        "Decide and go on",
        "Save and continue",
        "Save and review",
        "Submit my answers",
        "Mark as complete",
        "Mark as complete and continue",
        "Download PDF",
        "Public verification page",
        "Valid.",
    )
}


def _labels(app, language: str) -> dict[str, str]:
    """The interface words these journeys click, in `language` (from the shipped catalogue)."""
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale(language):
        return {english: gettext(english) for english in ENGLISH}


def _exactly(*labels: str) -> re.Pattern[str]:
    return re.compile("^(" + "|".join(re.escape(label) for label in labels) + ")$")


def _pass_quiz(page, base: str, app, user_id: int, quiz, labels=ENGLISH) -> set[str]:
    """Start an attempt, answer it page by page (scenarios step by step) and pass; returns the types answered.
    `quiz` is the quiz in the language the attempt is taken in (matching and ordering answers name its items)."""
    page.goto(f"{base}/quizzes/{quiz.slug}")
    page.get_by_role("button", name=_exactly(labels["Start the quiz"], labels["Start a new attempt"])).click()
    answered: set[str] = set()
    while True:
        kinds, decided = _answer_page(page, app, user_id, quiz)
        answered |= kinds
        if decided:
            page.get_by_role("button", name=labels["Decide and go on"]).first.click()
            continue
        forward = page.get_by_role("button", name=labels["Save and continue"])
        if forward.count():
            forward.click()
            continue
        page.get_by_role("button", name=labels["Save and review"]).click()
        break
    page.get_by_role("button", name=labels["Submit my answers"]).click()
    assert _result_details(app, user_id, quiz.slug)["passed"], (
        f"{quiz.slug}: {_result_details(app, user_id, quiz.slug)}"
    )
    return answered


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
        return {
            "passed": attempt.passed,
            "score": attempt.score,
            "results": attempt.results,
            "answers": attempt.answers,
        }


def test_both_courses_completed_in_the_browser_earn_certificates(curriculum_server, browser):
    """A learner reads every lesson, passes every module quiz (deciding a scenario and checking a document in
    each course) and both final exams, and gets two certificates."""
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
        practised: set[str] = set()
        for quiz in catalog.quizzes_of(slug):
            practised |= _pass_quiz(page, base, app, user_id, quiz)
        # Each course's learner decides a whole scenario and checks a document. A module quiz draws 8 questions;
        # a retake draws the ones not seen yet, so three retakes of a module show its whole bank.
        for quiz in [q for q in catalog.quizzes_of(slug) if not q.course_slug] * 3:
            if {"scenario", "document_check"} <= practised:
                break
            practised |= _pass_quiz(page, base, app, user_id, quiz)
        assert {"scenario", "document_check"} <= practised, (slug, practised)

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


def test_foundations_completed_in_arabic_earns_the_certificate(curriculum_server, browser):
    """A learner whose language is Arabic studies Green Customs Foundations in Arabic (right to left, no English
    fallback anywhere), passes every quiz in Arabic and the final, and gets a certificate printing the Arabic
    course title, which the verification page confirms."""
    from greencustoms.content import get_catalog
    from greencustoms.extensions import db
    from greencustoms.models import User

    app, base = curriculum_server
    slug = "green-customs-foundations"
    user_id = AuthActions(app, app.test_client()).create(email="layla@example.org", name="ليلى حداد")
    with app.app_context():
        db.session.get(User, user_id).language = "ar"
        db.session.commit()
        arabic = get_catalog().localized("ar")
    labels = _labels(app, "ar")
    assert labels["Save and continue"] != "Save and continue"  # the catalogue is there: the journey is in Arabic
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, base, "layla@example.org")

    course = arabic.course(slug)
    page.goto(f"{base}/courses/{slug}")
    assert page.locator("html").get_attribute("dir") == "rtl" and course.title in page.content()
    for _module, lesson in arabic.lesson_sequence(slug):
        page.goto(f"{base}/courses/{slug}/{lesson.module_slug}/{lesson.slug}")
        assert lesson.title in page.content()
        assert page.locator('main [lang="en"]:not(button)').count() == 0, f"{lesson.slug} fell back to English"
        mark = page.get_by_role("button", name=labels["Mark as complete"])
        (mark if mark.count() else page.get_by_role("button", name=labels["Mark as complete and continue"])).click()
    for quiz in arabic.quizzes_of(slug):
        _pass_quiz(page, base, app, user_id, quiz, labels)

    page.goto(base + "/me")
    assert course.title in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name=labels["Download PDF"]).first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_role("link", name=labels["Public verification page"]).first.click()
    verification = page.content()
    assert labels["Valid."] in verification and "ليلى حداد" in verification and course.title in verification
    context.close()
