"""The audit log: every audited action leaves an event; the log is append-only; the admin page browses it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from greencustoms.extensions import db
from greencustoms.models import AuditEvent, Certificate
from greencustoms.models.audit import AuditLogIsAppendOnly
from tests.adminkit import T0, add_learner, add_record, audit_events, signed_in
from tests.conftest import PASSWORD, post_form

PACKAGE = Path(__file__).resolve().parent.parent / "greencustoms"


@pytest.fixture
def admin(app):
    return signed_in(app)


def _post(client, url, data=None):
    return post_form(client, url, data or {}, token_from="/admin/")


def test_sign_ins_are_audited_without_the_password(app, client, auth):
    """A successful sign-in and a failed one (with the e-mail tried) are recorded; the password never is."""
    user_id = auth.create()
    auth.login()
    auth.logout()
    post_form(client, "/login", {"email": "Nobody@Example.org", "password": "guess-the-secret-123"})
    success, failure = audit_events(app)
    assert (success.event, success.actor_id, success.target) == ("auth.login", user_id, f"user:{user_id}")
    assert failure.event == "auth.login_failed" and failure.details["email"] == "Nobody@Example.org"
    stored = json.dumps([e.details for e in audit_events(app)])
    assert PASSWORD not in stored and "guess-the-secret-123" not in stored


def test_account_actions_are_audited(app, admin):
    """Role changes, disabling, enabling, reset links issued and used, anonymising and deleting are recorded."""
    admin_id, client = admin
    with app.app_context():
        learner = add_learner(email="l@example.org")
        other = add_learner(email="o@example.org")
    _post(client, f"/admin/users/{learner}/role", {"role": "trainer"})
    _post(client, f"/admin/users/{learner}/disable")
    _post(client, f"/admin/users/{learner}/enable")
    page = _post(client, f"/admin/users/{learner}/reset-link").get_data(as_text=True)
    link = "/reset/" + re.search(r"/reset/([A-Za-z0-9_\-]+)", page).group(1)
    visitor = app.test_client()
    post_form(visitor, link, {"new": "a brand new passphrase", "confirm": "a brand new passphrase"}, token_from=link)
    _post(client, f"/admin/users/{learner}/anonymise", {"anonymise-confirm": "y"})
    _post(client, f"/admin/users/{other}/delete", {"delete-confirm": "y"})
    events = [(e.event, e.actor_id, e.target) for e in audit_events(app) if e.event != "auth.login"]
    assert events == [
        ("user.role_changed", admin_id, f"user:{learner}"),
        ("user.disabled", admin_id, f"user:{learner}"),
        ("user.enabled", admin_id, f"user:{learner}"),
        ("password_reset.issued", admin_id, f"user:{learner}"),
        ("password_reset.used", learner, f"user:{learner}"),
        ("user.anonymised", admin_id, f"user:{learner}"),
        ("user.deleted", admin_id, f"user:{other}"),
    ]
    assert audit_events(app, "user.role_changed")[0].details == {"from": "learner", "to": "trainer"}
    stored = json.dumps([e.details for e in audit_events(app)])
    assert link.rsplit("/", 1)[1] not in stored and "a brand new passphrase" not in stored


def test_refused_actions_leave_no_event(app, admin):
    """An action that is refused (here: disabling oneself) records nothing."""
    admin_id, client = admin
    _post(client, f"/admin/users/{admin_id}/disable")
    assert audit_events(app, "user.disabled") == []


def test_certificate_revocation_and_reissue_are_audited(app, admin):
    """Revoking and re-issuing a certificate on its admin page each record an event naming the certificate."""
    admin_id, client = admin
    with app.app_context():
        learner = add_learner("Amina Njoroge", email="amina@example.org")
        first = add_record(learner, "demo", completed=T0, certificate="valid")
        second = add_record(add_learner("B", email="b@example.org"), "demo", completed=T0, certificate="valid")
        first_id, first_code, second_id, second_code = first.id, first.code, second.id, second.code
    response = _post(client, f"/admin/certificates/{first_id}/reissue", {"holder_name": "Amina W. Njoroge"})
    assert response.status_code == 302
    response = _post(client, f"/admin/certificates/{second_id}/revoke", {"reason": "Issued by mistake"})
    assert response.status_code == 302
    [reissued] = audit_events(app, "certificate.reissued")
    [revoked] = audit_events(app, "certificate.revoked")
    with app.app_context():
        replacement = db.session.execute(select(Certificate).filter_by(holder_name="Amina W. Njoroge")).scalar_one()
    assert (reissued.actor_id, reissued.target) == (admin_id, f"certificate:{first_code}")
    assert reissued.details["replacement"] == replacement.code
    assert (revoked.actor_id, revoked.target, revoked.details) == (
        admin_id,
        f"certificate:{second_code}",
        {"reason": "Issued by mistake"},
    )


def test_api_token_creation_and_revocation_are_audited(app, admin):
    """Creating and revoking an API token are recorded with the token's name, never its secret."""
    admin_id, client = admin
    page = _post(client, "/admin/api-tokens", {"name": "Donor report"}).get_data(as_text=True)
    secret = re.search(r"gcl_[A-Za-z0-9_\-]{43}", page).group(0)
    [created] = audit_events(app, "api_token.created")
    _post(client, f"/admin/api-tokens/{created.target.split(':')[1]}/revoke")
    [revoked] = audit_events(app, "api_token.revoked")
    assert (created.actor_id, created.details) == (admin_id, {"name": "Donor report"})
    assert (revoked.actor_id, revoked.target) == (admin_id, created.target)
    assert secret not in json.dumps([created.details, revoked.details])


