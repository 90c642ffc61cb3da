"""A quiz in a real browser on a 360 px phone: start, answer half, close the page, come back, find the answers,
finish, submit and see the result the review policy allows; with JavaScript (autosave) and without."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import AuthActions

pytestmark = pytest.mark.browser


def saved_answers(app) -> dict:
    from greencustoms.extensions import db
    from greencustoms.models import QuizAttempt

    with app.app_context():
        attempt = db.session.execute(db.select(QuizAttempt)).scalar_one()
        return dict(attempt.answers)


def answer_first_half(page) -> None:
    page.get_by_label("A movement document", exact=True).check()
    page.get_by_label("Notification", exact=True).check()
    page.get_by_label("Movement document", exact=True).check()
    page.get_by_label("False", exact=True).check()


@pytest.mark.parametrize("javascript", [True, False], ids=["js-autosave", "no-js"])
def test_take_close_resume_submit(live_server, browser, app, javascript):
    """Answers survive closing the page (autosaved with JavaScript, saved by the page button without), the quiz
    resumes with them, and the submitted attempt shows score, correct answers and explanations."""
    AuthActions(app, app.test_client()).create(email="mai@example.org")
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 360, "height": 740})
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, live_server, "mai@example.org")

    page.goto(live_server + "/quizzes/demo-basics")
    page.get_by_role("button", name="Start the quiz").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Basics: check your understanding"
    answer_first_half(page)
    if javascript:
        # A locator assertion, not wait_for_function: the page's CSP forbids the eval that one would need.
        expect(page.locator("[data-answered]")).to_have_text(re.compile(r"^3 of 7"))
        assert page.locator("#save-status").inner_text() == "Saved"
    else:
        page.get_by_role("button", name="Save and continue").click()
        expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    assert set(saved_answers(app)) == {"basics-single", "basics-multiple", "basics-true-false"}
    page.close()

    page = context.new_page()
    page.goto(live_server + "/quizzes/demo-basics")
    page.get_by_role("link", name="Resume the quiz").click()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    assert page.get_by_label("A movement document", exact=True).is_checked()
    assert page.get_by_label("Notification", exact=True).is_checked()
    assert page.get_by_label("False", exact=True).is_checked()
    assert not page.get_by_label("Bill of sale for a car").is_checked()
    page.get_by_label("Your answer (a number)").fill("60")
    page.get_by_label("Your answer", exact=True).fill("Prior informed consent")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()

    matching = page.locator("fieldset", has_text="Match each document")
    matching.get_by_label("Notification").select_option(label="Exporter")
    matching.get_by_label("Movement document").select_option(label="Carrier")
    ordering = page.locator("fieldset", has_text="Put the steps in order")
    for position, item in enumerate(["Notification", "Consent", "Shipment", "Confirmation of disposal"], start=1):
        ordering.get_by_label(item, exact=True).select_option(str(position))
    page.get_by_role("button", name="Save and review").click()
    expect(page.get_by_text("Every question has an answer.")).to_be_visible()
    page.get_by_role("button", name="Submit my answers").click()

    expect(page.get_by_text("Score: 100%")).to_be_visible()
    expect(page.get_by_text("You passed")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Question 1: right"))).to_be_visible()
    assert "The <strong>movement document</strong> accompanies the shipment." in page.content()
    page.get_by_role("link", name="My learning").click()
    expect(page.get_by_role("heading", name="My quiz attempts")).to_be_visible()
    context.close()
