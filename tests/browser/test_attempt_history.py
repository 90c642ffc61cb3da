"""A learner with many attempts, on a 360 px phone without JavaScript: /me shows the newest ten, a link leads to
the whole history, and its pages are followed with the pager; nothing scrolls sideways."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from greencustoms.learning.views import ME_ATTEMPTS
from greencustoms.quiz.results import HISTORY_PER_PAGE
from tests.browser.conftest import serve, sign_in
from tests.conftest import AuthActions
from tests.quiz.test_attempt_history import _graded

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
WIDTH = 360


def _fits(page) -> None:
    scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, (page.url, scroll, inner)


def test_the_whole_history_from_me_on_a_phone(other_app, browser):
    from greencustoms.content import get_catalog

    app = other_app(CONTENT_ROOT=str(ROOT))
    user_id = AuthActions(app, app.test_client()).create(email="many@example.org", name="Ioane Tuilagi")
    with app.app_context():
        slug = max(get_catalog().quizzes.values(), key=lambda quiz: len(quiz.title)).slug  # the longest title
    total = HISTORY_PER_PAGE + 5
    _graded(app, user_id, total, slug)
    context = browser.new_context(java_script_enabled=False, viewport={"width": WIDTH, "height": 740})
    context.set_default_timeout(15_000)
    page = context.new_page()
    with serve(app) as base:
        sign_in(page, base, "many@example.org")
        page.goto(base + "/me")
        table = page.locator("table.attempts tbody tr")
        expect(table).to_have_count(ME_ATTEMPTS)
        _fits(page)
        page.get_by_role("link", name="All my quiz attempts").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("All my quiz attempts")
        expect(page.get_by_text(f"{total} attempts, newest first.")).to_be_visible()
        expect(table).to_have_count(HISTORY_PER_PAGE)
        _fits(page)
        page.get_by_role("link", name="Next page").click()
        expect(page.get_by_text("Page 2 of 2")).to_be_visible()
        expect(table).to_have_count(5)
        _fits(page)
        page.get_by_role("link", name="review", exact=False).first.click()  # an attempt's review opens
        assert "/result" in page.url
    context.close()
