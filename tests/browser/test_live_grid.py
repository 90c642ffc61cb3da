"""The trainer's live grid in a real browser: a refresh changes only the rows that changed, leaves keyboard
focus and the scroll position where they were, says what changed in a polite live region, and can be paused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from greencustoms.content import get_catalog
from greencustoms.extensions import db
from greencustoms.models import LessonProgress, WorkshopParticipant, utcnow
from tests.browser.conftest import sign_in
from tests.workshopkit import add_participants, make_workshop

pytestmark = pytest.mark.browser


def _complete_first_lesson(app, user_id: int) -> None:
    with app.app_context():
        _module, lesson = get_catalog().lesson_sequence("demo")[0]
        db.session.add(
            LessonProgress(
                user_id=user_id,
                module_slug=lesson.module_slug,
                lesson_slug=lesson.slug,
                content_version="v1",
                completed_at=utcnow() - timedelta(seconds=1),
            )
        )
        db.session.commit()


def _row_id(app, user_id: int) -> str:
    with app.app_context():
        pid = db.session.scalar(db.select(WorkshopParticipant.id).where(WorkshopParticipant.user_id == user_id))
    return f"#grid-p{pid}"


def test_refresh_keeps_focus_and_scroll_announces_politely_and_pauses(live_server, browser, app, auth):
    """Focus on a sort link and the page scrolled down: a participant's progress arrives without a reload, the
    link keeps focus, the page stays where it was, the live region says "1 participant progressed."; paused,
    nothing is fetched and a new change waits; resumed, it arrives."""
    from playwright.sync_api import expect

    app.config["WORKSHOP_GRID_REFRESH_SECONDS"] = 1
    trainer_id = auth.create(email="trainer@example.org", name="Tess Trainer", role="trainer")
    workshop_id = make_workshop(app, trainer_id)
    users = add_participants(app, workshop_id, 40)
    context = browser.new_context(java_script_enabled=True, viewport={"width": 1000, "height": 500})
    trainer = context.new_page()
    trainer.set_default_timeout(15_000)
    fetched: list[str] = []
    trainer.on("request", lambda request: fetched.append(request.url) if "/progress/changes" in request.url else None)
    try:
        sign_in(trainer, live_server, "trainer@example.org")
        trainer.goto(f"{live_server}/workshops/{workshop_id}/progress")
        trainer.evaluate("window.notReloaded = true")
        live = trainer.locator("#grid-announce")
        assert live.get_attribute("aria-live") == "polite"
        country = trainer.locator("#progress-grid thead").get_by_role("link", name="Country")
        country.focus()
        trainer.evaluate("window.scrollTo(0, 400)")
        scrolled = trainer.evaluate("window.pageYOffset")
        assert scrolled > 0

        _complete_first_lesson(app, users[20])
        expect(live).to_have_text("1 participant progressed.")
        expect(trainer.locator(_row_id(app, users[20])).locator("td.yes")).to_have_count(1)
        assert trainer.evaluate("window.notReloaded") is True
        assert trainer.evaluate("document.activeElement.textContent") == "Country"
        assert trainer.evaluate("window.pageYOffset") == scrolled

        pause = trainer.get_by_role("button", name="Pause updates")
        pause.click()
        expect(trainer.get_by_role("button", name="Resume updates")).to_be_visible()
        asked = len(fetched)
        _complete_first_lesson(app, users[30])
        trainer.wait_for_timeout(2500)  # more than two refresh periods: none may be fetched while paused
        assert len(fetched) == asked
        expect(trainer.locator(_row_id(app, users[30])).locator("td.yes")).to_have_count(0)

        trainer.get_by_role("button", name="Resume updates").click()
        expect(trainer.locator(_row_id(app, users[30])).locator("td.yes")).to_have_count(1)
        expect(live).to_have_text("1 participant progressed.")
        assert trainer.evaluate("window.notReloaded") is True
    finally:
        context.close()
