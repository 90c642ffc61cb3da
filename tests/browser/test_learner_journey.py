"""A learner's first visit in a real browser, on a 360 px phone screen with JavaScript off."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_register_login_read_lesson_and_see_progress(live_server, page, app):
    """Register, sign out and in again, open the course, read a lesson, mark it complete, see it on /me."""
    from greencustoms.content import get_catalog

    with app.app_context():
        course = get_catalog().course("demo")
        module, lesson = get_catalog().lesson_sequence("demo")[0]
        total = len(get_catalog().lesson_sequence("demo"))

    page.goto(live_server + "/")
    page.get_by_role("link", name="Register").click()
    page.get_by_label("Full name").fill("Nguyễn Thị Mai")
    page.get_by_label("E-mail").fill("mai@example.org")
    page.get_by_label("Password", exact=True).fill("mekong delta 2026")
    page.get_by_label("Repeat the password").fill("mekong delta 2026")
    page.get_by_label("Country").select_option("VN")
    page.get_by_label("Organisation").fill("General Department of Vietnam Customs")
    page.get_by_role("button", name="Create account").click()
    assert "Welcome, Nguyễn Thị Mai" in page.content()

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("E-mail").fill("mai@example.org")
    page.get_by_label("Password").fill("mekong delta 2026")
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    assert page.url.endswith("/me")

    page.get_by_role("link", name="Courses").first.click()
    page.get_by_role("link", name=course.title).click()
    page.get_by_role("link", name=lesson.title).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == lesson.title
    # Read again: the shared page, its gzip spliced around this reader's token (greencustoms.gzipsplice),
    # is decoded by the browser and its form works
    again = page.goto(page.url)
    assert again is not None and again.headers.get("content-encoding") == "gzip"
    assert page.get_by_role("heading", level=1).inner_text() == lesson.title
    page.get_by_role("button", name="Mark as complete").click()
    assert "is marked as complete" in page.content()

    page.get_by_role("link", name="My learning").click()
    expect(page.get_by_text(f"1 of {total} lessons done")).to_be_visible()
    page.screenshot(path=str(_artifacts() / "me.png"), full_page=True)


def test_keyboard_user_can_skip_to_content(live_server, page):
    """The first Tab stop is a visible skip link that moves focus to the main content."""
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.inner_text() == "Skip to content"
    assert focused.is_visible()


def _artifacts():
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "test-results"
    path.mkdir(exist_ok=True)
    return path
