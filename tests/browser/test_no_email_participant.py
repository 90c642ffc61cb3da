"""A participant without e-mail, in a real browser (JavaScript off, a phone screen): signs in once with a slip,
chooses a password, signs out; after the workshop has ended, signs in again with the username printed on the slip
and finds the certificate on /me."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.workshopkit import make_workshop, signed_in, today

pytestmark = pytest.mark.browser

PASSWORD_CHOSEN = "amman citadel 2026"


def _workshop_with_an_e_mail_less_participant(app) -> tuple[int, int, str, str]:
    """Setup through the services: a trainer's running workshop, a roster row without e-mail, a printed slip.
    Returns (workshop id, user id, slip token, username)."""
    from greencustoms.content import get_catalog
    from greencustoms.extensions import db
    from greencustoms.models import User, Workshop
    from greencustoms.workshops.participants import participants
    from greencustoms.workshops.roster import import_roster
    from greencustoms.workshops.slips import issue_slips

    trainer_id, _client = signed_in(app, role="trainer", email="trainer@example.org", name="Tess Trainer")
    workshop_id = make_workshop(app, trainer_id)
    roster = b"full name,e-mail,country,organisation\nNoor Haddad,,Jordan,Jordan Customs\n"
    with app.test_request_context():
        workshop = db.session.get(Workshop, workshop_id)
        trainer = db.session.get(User, trainer_id)
        import_roster(workshop, roster, trainer, get_catalog())
        (person,) = participants(workshop)
        (slip,) = issue_slips(workshop, [person], trainer)
        return workshop_id, person.user.id, slip.printed_token, person.user.username


def _end_the_workshop_and_issue_the_certificate(app, workshop_id: int, user_id: int) -> str:
    """The workshop is over; the participant earned the course's certificate (state created directly)."""
    from greencustoms.certificates.service import issue_certificate
    from greencustoms.content import get_catalog
    from greencustoms.extensions import db
    from greencustoms.models import User, Workshop

    with app.test_request_context():
        workshop = db.session.get(Workshop, workshop_id)
        workshop.starts_on, workshop.ends_on = today() - timedelta(days=20), today() - timedelta(days=18)
        db.session.commit()
        catalog = get_catalog()
        course = catalog.course(workshop.course_slug)
        certificate = issue_certificate(db.session.get(User, user_id), course, catalog, score=90.0, reason="test")
        return certificate.code


def test_no_email_participant_signs_in_with_the_username_after_the_workshop(live_server, page, app):
    """Slip -> password -> sign out -> (workshop over) -> username sign-in -> /me -> the certificate."""
    from greencustoms.certificates.codes import format_code

    workshop_id, user_id, token, username = _workshop_with_an_e_mail_less_participant(app)

    page.goto(live_server + "/slip")
    page.get_by_label("Sign-in code").fill(token)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Sign in as Noor Haddad").click()
    shown = page.locator(".username-note bdi").inner_text()
    assert shown == username
    page.get_by_label("New password").fill(PASSWORD_CHOSEN)
    page.get_by_label("Repeat the password").fill(PASSWORD_CHOSEN)
    page.get_by_role("button", name="Save my password").click()
    assert page.url.endswith("/me") and "Signed in as Noor Haddad" in page.content()
    page.goto(live_server + "/account")
    assert page.locator(".username-note bdi").inner_text() == username
    page.get_by_role("button", name="Sign out", exact=True).click()
    assert "You are signed out." in page.content()

    code = _end_the_workshop_and_issue_the_certificate(app, workshop_id, user_id)

    page.goto(live_server + "/login")
    page.get_by_label("E-mail or username").fill(shown.upper())  # as typed on a phone keyboard: case is ignored
    page.get_by_label("Password").fill(PASSWORD_CHOSEN)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    assert page.url.endswith("/me") and "Signed in as Noor Haddad" in page.content()
    assert format_code(code) in page.content()
    page.get_by_role("link", name="Public verification page").click()
    assert format_code(code) in page.content() and "Noor Haddad" in page.content()
