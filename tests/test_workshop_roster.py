"""Roster import: good files in three encodings and two delimiters, each kind of bad row reported by line number,
and nothing imported when any row is wrong."""

from __future__ import annotations

import io

import pytest

from greencustoms.content import get_catalog
from greencustoms.extensions import db
from greencustoms.models import AuditEvent, Enrolment, User, Workshop, WorkshopInvitation, WorkshopParticipant
from greencustoms.workshops.roster import RosterRejected, import_roster, parse_roster
from tests.conftest import csrf_token
from tests.workshopkit import make_workshop, signed_in

GOOD = (
    "full name,e-mail,country,organisation\r\n"
    "Amina Njoroge,amina@example.org,KE,Kenya Revenue Authority\r\n"
    "José Müller,,Mexico,Servicio de Administración Tributaria\r\n"
    "Nguyễn Văn An,an@example.org,vn,General Department of Vietnam Customs\r\n"
)


@pytest.fixture
def trainer(app):
    return signed_in(app, role="trainer", email="trainer@example.org", name="Tess Trainer")


@pytest.fixture
def workshop_id(app, trainer):
    return make_workshop(app, trainer[0])


def _upload(client, workshop_id: int, data: bytes, name: str = "roster.csv"):
    token = csrf_token(client, f"/workshops/{workshop_id}/roster")
    return client.post(
        f"/workshops/{workshop_id}/roster",
        content_type="multipart/form-data",
        data={"csrf_token": token, "roster": (io.BytesIO(data), name)},
    )


def _people(app, workshop_id: int) -> dict[str, User]:
    with app.app_context():
        rows = db.session.execute(
            db.select(User)
            .join(WorkshopParticipant, WorkshopParticipant.user_id == User.id)
            .where(WorkshopParticipant.workshop_id == workshop_id)
        ).scalars()
        return {user.full_name: user for user in rows}


def test_good_file_creates_accounts_invites_existing_and_enrols(app, trainer, workshop_id):
    """A good file: unknown people get learner accounts with no usable password and join, enrolled in the course;
    a known e-mail (someone else's account) is only invited (issue 20: no pulling people in); audited."""
    with app.app_context():
        existing = User(email="amina@example.org", full_name="Amina N.", password_hash="x", role="learner")
        db.session.add(existing)
        db.session.commit()
        existing_id = existing.id
    response = _upload(trainer[1], workshop_id, GOOD.encode("utf-8"))
    assert response.status_code == 303, response.get_data(as_text=True)
    people = _people(app, workshop_id)
    assert set(people) == {"José Müller", "Nguyễn Văn An"}
    jose = people["José Müller"]
    assert (jose.role, jose.country, jose.email, jose.organisation) == (
        "learner",
        "MX",
        None,
        "Servicio de Administración Tributaria",
    )
    assert not jose.check_password("") and jose.password_hash.startswith("!")
    assert people["Nguyễn Văn An"].country == "VN"
    with app.app_context():
        enrolled = set(db.session.execute(db.select(Enrolment.user_id).filter_by(course_slug="demo")).scalars())
        assert enrolled == {user.id for user in people.values()}
        invited = db.session.execute(db.select(WorkshopInvitation)).scalar_one()
        assert (invited.user_id, invited.workshop_id, invited.status) == (existing_id, workshop_id, "pending")
        event = db.session.execute(db.select(AuditEvent).filter_by(event="workshop.roster_imported")).scalar_one()
        assert event.details == {"rows": 3, "created": 2, "matched": 0, "already": 0, "invited": 1}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_three_encodings_and_both_delimiters_read_the_same(app, encoding, delimiter):
    """UTF-8, UTF-8 with a byte-order mark and Windows-1252, comma or semicolon: the same names come out."""
    text = "Full Name;Country;Organisation\r\nJosé Müller;Côte d’Ivoire;Douanes ivoiriennes\r\nZoë Ødegård;NO;Toll\r\n"
    data = text.replace(";", delimiter).encode(encoding)
    with app.app_context():
        rows = parse_roster(data)
    assert [(row.line, row.full_name, row.country, row.email) for row in rows] == [
        (2, "José Müller", "CI", None),
        (3, "Zoë Ødegård", "NO", None),
    ]


def test_file_without_header_is_read_in_the_documented_order(app):
    """Without a header row the columns are full name, e-mail, country, organisation, from line 1."""
    with app.app_context():
        rows = parse_roster(b"Amina Njoroge,amina@example.org,Kenya,KRA\n")
    assert rows[0].line == 1 and (rows[0].email, rows[0].country, rows[0].organisation) == (
        "amina@example.org",
        "KE",
        "KRA",
    )


