"""The national coordinator's pages and the administrators' scope form fit a 360 px phone, in English and in
Arabic (right to left), with JavaScript off."""

from __future__ import annotations

import pytest

from tests.browser.conftest import serve, sign_in
from tests.coordinatorkit import learner_with_certificate

pytestmark = pytest.mark.browser
WIDTH = 360


def _accounts(app) -> int:
    from greencustoms.auth.service import create_user
    from greencustoms.extensions import db
    from greencustoms.models import CoordinatorScope
    from tests.adminkit import PASSWORD

    with app.app_context():
        coord = create_user(email="coord@example.org", full_name="Cora Coordinator", password=PASSWORD, country="KE")
        create_user(email="root@example.org", full_name="Ada Admin", password=PASSWORD, role="admin")
        db.session.add(CoordinatorScope(user_id=coord.id, country="KE", organisation=""))
        db.session.add(CoordinatorScope(user_id=coord.id, country="TZ", organisation="Tanzania Revenue Authority"))
        db.session.commit()
        return coord.id


def _speak(app, email: str, language: str) -> None:
    """A signed-in person reads the interface in their account's language."""
    from greencustoms.extensions import db
    from greencustoms.models import User

    with app.app_context():
        db.session.execute(db.update(User).where(User.email == email).values(language=language))
        db.session.commit()


def _fits(page, base: str, path: str, language: str) -> None:
    page.goto(base + path)
    html = page.locator("html")
    assert html.get_attribute("lang") == language, path
    assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr"), path
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= WIDTH, (language, path, width)


def test_coordinator_pages_fit_a_phone_left_to_right_and_right_to_left(app, page):
    coord = _accounts(app)
    learner, _code = learner_with_certificate(app, "Amina Wanjiru Njoroge-Otieno", "KE", "Kenya Revenue Authority")
    paths = [
        "/coordinator/",
        "/coordinator/?q=amina&country=KE",
        f"/coordinator/learners/{learner}",
        "/coordinator/exports",
        "/coordinator/tokens",
        "/workshops/",
        "/workshops/new?course=demo",
    ]
    with serve(app) as base:
        sign_in(page, base, "coord@example.org")
        for language in ("en", "ar"):
            _speak(app, "coord@example.org", language)
            for path in paths:
                _fits(page, base, path, language)
        page.goto(base + f"/coordinator/learners/{learner}")
        assert "Amina Wanjiru Njoroge-Otieno" in page.content()
        page.screenshot(path="/tmp/coord-learner-ar.png", full_page=True)
        page.goto(base + "/coordinator/")
        page.screenshot(path="/tmp/coord-dashboard-ar.png", full_page=True)
        page.context.clear_cookies()
        sign_in(page, base, "root@example.org")
        for language in ("en", "ar"):
            _speak(app, "root@example.org", language)
            _fits(page, base, f"/admin/users/{coord}", language)
