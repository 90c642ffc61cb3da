"""National coordinators: they see, export and change only what their scope (countries, optionally one
organisation) holds, through every page and the API; administrators assign the scope, audited."""

from __future__ import annotations

import json

import pytest

from greencustoms.extensions import db
from greencustoms.models import AuditEvent, CoordinatorScope, User
from tests.adminkit import audit_events, signed_in
from tests.conftest import post_form
from tests.coordinatorkit import coordinator, create_token, learner_with_certificate
from tests.exportkit import export_file, start, wait_for_job
from tests.workshopkit import make_workshop

EXPORT = "/coordinator/exports/completions"


@pytest.fixture
def world(app):
    """A coordinator of Kenya; Amina (KE) and Baraka (TZ) each with a certificate."""
    coord_id, client = coordinator(app, ("KE", ""))
    amina, amina_code = learner_with_certificate(app, "Amina Njoroge", "KE")
    baraka, baraka_code = learner_with_certificate(app, "Baraka Mwita", "TZ")
    return {
        "client": client,
        "coordinator": coord_id,
        "in": amina,
        "in_code": amina_code,
        "out": baraka,
        "out_code": baraka_code,
    }


def _probes(app, actor_id):
    with app.app_context():
        events = db.session.execute(db.select(AuditEvent).filter_by(event="access.probe", actor_id=actor_id))
        return [event.target for event in events.scalars()]


def test_the_officer_list_shows_the_scope_only_and_searches_within_it(app, world):
    client = world["client"]
    page = client.get("/coordinator/").get_data(as_text=True)
    assert "Amina Njoroge" in page and "Baraka Mwita" not in page
    assert "Baraka Mwita" not in client.get("/coordinator/?q=Baraka").get_data(as_text=True)
    assert "Amina Njoroge" in client.get("/coordinator/?q=amina").get_data(as_text=True)
    assert "Amina Njoroge" not in client.get("/coordinator/?country=TZ").get_data(as_text=True)
    assert "Baraka Mwita" not in client.get("/coordinator/?country=TZ").get_data(as_text=True)