BAD = (
    "full name,e-mail,country,organisation\n"  # 1
    ",missing@example.org,KE,KRA\n"  # 2 missing name
    "Bad Mail,not-an-email,KE,KRA\n"  # 3 bad e-mail
    "Lost Person,lost@example.org,Atlantis,KRA\n"  # 4 unknown country
    "First Dup,dup@example.org,KE,KRA\n"  # 5 fine
    "Second Dup,DUP@example.org,KE,KRA\n"  # 6 duplicate e-mail
    f"{'N' * 201},long@example.org,KE,KRA\n"  # 7 over-long name
    '=HYPERLINK("http://x"),f@example.org,KE,KRA\n'  # 8 formula
    "Tab\tName,t@example.org,KE,KRA\n"  # 9 control character
    "No Country,nc@example.org,,KRA\n"  # 10 missing country
    "Fine Person,fine@example.org,KE,@evil\n"  # 11 formula in organisation
)


def test_each_bad_row_is_reported_by_line_number_and_nothing_is_imported(app, trainer, workshop_id):
    """Every kind of wrong row gets its own message with its line number, and not even the good rows go in."""
    response = _upload(trainer[1], workshop_id, BAD.encode("utf-8"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    expected = {
        2: "full name is missing",
        3: "is not an e-mail address",
        4: "unknown country “Atlantis”",
        6: "DUP@example.org is already on line 5",
        7: "longer than 200 characters",
        8: "run as a formula",
        9: "control characters",
        10: "country is missing",
        11: "run as a formula",
    }
    with app.test_request_context():
        with pytest.raises(RosterRejected) as rejected:
            parse_roster(BAD.encode("utf-8"))
        messages = {problem.line: str(problem.message) for problem in rejected.value.problems}
    assert set(messages) == set(expected)
    for line, fragment in expected.items():
        assert fragment in messages[line] and messages[line].startswith(f"Line {line}:"), messages[line]
        assert f"Line {line}:" in page
    assert "Nothing was imported" in page
    assert _people(app, workshop_id) == {}
    with app.app_context():
        assert db.session.execute(db.select(User).filter_by(email="fine@example.org")).scalar_one_or_none() is None


def test_one_bad_row_among_good_ones_imports_nothing(app, trainer, workshop_id):
    """A single wrong row stops the whole file: no account is created."""
    data = (GOOD + "Someone,,Narnia,KRA\r\n").encode("utf-8")
    response = _upload(trainer[1], workshop_id, data)
    assert response.status_code == 400 and "Line 5: unknown country" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(User.id)).where(User.role == "learner")).scalar() == 0


def test_importing_the_same_file_twice_adds_nobody_twice(app, trainer, workshop_id):
    """Known e-mails and e-mail-less names already in the workshop are recognised on a second import."""
    assert _upload(trainer[1], workshop_id, GOOD.encode("utf-8")).status_code == 303
    second = _upload(trainer[1], workshop_id, GOOD.encode("utf-8"))
    assert second.status_code == 303
    page = trainer[1].get(f"/workshops/{workshop_id}/participants").get_data(as_text=True)
    assert "0 accounts created, 0 existing accounts added, 0 existing accounts invited" in page
    assert "3 already in the workshop" in page
    assert len(_people(app, workshop_id)) == 3


def test_two_different_people_with_the_same_name_and_no_email_are_both_imported(app, trainer, workshop_id):
    """Namesakes in one file are two people."""
    data = b"Mohamed Ali,,EG,Customs\nMohamed Ali,,EG,Ports\n"
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        report = import_roster(workshop, data, db.session.get(User, trainer[0]), get_catalog())
    assert report.created == 2


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "holds no participant"),
        (b"\x81\x8d\x8f", "not a CSV text file"),
        (b"full name,e-mail,country,organisation\n", "holds no participant"),
    ],
)
def test_unreadable_or_empty_files_get_a_clear_message(app, data, message):
    """An empty file, a header alone, or bytes that are not text are refused with a message, not a 500."""
    with app.test_request_context(), pytest.raises(RosterRejected) as rejected:
        parse_roster(data)
        assert message in str(rejected.value.problems[0].message)


def test_a_disabled_account_in_the_file_stops_the_import(app, trainer, workshop_id):
    """A row matching a disabled account is reported by line and nothing is imported."""
    with app.app_context():
        db.session.add(User(email="an@example.org", full_name="An", password_hash="x", role="learner", active=False))
        db.session.commit()
    response = _upload(trainer[1], workshop_id, GOOD.encode("utf-8"))
    assert response.status_code == 400 and "Line 4: the account of an@example.org is disabled" in response.get_data(
        as_text=True
    )
    assert _people(app, workshop_id) == {}


def test_values_quoted_in_messages_are_shown_as_text(app, trainer, workshop_id):
    """What the file says is quoted in the messages as text, never as markup."""
    response = _upload(trainer[1], workshop_id, b"Name One,a&b@x,Oz&amp;Land,KRA\n")
    page = response.get_data(as_text=True)
    assert "“a&amp;b@x”" in page and "“Oz&amp;amp;Land”" in page
