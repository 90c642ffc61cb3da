"""On a 360 px phone no page of the real curriculum scrolls sideways; a wide table scrolls in its own box."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import serve, sign_in
from tests.conftest import AuthActions

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
WIDTH = 360
OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"


@pytest.fixture
def phone(browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": WIDTH, "height": 740})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _widths(page, url: str) -> tuple[int, int]:
    # Playwright's evaluate runs in its own world, so it measures even with the page's JavaScript off.
    page.goto(url)
    return tuple(page.evaluate(OVERFLOW))


def test_every_lesson_and_the_learner_pages_fit_a_phone(other_app, phone):
    """Each of the curriculum's lessons, the glossary, the catalogue, a quiz intro and /me are exactly 360 px wide."""
    from greencustoms.content import get_catalog

    app = other_app(CONTENT_ROOT=str(ROOT))
    AuthActions(app, app.test_client()).create(email="phone@example.org", name="Amina Diallo")
    with app.app_context():
        catalog = get_catalog()
        urls = {
            f"/courses/{course}/{lesson.module_slug}/{lesson.slug}"
            for course in catalog.courses
            for _module, lesson in catalog.lesson_sequence(course)
        }
        urls |= {"/", "/glossary", "/me"} | {f"/quizzes/{slug}" for slug in catalog.quizzes}
    assert len(urls) > 70
    with serve(app) as base:
        sign_in(phone, base, "phone@example.org")
        too_wide = {url: w for url in sorted(urls) if (w := _widths(phone, base + url))[0] > w[1]}
    assert too_wide == {}


def test_a_wide_table_is_reached_and_scrolled_by_keyboard(other_app, phone):
    """Tab reaches the table's box; an arrow key scrolls the box, not the page."""
    app = other_app()
    with serve(app) as base:
        phone.set_viewport_size({"width": 200, "height": 600})  # narrow enough that the demo table overflows
        phone.goto(base + "/courses/demo/demo-basics/documents")
        box = phone.locator(".table-scroll").first
        assert box.evaluate("n => n.scrollWidth > n.clientWidth")
        for _ in range(40):
            phone.keyboard.press("Tab")
            if box.evaluate("n => n === document.activeElement"):
                break
        else:
            pytest.fail("Tab never reached the table's scrolling box")
        phone.keyboard.press("ArrowRight")
        phone.wait_for_timeout(400)  # keyboard scrolling is animated
        assert box.evaluate("n => n.scrollLeft") > 0
        assert phone.evaluate("() => window.scrollX") == 0  # the box scrolled, not the page