def test_learner_detail_shows_progress_and_certificates_with_verify_links(app, world):
    page = world["client"].get(f"/coordinator/learners/{world['in']}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert world["in_code"] in text and "/certificates/" in text
    assert "90" in text  # the final score


def test_guessing_an_out_of_scope_learner_is_a_counted_404(app, world):
    client = world["client"]
    assert client.get(f"/coordinator/learners/{world['out']}").status_code == 404
    assert client.get("/coordinator/learners/999999").status_code == 404  # unknown: same answer, no probe
    assert client.get(f"/coordinator/learners/{2**31 + 5}").status_code == 404
    assert _probes(app, world["coordinator"]) == [f"learner:{world['out']}"]


def test_a_learner_who_moves_to_another_country_leaves_the_scope_at_once(app, world):
    client = world["client"]
    assert client.get(f"/coordinator/learners/{world['in']}").status_code == 200
    with app.app_context():
        db.session.get(User, world["in"]).country = "UG"
        db.session.commit()
    assert client.get(f"/coordinator/learners/{world['in']}").status_code == 404
    assert "Amina" not in client.get("/coordinator/").get_data(as_text=True)


def test_a_coordinator_of_two_countries_sees_both_and_no_third(app):
    _id, client = coordinator(app, ("KE", ""), ("TZ", ""), email="two@example.org")
    amina, _ = learner_with_certificate(app, "Amina Njoroge", "KE")
    baraka, _ = learner_with_certificate(app, "Baraka Mwita", "TZ")
    chidi, _ = learner_with_certificate(app, "Chidi Okafor", "NG")
    page = client.get("/coordinator/").get_data(as_text=True)
    assert "Amina" in page and "Baraka" in page and "Chidi" not in page
    assert client.get(f"/coordinator/learners/{baraka}").status_code == 200
    assert client.get(f"/coordinator/learners/{chidi}").status_code == 404


def test_a_scope_narrowed_to_an_organisation_ignores_case_and_accents(app):
    _id, client = coordinator(app, ("KE", "Kenya Revenue Authority"), email="org@example.org")
    kra, _ = learner_with_certificate(app, "Amina Njoroge", "KE", "KENYA REVENUE AUTHORITY")
    other, _ = learner_with_certificate(app, "Wanjiru Kamau", "KE", "Kenya Ports Authority")
    assert client.get(f"/coordinator/learners/{kra}").status_code == 200
    assert client.get(f"/coordinator/learners/{other}").status_code == 404


def test_the_export_holds_only_rows_in_scope(app, world, worker):
    from greencustoms.exports import COLUMNS
    from tests.exportkit import csv_rows

    response = export_file(app, world["client"], {"format": "csv"}, url=EXPORT, token_from="/coordinator/exports")
    rows = csv_rows(response.data, COLUMNS)
    assert {row["learner_id"] for row in rows} == {str(world["in"])}
    event = audit_events(app, "export.completions")[-1]
    assert event.details["source"] == "coordinator" and event.details["rows"] == 1


def test_an_export_filter_naming_another_country_is_refused(app, world):
    response = post_form(world["client"], EXPORT, {"format": "csv", "country": "TZ"}, token_from="/coordinator/exports")
    assert response.status_code == 400
    assert "countries you coordinate" in response.get_data(as_text=True)


def test_an_export_job_applies_the_scope_as_it_is_when_written(app, world):
    """A coordinator who loses the country while the job waits gets a file with none of its rows."""
    client = world["client"]
    token = start(client, {"format": "json"}, EXPORT, "/coordinator/exports")
    with app.app_context():
        db.session.execute(db.delete(CoordinatorScope))
        db.session.commit()
    app.extensions["jobs"].start_thread_consumer()
    try:
        job = wait_for_job(app, token)
    finally:
        app.extensions["jobs"].stop_thread_consumer()
    assert job.status == "done" and job.rows_done == 0
    download = client.get(f"/exports/{token}/download")  # their own job: still theirs to download
    assert download.status_code == 200 and json.loads(download.data) == []
    download.close()
    assert client.get("/coordinator/").status_code == 403


def test_the_api_with_a_coordinators_token_answers_within_the_scope(app, world):
    client = world["client"]
    secret = create_token(client)
    headers = {"Authorization": f"Bearer {secret}"}
    body = client.get("/api/v1/completions", headers=headers).get_json()
    assert [row["learner_id"] for row in body["data"]] == [world["in"]]
    assert body["pagination"]["total"] == 1
    tz = client.get("/api/v1/completions?country=TZ", headers=headers).get_json()
    assert tz["data"] == [] and tz["pagination"]["total"] == 0
    listed = client.get("/api/v1/certificates", headers=headers).get_json()
    assert [c["code"] for c in listed["data"]] == [world["in_code"]]
    assert client.get(f"/api/v1/certificates/{world['in_code']}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/certificates/{world['out_code']}", headers=headers).status_code == 404
    with app.app_context():  # the role taken away: the token stops working
        db.session.execute(db.delete(CoordinatorScope))
        db.session.commit()
    assert client.get("/api/v1/completions", headers=headers).status_code == 403


def test_a_coordinator_cannot_revoke_someone_elses_token(app, world):
    _admin_id, admin = signed_in(app, email="root@example.org")
    create_token(admin, "/admin/api-tokens")
    with app.app_context():
        from greencustoms.models import ApiToken

        token_id = db.session.execute(db.select(ApiToken.id)).scalar_one()
    response = post_form(
        world["client"], f"/coordinator/tokens/{token_id}/revoke", {}, token_from="/coordinator/tokens"
    )
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is None


def test_a_coordinator_gets_403_on_every_admin_page(app, world):
    client = world["client"]
    for url in ("/admin/", "/admin/users", f"/admin/users/{world['out']}", "/admin/exports", "/admin/api-tokens"):
        assert client.get(url).status_code == 403, url
    response = post_form(
        client, f"/admin/users/{world['coordinator']}/coordinator", {"scope-country": "TZ"}, token_from="/coordinator/"
    )
    assert response.status_code == 403


def test_workshops_in_scope_are_the_ones_declared_for_the_country(app, world):
    trainer_id, _trainer = signed_in(app, role="trainer", email="t@example.org", name="Tess Trainer")
    kenyan = make_workshop(app, trainer_id, title="Mombasa week", country="KE")
    tanzanian = make_workshop(app, trainer_id, title="Dar week", country="TZ")
    undeclared = make_workshop(app, trainer_id, title="Somewhere week")
    client = world["client"]
    listing = client.get("/workshops/").get_data(as_text=True)
    assert "Mombasa week" in listing and "Dar week" not in listing and "Somewhere week" not in listing
    assert client.get(f"/workshops/{kenyan}").status_code == 200
    for other in (tanzanian, undeclared):
        assert client.get(f"/workshops/{other}").status_code == 404
        assert client.get(f"/workshops/{other}/progress").status_code == 404
        response = post_form(client, f"/workshops/{other}/edit", {"title": "Mine now"}, token_from="/workshops/")
        assert response.status_code == 404
    assert f"workshop:{tanzanian}" in _probes(app, world["coordinator"])


def _new_workshop(client, country: str):
    form = {
        "title": "Nairobi session",
        "starts_on": "2026-03-02",
        "ends_on": "2026-03-04",
        "place": "Nairobi",
        "language": "en",
        "country": country,
    }
    return post_form(client, "/workshops/new?course=demo", form, token_from="/workshops/new?course=demo")


def test_a_coordinator_creates_workshops_for_their_country_only(app, world):
    client = world["client"]
    assert _new_workshop(client, "TZ").status_code == 400
    assert _new_workshop(client, "").status_code == 400
    created = _new_workshop(client, "KE")
    assert created.status_code == 303
    assert client.get(created.headers["Location"]).status_code == 200


def test_administrators_assign_and_remove_the_scope_audited(app):
    _admin_id, admin = signed_in(app, email="root@example.org")
    person, _ = learner_with_certificate(app, "Zawadi Otieno", "KE")
    page = f"/admin/users/{person}"
    assert post_form(admin, f"{page}/coordinator", {"scope-country": "XX"}, token_from=page).status_code == 400
    response = post_form(
        admin, f"{page}/coordinator", {"scope-country": "KE", "scope-organisation": ""}, token_from=page
    )
    assert response.status_code == 303
    again = post_form(admin, f"{page}/coordinator", {"scope-country": "KE"}, token_from=page)
    assert again.status_code == 400 and "already coordinates" in again.get_data(as_text=True)
    with app.app_context():
        row = db.session.execute(db.select(CoordinatorScope).filter_by(user_id=person)).scalar_one()
    added = audit_events(app, "coordinator.scope_added")
    assert [(e.target, e.details["country"]) for e in added] == [(f"user:{person}", "KE")]
    assert post_form(admin, f"{page}/coordinator/999999/remove", {}, token_from=page).status_code == 404
    assert post_form(admin, f"{page}/coordinator/{row.id}/remove", {}, token_from=page).status_code == 303
    assert [e.details["country"] for e in audit_events(app, "coordinator.scope_removed")] == ["KE"]


def test_a_sign_in_slip_never_opens_a_coordinators_account(app, world):
    from greencustoms.access import policy

    with app.app_context():
        assert not policy.is_learner_account(db.session.get(User, world["coordinator"]))
        assert policy.is_learner_account(db.session.get(User, world["in"]))


def test_exports_of_json_via_the_page_are_in_scope_too(app, world, worker):
    response = export_file(app, world["client"], {"format": "json"}, url=EXPORT, token_from="/coordinator/exports")
    assert [row["learner_id"] for row in json.loads(response.data)] == [world["in"]]


def test_the_session_check_says_who_holds_no_scope_and_a_scope_still_counts(app):
    """A learner's signed-in page reads no scope row (the session query answers that they hold none), while a
    coordinator's scope is still read and honoured, and a scope given since the last request counts at once."""
    from sqlalchemy import event

    _, learner = signed_in(app, "learner", email="plain@example.org")
    _, holder = coordinator(app, ("KE", ""))
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def listener(*args):
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert learner.get("/me").status_code == 200
        scope_reads = [sql for sql in statements if sql.lstrip().startswith("SELECT coordinator_scopes.")]
        assert scope_reads == [], scope_reads
        statements.clear()
        assert holder.get("/coordinator/").status_code == 200
        assert any(sql.lstrip().startswith("SELECT coordinator_scopes.") for sql in statements)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert learner.get("/coordinator/").status_code == 403
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(email="plain@example.org")).scalar_one()
        db.session.add(CoordinatorScope(user_id=user.id, country="KE", organisation=""))
        db.session.commit()
    assert learner.get("/coordinator/").status_code == 200
