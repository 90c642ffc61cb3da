"""Studying a course in French in a real browser (JavaScript off, 360 px): the language is chosen on the course
page, a translated lesson reads in French, and the next, untranslated lesson falls back to English with a notice."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in
from tests.browser.test_rtl_arabic import _artifacts
from tests.conftest import AuthActions

pytestmark = pytest.mark.browser


def test_study_in_french_with_a_fallback_lesson(live_server, page, app):
    """Choose French for the demo course, read the French welcome lesson, complete it, and land on the
    documents lesson, shown in English under a notice; progress counts the completed lesson."""
    AuthActions(app, app.test_client()).create(email="fr@example.org", name="Camille Martin")
    sign_in(page, live_server, "fr@example.org")
    page.goto(live_server + "/courses/demo")
    page.get_by_label("Study this course in").select_option("fr")
    with page.expect_navigation():  # read the page that answers, not the one being left
        page.get_by_role("button", name="Change language").click()
    assert "You now study this course in French." in page.content()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Cours de démonstration")

    with page.expect_navigation():  # read the page that answers, not the one being left
        page.get_by_role("link", name="Bienvenue").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Bienvenue"
    assert page.locator(".notice.fallback").count() == 0
    french = page.locator(".prose").first  # French text inside an English page says so
    assert (french.get_attribute("lang"), french.get_attribute("dir")) == ("fr", "ltr")
    with page.expect_navigation():  # read the page that answers, not the one being left
        page.get_by_role("button", name="Mark as complete and continue").click()

    assert page.url.endswith("/courses/demo/demo-basics/documents")
    notice = page.locator(".notice.fallback")
    assert notice.inner_text() == "This part is not yet translated into French: it is shown in English."
    prose = page.locator(".prose").first  # English, like the page: no lang of its own
    assert prose.get_attribute("lang") is None and "Two documents" in prose.inner_text()
    page.screenshot(path=str(_artifacts() / "translated-fallback.png"), full_page=True)

    page.goto(live_server + "/courses/demo")
    assert "1/2" in page.content().replace(" ", "")
