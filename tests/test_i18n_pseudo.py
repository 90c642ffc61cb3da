"""Pseudo-locale: every page type, for every role, shows no interface text that skipped translation.

The app runs with a catalogue that wraps every message in ⟦ ⟧. What a person reads on a page must then be
wrapped, or be data: content, names, codes, numbers, dates and country names formatted by Babel.
"""

from __future__ import annotations

import re

import pytest

from greencustoms import profiles
from greencustoms.content import get_catalog
from greencustoms.extensions import babel, db, limiter
from greencustoms.i18n import time_zones
from greencustoms.models import User
from greencustoms.workshops.codes import grouped
from tests.adminkit import T0, add_record, signed_in
from tests.conftest import make_app, post_form, private_files
from tests.i18nkit import OPEN, content_strings, locale_words, untranslated_words, write_pseudo_catalogue
from tests.workshopkit import join_code, make_workshop

NAMES = ["Ada Admin", "Tess Trainer", "Lena Learner", "Holder", "Mombasa port workshop", "Mombasa", "KRA"]
NAMES += ["admin@example.org", "trainer@example.org", "learner@example.org", "Demo course", "Basics"]
NAMES += ["Duty grade", "Senior officer"]  # a profile field an administrator defined: data, not interface text
# Not interface text: the site's name (configuration), code words, units and formats shown as such.
ALLOWED = {
    "green",
    "customs",
    "learn",
    "csv",
    "xlsx",
    "json",
    "pdf",
    "utc",
    "yyyy-mm-dd",
    "am",
    "pm",
    "http",
    "https",
    "api",
    "www",
    "localhost",
    "example",
    "org",
}


@pytest.fixture
def pseudo_app(_schema, tmp_path):
    """The app with the pseudo catalogue as its English."""
    folder = write_pseudo_catalogue(tmp_path / "translations")
    app = make_app(_schema, BABEL_TRANSLATION_DIRECTORIES=str(folder), **private_files(tmp_path))
    limiter.reset()
    _forget_catalogues(app)
    yield app
    _forget_catalogues(app)
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()


def _forget_catalogues(app) -> None:
    """Flask-Babel caches catalogues per locale for the whole process, across apps: start and end afresh."""
    with app.app_context():
        babel.domain_instance.cache.clear()


def _check(app, client, urls, data, *, statuses=(200,)):
    """GET each URL and collect the words of interface text that were not translated."""
    with app.app_context():
        catalog_text = list(content_strings(get_catalog()))
    allowed = ALLOWED | locale_words("en") | _zone_words()
    found = {}
    for url in urls:
        response = client.get(url, headers={"Accept-Language": "en"})
        assert response.status_code in statuses, (url, response.status_code)
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        assert OPEN in html, url
        words = untranslated_words(html, [*catalog_text, *NAMES, *data], allowed)
        if words:
            found[url] = sorted(set(words))
    return found


def _zone_words() -> set[str]:
    """Time-zone names (Africa/Nairobi) are IANA identifiers, shown as they are."""
    return {part.casefold() for zone in time_zones() for part in re.split(r"[/_ ]", zone) if part}


def _codes(html: str) -> list[str]:
    """Codes printed on a page (join codes, certificate codes) are data."""
    return re.findall(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4,5})+\b", html)


