"""The practical question types in a real browser on a 360 px phone, with JavaScript on and off; the code entry
is answered with the keyboard only."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import AuthActions

pytestmark = pytest.mark.browser
SLUG = "demo-practice"
WIDTH = 360


def saved(app) -> dict:
    from greencustoms.extensions import db
    from greencustoms.models import QuizAttempt

    with app.app_context():
        db.session.expire_all()
        return dict(db.session.execute(db.select(QuizAttempt)).scalar_one().answers)


def saved_soon(app, question_id: str, seconds: float = 10) -> dict:
    """The saved answers once `question_id` is among them (the save is a request that may still be on its way
    when the browser already shows the typed value), or as they are after `seconds`."""
    deadline = time.monotonic() + seconds
    answers = saved(app)
    while question_id not in answers and time.monotonic() < deadline:
        time.sleep(0.1)
        answers = saved(app)
    return answers


def open_quiz(live_server, browser, app, javascript):
    AuthActions(app, app.test_client()).create(email="ana@example.org")
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": WIDTH, "height": 740})
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, live_server, "ana@example.org")
    page.goto(f"{live_server}/quizzes/{SLUG}")
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Practical checks"))
    return context, page


def save(page, javascript, question_id, app, expected):
    """With JavaScript the change is autosaved; without, the page button saves it."""
    if javascript:
        expect(page.locator("#save-status")).to_have_text("Saved")
    else:
        with page.expect_navigation():  # the review page must have loaded before going back to the question
            page.get_by_role("button", name="Save and review").click()
        page.go_back()
    assert saved(app).get(question_id) == expected


def fits(page, locator) -> None:
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH + 1, box


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_document_check_in_the_browser(live_server, browser, app, javascript):
    """Both facsimiles fit a phone; ticking a box and picking why is saved (autosaved or by the button)."""
    context, page = open_quiz(live_server, browser, app, javascript)
    for title in ("Movement document (Basel Convention)", "Bill of lading"):
        fits(page, page.get_by_role("region", name=title))
    page.get_by_label("Wrong: Movement document (Basel Convention), 14. Waste identification (Basel Annex)").check()
    page.get_by_label("Why? (14. Waste identification (Basel Annex))").select_option(label="Not a valid or true entry")
    save(page, javascript, "practice-papers", app, {"movement/waste-code": "invalid"})
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_hotspot_in_the_browser(live_server, browser, app, javascript):
    """The image and its numbered markers fit a phone; picking a marker by its number is saved."""
    context, page = open_quiz(live_server, browser, app, javascript)
    figure = page.locator("figure.hotspot svg")
    expect(figure).to_be_visible()
    fits(page, figure)
    page.get_by_label("Marker 4", exact=True).check()
    save(page, javascript, "practice-label", app, ["panel"])
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_code_entry_with_the_keyboard_only(live_server, browser, app, javascript):
    """Tab to the code box, type the code, press Enter: the code is saved, whatever the spacing."""
    context, page = open_quiz(live_server, browser, app, javascript)
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.locator("input[name='a-practice-code']:focus").count():
            break
    else:
        pytest.fail("the code box cannot be reached with Tab")
    page.keyboard.type("3915 10")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Your code")).to_have_value("3915 10")
    assert saved_soon(app, "practice-code").get("practice-code") == "3915 10"
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_scenario_in_the_browser(live_server, browser, app, javascript):
    """One step at a time: a decision shows the next step, a reload keeps it, the last decision ends the case."""
    context, page = open_quiz(live_server, browser, app, javascript)
    expect(page.get_by_text("The container is at the terminal")).to_be_visible()
    page.get_by_label("Hold it for a physical inspection.").check()
    if javascript:
        page.wait_for_timeout(300)
        assert "practice-case" not in saved(app)  # a step is decided by its button, never by the radio
    page.get_by_role("button", name="Decide and go on").click()
    expect(page.get_by_text("Inside are bald tyres")).to_be_visible()
    page.reload()
    expect(page.get_by_text("Inside are bald tyres")).to_be_visible()
    expect(page.get_by_text("The container is at the terminal")).to_have_count(0)
    page.get_by_label("Seize and notify the competent authority.").check()
    page.get_by_role("button", name="Decide and go on").click()
    expect(page.get_by_text("This case is finished")).to_be_visible()
    assert saved(app)["practice-case"] == [["arrival", "inspect"], ["opened", "seize"]]
    context.close()
