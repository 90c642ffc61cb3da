"""Arabic in a real browser on a 360 px phone with JavaScript off: the language menu, right-to-left pages, and no
page wider than the screen (the catalogue, a lesson with a table, a quiz page, /me). Screenshots go to
test-results/ for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import serve, sign_in
from tests.conftest import AuthActions

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
WIDTH = 360


@pytest.fixture
def curriculum_server(other_app):
    """The platform serving the repository's real curriculum (long lessons, tables) on loopback."""
    app = other_app(CONTENT_ROOT=str(ROOT))
    with serve(app) as base:
        yield app, base


def _widest_lesson(app) -> str:
    """The address of a lesson of the foundations course that holds a table (the likeliest to be too wide)."""
    from greencustoms.content import get_catalog

    with app.app_context():
        sequence = get_catalog().lesson_sequence("green-customs-foundations")
        with_table = [(m, lesson) for m, lesson in sequence if "<table" in lesson.html] or list(sequence)
        module, lesson = with_table[0]
    return f"/courses/green-customs-foundations/{module.slug}/{lesson.slug}"


def _no_sideways_scroll(page, name: str) -> None:
    """The page is right to left, no wider than the screen, and a screenshot of it is kept."""
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.body.scrollWidth]")
    assert max(widths) <= WIDTH, (name, widths)
    page.screenshot(path=str(_artifacts() / f"rtl-ar-{name}.png"), full_page=True)


def test_arabic_pages_fit_a_phone_and_mirror(curriculum_server, page):
    """Switch to Arabic with the menu (no JavaScript); every page type stays within 360 px, right to left."""
    app, base = curriculum_server
    AuthActions(app, app.test_client()).create(email="ar@example.org", name="أمينة نجوروجي")
    sign_in(page, base, "ar@example.org")
    page.goto(base + "/")
    page.get_by_role("button", name="العربية").click()
    assert page.url == base + "/"
    assert page.get_by_role("link", name="الدورات").first.is_visible()
    _no_sideways_scroll(page, "catalogue")

    page.goto(base + "/courses/green-customs-foundations")
    _no_sideways_scroll(page, "course")
    page.goto(base + _widest_lesson(app))
    _no_sideways_scroll(page, "lesson")
    page.get_by_role("button", name="وضع علامة «مكتمل» والمتابعة").click()

    page.goto(base + "/quizzes/introduction-quiz")
    _no_sideways_scroll(page, "quiz-intro")
    page.get_by_role("button", name="ابدأ الاختبار").click()
    assert "/attempts/" in page.url
    _no_sideways_scroll(page, "quiz-take")

    page.goto(base + "/me")
    assert "أمينة نجوروجي" in page.content()
    _no_sideways_scroll(page, "me")
    page.goto(base + "/glossary")
    _no_sideways_scroll(page, "glossary")


def test_every_language_fits_a_phone_on_the_catalogue_and_sign_in(curriculum_server, page):
    """French and Spanish run longer than English: the header, menu and forms still fit 360 px."""
    _, base = curriculum_server
    for language in ("fr", "es", "ar"):
        page.context.add_cookies([{"name": "lang", "value": language, "url": base}])
        for path in ("/", "/login", "/register", "/certificates/"):
            page.goto(base + path)
            assert page.locator("html").get_attribute("lang") == language
            widths = page.evaluate("() => document.documentElement.scrollWidth")
            assert widths <= WIDTH, (language, path, widths)


def _artifacts() -> Path:
    path = ROOT / "test-results"
    path.mkdir(exist_ok=True)
    return path
