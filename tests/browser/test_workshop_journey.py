"""A workshop in real browsers: the trainer (JavaScript on) creates it and watches the live grid while a
participant (JavaScript off, phone screen) joins with the code and reads a lesson; then sign-in slips."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.workshopkit import today

pytestmark = pytest.mark.browser


def test_workshop_join_live_grid_and_single_use_slip(live_server, browser, page, app, auth):
    """Create a workshop, join it with the code, complete a lesson, see it appear in the live grid without a
    reload; import a roster, print a slip, sign in with it once, and be refused the second time."""
    from playwright.sync_api import expect

    from greencustoms.content import get_catalog

    app.config["WORKSHOP_GRID_REFRESH_SECONDS"] = 1
    with app.app_context():
        _module, lesson = get_catalog().lesson_sequence("demo")[0]
    auth.create(email="trainer@example.org", name="Tess Trainer", role="trainer")
    auth.create(email="pat@example.org", name="Pat Participant")

    trainer_context = browser.new_context(java_script_enabled=True, viewport={"width": 1280, "height": 800})
    trainer = trainer_context.new_page()
    trainer.set_default_timeout(15_000)
    try:
        sign_in(trainer, live_server, "trainer@example.org")
        trainer.get_by_role("link", name="Workshops").click()
        trainer.get_by_role("link", name="New workshop").click()
        trainer.get_by_label("Course").select_option("demo")
        trainer.get_by_role("button", name="Continue").click()
        trainer.get_by_label("Title").fill("Mombasa port workshop")
        trainer.get_by_label("First day").fill(today().isoformat())
        trainer.get_by_label("Last day").fill((today() + timedelta(days=2)).isoformat())
        trainer.get_by_label("Place").fill("Mombasa")
        trainer.get_by_label("Basics: check your understanding").check()
        trainer.get_by_role("button", name="Create the workshop").click()
        code = trainer.locator("strong.code").inner_text()
        assert len(code) == 9 and code[4] == "-"
        trainer.get_by_role("navigation", name="Workshop").get_by_role("link", name="Progress").click()
        assert "No participant yet" in trainer.content()
        trainer.evaluate("window.notReloaded = true")

        page.goto(live_server + "/join")
        page.get_by_label("Join code").fill(code.lower())
        page.get_by_role("button", name="Find the workshop").click()
        page.get_by_role("link", name="Sign in to join").click()
        page.get_by_label("E-mail").fill("pat@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("main").get_by_role("button", name="Sign in").click()
        page.get_by_role("button", name="Join this workshop").click()
        assert "Welcome to “Mombasa port workshop”" in page.content()
        page.get_by_role("link", name=lesson.title).first.click()
        page.get_by_role("button", name="Mark as complete").click()
        assert "is marked as complete" in page.content()

        row = trainer.get_by_role("row", name="Pat Participant")
        expect(row.locator("td.yes")).to_have_count(1)  # waits for the grid's own refresh
        assert trainer.evaluate("window.notReloaded") is True
        trainer.screenshot(path=str(_artifacts() / "workshop-grid.png"), full_page=True)

        trainer.get_by_role("navigation", name="Workshop").get_by_role("link", name="Participants").click()
        trainer.get_by_role("link", name="Import a roster (CSV)").click()
        roster = "full name,e-mail,country,organisation\nNoor Haddad,,Jordan,Jordan Customs\n".encode("cp1252")
        trainer.get_by_label("Roster file (CSV)").set_input_files(
            {"name": "roster.csv", "mimeType": "text/csv", "buffer": roster}
        )
        trainer.get_by_role("button", name="Import").click()
        assert "1 accounts created" in trainer.content()
        trainer.get_by_label("Sign-in slip for Noor Haddad").check()
        trainer.get_by_role("button", name="Print sign-in slips").click()
        token = trainer.locator(".slip-token strong").inner_text()
        assert trainer.locator(".slip-qr svg").count() == 1
    finally:
        trainer_context.close()

    page.get_by_role("button", name="Sign out").click()
    page.goto(live_server + "/slip")
    page.get_by_label("Sign-in code").fill(token)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Sign in as Noor Haddad").click()
    page.get_by_label("New password").fill("amman citadel 2026")
    page.get_by_label("Repeat the password").fill("amman citadel 2026")
    page.get_by_role("button", name="Save my password").click()
    assert page.url.endswith("/me") and "Signed in as Noor Haddad" in page.content()

    second = browser.new_context(java_script_enabled=False)
    try:
        again = second.new_page()
        again.goto(live_server + "/slip/" + token.replace("-", ""))
        assert "already been used" in again.content()
        assert again.get_by_role("button", name="Sign in as Noor Haddad").count() == 0
    finally:
        second.close()


def _artifacts():
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "test-results"
    path.mkdir(exist_ok=True)
    return path