def test_audit_rows_cannot_be_changed_or_deleted_through_the_orm(app):
    """The model refuses updates and deletes: the application can only append to the log."""
    from greencustoms import audit

    with app.app_context():
        entry = audit.record("user.enabled", None, "user:1")
        entry.target = "user:2"
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()
        entry = db.session.execute(select(AuditEvent)).scalar_one()
        db.session.delete(entry)
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()
        assert db.session.execute(select(AuditEvent.target)).scalar_one() == "user:1"


def test_no_code_path_updates_or_deletes_audit_rows(app):
    """No route changes the log (the audit page is GET only) and no module issues UPDATE or DELETE on it."""
    methods = {m for rule in app.url_map.iter_rules() if rule.rule.startswith("/admin/audit") for m in rule.methods}
    assert methods <= {"GET", "HEAD", "OPTIONS"}
    pattern = re.compile(
        r"(update|delete)\(\s*AuditEvent|AuditEvent\.__table__\.(update|delete)|audit_events\b.*"
        r"(UPDATE|DELETE)|(UPDATE|DELETE FROM)\s+audit_events",
        re.IGNORECASE,
    )
    offenders = [str(path) for path in PACKAGE.rglob("*.py") if pattern.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
    from greencustoms import audit

    public = {name for name in audit.__all__ if callable(getattr(audit, name))}
    writers = {"record", "record_detached"}  # the only two that write; the rest read
    readers = {"AuditLogIsAppendOnly", "AuditQuery", "actors_of", "filtered", "groups", "search"}
    assert public == writers | readers


def test_unknown_event_names_are_refused(app):
    """Recording an event missing from the documented list is a programming error (ValueError)."""
    from greencustoms import audit

    with app.app_context(), pytest.raises(ValueError, match="unknown audit event"):
        audit.record("user.teleported", None, None)


def test_audit_page_filters_by_event_actor_and_date(app, admin):
    """The audit page lists events newest first and filters by event, actor and date range; bad dates are 400."""
    admin_id, client = admin
    with app.app_context():
        learner = add_learner(email="l@example.org")
    _post(client, f"/admin/users/{learner}/disable")

    def page(query):
        response = client.get("/admin/audit?" + query)
        return response.status_code, response.get_data(as_text=True)

    status, html = page("")
    assert status == 200 and html.index(">user.disabled</span>") < html.index(">auth.login</span>")
    assert ">auth.login</span>" not in page("event=user.disabled")[1]
    assert "user.disabled</span>" in page("actor=admin%40example")[1]
    assert "user.disabled</span>" in page(f"actor=%23{admin_id}")[1]
    assert "user.disabled</span>" not in page("actor=nobody")[1]
    assert "user.disabled</span>" not in page("to=2020-01-01")[1]
    assert "user.disabled</span>" in page("from=2020-01-01")[1]
    assert page("from=yesterday")[0] == 400


def test_audit_page_is_paginated(app, admin):
    """Fifty events per page, newest first."""
    from greencustoms import audit

    _admin_id, client = admin
    with app.app_context():
        for i in range(55):
            audit.record("user.enabled", None, f"user:{i}", commit=False)
        db.session.commit()
    first = client.get("/admin/audit?event=user.enabled").get_data(as_text=True)
    assert first.count("user.enabled</span>") == 50 and "page=2" in first
    second = client.get("/admin/audit?event=user.enabled&page=2").get_data(as_text=True)
    assert second.count("user.enabled</span>") == 5


def test_audit_entries_read_as_sentences_with_names(app, admin):
    """Entries read as sentences naming the people, workshop and token involved, never as ids or dictionaries;
    every event the application writes has its own sentence."""
    from greencustoms import audit
    from greencustoms.admin.auditlog import SENTENCES

    assert set(SENTENCES) == set(audit.EVENTS)
    admin_id, client = admin
    with app.app_context():
        learner = add_learner("Zoé Núñez", email="zoe@example.org")
        audit.record("user.role_changed", admin_id, f"user:{learner}", {"from": "learner", "to": "trainer"})
        audit.record("auth.throttled", None, "account:zoe@example.org", {"kind": "login", "ip": "203.0.113.9"})
        audit.record("access.probe", learner, "attempt:77", {})
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Ada Admin changed the role of Zoé Núñez from learner to trainer." in html
    assert "Too many failed checks of a password at sign-in for zoe@example.org" in html
    assert "Zoé Núñez tried to open attempt:77, which is not theirs." in html
    assert "{&#39;" not in html and "{'from'" not in html


def test_a_deleted_person_reads_as_a_deleted_account(app, admin):
    """An event about an account that no longer exists still reads, naming the account by its id."""
    from greencustoms import audit

    admin_id, client = admin
    with app.app_context():
        audit.record("user.deleted", admin_id, "user:9999", {"role": "learner"})
    assert "Ada Admin deleted the account account #9999 (deleted) (learner)." in client.get("/admin/audit").get_data(
        as_text=True
    )


def test_audit_filters_by_group_and_by_whom_it_is_about(app, admin):
    """ "Kind of event" keeps one group; "about" finds events about a person (accents and case ignored)."""
    admin_id, client = admin
    with app.app_context():
        zoe = add_learner("Zoé Núñez", email="zoe@example.org")
        other = add_learner("Ravi Patel", email="ravi@example.org")
    _post(client, f"/admin/users/{zoe}/disable")
    _post(client, f"/admin/users/{other}/disable")
    about = client.get("/admin/audit?about=nunez").get_data(as_text=True)
    assert "disabled the account of Zoé Núñez" in about and "Ravi Patel" not in about
    accounts = client.get("/admin/audit?group=user").get_data(as_text=True)
    assert "user.disabled</span>" in accounts and "auth.login</span>" not in accounts
    assert "auth.login</span>" in client.get("/admin/audit?group=nonsense").get_data(as_text=True)


def test_audit_export_is_filtered_readable_formula_safe_and_audited(app, admin):
    """The CSV export has the sentences, the stored codes and details, only the filtered rows, cells that cannot
    run as formulas; exporting is itself audited."""
    from greencustoms import audit

    admin_id, client = admin
    with app.app_context():
        hostile = add_learner('=HYPERLINK("http://x")', email="h@example.org")
        audit.record("auth.password_changed", hostile, f"user:{hostile}")
    _post(client, f"/admin/users/{hostile}/disable")
    response = client.get("/admin/audit/export.csv?group=user")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8-sig")
    assert "What happened" in text and "user.disabled" in text and "auth.login" not in text
    assert "password_changed" not in text
    signed = client.get("/admin/audit/export.csv?event=auth.password_changed").get_data().decode("utf-8-sig")
    assert "\"'=HYPERLINK" in signed and ',"=' not in signed
    xlsx = client.get("/admin/audit/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert client.get("/admin/audit/export.pdf").status_code == 404
    with app.app_context():
        exported = db.session.execute(select(AuditEvent).filter_by(event="export.audit_log")).scalars().all()
    assert sorted(event.details["format"] for event in exported) == ["csv", "csv", "xlsx"]
    assert exported[0].actor_id == admin_id and exported[0].details["rows"] >= 1
    with app.app_context():
        assert audit.EVENTS.count("export.audit_log") == 1


def test_only_administrators_read_or_export_the_audit_log(app):
    """Trainers and learners get no audit page and no export."""
    _trainer_id, trainer = signed_in(app, role="trainer", email="t@example.org")
    for path in ("/admin/audit", "/admin/audit/export.csv"):
        assert trainer.get(path).status_code in (403, 404)


def test_workshop_actions_and_self_registration_are_audited(app, admin):
    """Joining by code, taking attendance, opening, closing and scheduling a quiz, and registering are in the log,
    as sentences naming who did it and in which workshop."""
    from tests.workshopkit import add_participants, join_code, make_workshop, today

    _admin_id, admin_client = admin
    trainer_id, trainer = signed_in(app, role="trainer", email="trainer@example.org", name="Tess Trainer")
    workshop_id = make_workshop(app, trainer_id, title="Mombasa port workshop")
    add_participants(app, workshop_id, 2, prefix="Roll")
    register = app.test_client()
    post_form(
        register,
        "/register",
        {
            "full_name": "Kofi Mensah",
            "email": "kofi@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "organisation": "Ghana Revenue Authority",
            "country": "GH",
            "language": "en",
        },
        token_from="/register",
    )
    code = join_code(app, workshop_id)
    post_form(register, f"/join/{code}", token_from=f"/join/{code}")
    url = f"/workshops/{workshop_id}/attendance"
    post_form(trainer, url, {"day": today().isoformat(), "all": "1"}, token_from=url)
    quizzes = f"/workshops/{workshop_id}/quizzes"
    post_form(trainer, f"{quizzes}/demo-basics", {"state": "closed"}, token_from=quizzes)
    post_form(trainer, f"{quizzes}/demo-basics", {"state": "open"}, token_from=quizzes)
    with app.app_context():
        events = [event.event for event in db.session.execute(select(AuditEvent)).scalars()]
    for expected in (
        "auth.registered",
        "workshop.joined",
        "workshop.attendance_marked",
        "workshop.quiz_closed",
        "workshop.quiz_opened",
    ):
        assert expected in events, expected
    html = admin_client.get("/admin/audit?group=workshop").get_data(as_text=True)
    assert "Kofi Mensah joined “Mombasa port workshop” with its join code." in html
    assert "Tess Trainer opened the quiz “demo-basics” in “Mombasa port workshop”." in html
    assert "present, 0 absent." in html
    assert "Kofi Mensah registered an account." in admin_client.get("/admin/audit?group=auth").get_data(as_text=True)