def test_every_page_for_every_role_is_translated(pseudo_app):
    """Anonymous visitor, learner, trainer and administrator: no page shows interface text outside gettext."""
    app = pseudo_app
    admin_id, admin = signed_in(app, "admin", name="Ada Admin")
    trainer_id, trainer = signed_in(app, "trainer", name="Tess Trainer")
    learner_id, learner = signed_in(app, "learner", name="Lena Learner", country="KE", organisation="KRA")
    workshop = make_workshop(app, trainer_id)
    code = join_code(app, workshop)
    with app.app_context():
        actor = db.session.get(User, admin_id)
        profiles.define_field(actor, key="grade", label="Duty grade", kind="choice", options=["Senior officer"])
        sequence = get_catalog().lesson_sequence("demo")
        lesson = f"/courses/demo/{sequence[0][0].slug}/{sequence[0][1].slug}"
        certificate = add_record(learner_id, completed=T0, score=90, certificate="valid", holder="Lena Learner")
        cert_id, cert_code = certificate.id, certificate.code
    post_form(learner, f"/join/{code}", token_from=f"/join/{code}")
    post_form(learner, lesson + "/complete", token_from=lesson)
    started = post_form(learner, "/quizzes/demo-basics", token_from="/quizzes/demo-basics")
    attempt = started.headers["Location"]
    data = [cert_code, code, grouped(code), *_codes(learner.get("/me").get_data(as_text=True))]

    found = {}
    anonymous = app.test_client()
    found |= _check(
        app,
        anonymous,
        ["/", "/courses/demo", lesson, "/glossary", "/login", "/register", "/certificates/", "/join", "/slip"],
        data,
    )
    found |= _check(app, anonymous, [f"/certificates/{cert_code}", f"/join/{code}", "/quizzes/demo-basics"], data)
    found |= _check(app, anonymous, ["/no-such-page", "/certificates/NOPE-NOPE"], data, statuses=(404,))
    found |= _check(
        app,
        learner,
        ["/", "/me", "/courses/demo", lesson, "/quizzes/demo-basics", attempt, attempt + "/submit", "/account"],
        data,
    )
    found |= _check(app, learner, ["/account/password", f"/join/{code}"], data)
    confirm = learner.get(attempt + "/submit").get_data(as_text=True)
    revision = re.search(r'name="revision" value="(\d+)"', confirm).group(1)
    submitted = post_form(learner, attempt + "/submit", {"revision": revision}, token_from=attempt + "/submit")
    assert submitted.status_code in (302, 303)
    found |= _check(app, learner, [attempt + "/result", "/me", "/quizzes/demo-basics"], data)
    found |= _check(app, anonymous, ["/reset/not-a-token", "/slip/7K3M-Q9XD-2B4NT"], data, statuses=(200, 404, 410))
    found |= _check(app, learner, ["/admin/", f"/workshops/{workshop}"], data, statuses=(403, 404))
    ws = f"/workshops/{workshop}"
    found |= _check(
        app,
        trainer,
        [
            "/workshops/",
            "/workshops/new",
            "/workshops/new?course=demo",
            ws,
            ws + "/edit",
            ws + "/participants",
            ws + "/progress",
            ws + "/quizzes",
            ws + "/report",
            ws + "/analysis",
            ws + "/attendance",
            ws + "/roster",
            ws + "/sheet",
            ws + "/trainers",
        ],
        data,
    )
    found |= _check(
        app,
        admin,
        [
            "/admin/",
            "/admin/users",
            f"/admin/users/{learner_id}",
            "/admin/audit",
            "/admin/exports",
            "/admin/api-tokens",
            "/admin/profile-fields",
            "/admin/certificates",
            f"/admin/certificates/{cert_id}",
        ],
        data,
    )
    assert found == {}, "\n".join(f"{url}: {' '.join(words)}" for url, words in found.items())


def test_flashes_errors_and_api_messages_are_translated(pseudo_app):
    """A flash after an action, a refused form, a CSRF refusal and an API error all come from the catalogue."""
    app = pseudo_app
    _, learner = signed_in(app, "learner", name="Lena Learner")
    page = learner.get("/me").get_data(as_text=True)
    assert f"{OPEN}Signed in as" in page
    form = {"current": "wrong password!", "new": "short", "confirm": "short"}
    response = post_form(learner, "/account/password", form, token_from="/account/password")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert not untranslated_words(page, NAMES, ALLOWED | locale_words("en"))
    password_errors = re.findall(r'class="error"[^>]*>([^<]*)<', page)
    assert password_errors and all(error.strip().startswith(OPEN) for error in password_errors)
    assert f"{OPEN}This form has expired" in learner.post("/account").get_data(as_text=True)
    api = app.test_client().get("/api/v1/certificates").get_json()
    assert api["error"]["message"].startswith(OPEN)
