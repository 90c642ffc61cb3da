"""Roster import, countries and recovery: the usual spellings of countries (official short names, French, Spanish
and Arabic names, USA/UK...), a "did you mean" for an unreadable one, the good rows imported on request, and the
rejected data kept in the form to be fixed and sent again."""

from __future__ import annotations

import io
import re

import pytest

from greencustoms.extensions import db
from greencustoms.models import User, WorkshopParticipant
from greencustoms.workshops.countries import country_code, suggest
from greencustoms.workshops.roster import RosterRejected, parse_roster
from tests.conftest import csrf_token
from tests.workshopkit import make_workshop, signed_in

SPELLINGS = {
    "Viet Nam": "VN",
    "Vietnam": "VN",
    "Cote d'Ivoire": "CI",
    "Côte d’Ivoire": "CI",
    "COTE D IVOIRE": "CI",
    "Ivory Coast": "CI",
    "Turkey": "TR",
    "Türkiye": "TR",
    "Turquie": "TR",
    "USA": "US",
    "United States of America": "US",
    "Estados Unidos": "US",
    "UK": "GB",
    "Royaume-Uni": "GB",
    "Democratic Republic of the Congo": "CD",
    "République démocratique du Congo": "CD",
    "Korea, Republic of": "KR",
    "Tanzania, United Republic of": "TZ",
    "Iran (Islamic Republic of)": "IR",
    "Sénégal": "SN",
    "senegal": "SN",
    "Alemania": "DE",
    "ألمانيا": "DE",
    "كينيا": "KE",
    "المملكة المغربية": None,  # a long form not in any list: unknown, not guessed wrong
    "ke": "KE",
    "Kenia": "KE",
}


@pytest.mark.parametrize(("typed", "code"), SPELLINGS.items())
def test_usual_spellings_are_read(typed, code):
    assert country_code(typed) == code


def test_unknown_countries_are_refused_with_a_suggestion_when_one_is_close():
    assert country_code("Keyna") is None and suggest("Keyna") == "Kenya (KE)"
    assert country_code("Atlantis") is None and suggest("Atlantis") is None
    assert country_code("x" * 500) is None and suggest("x" * 500) is None


def test_the_pages_own_example_is_accepted(app, trainer, workshop_id):
    page = trainer[1].get(f"/workshops/{workshop_id}/roster").get_data(as_text=True)
    example = re.search(r'<pre class="example">(.*?)</pre>', page, re.S).group(1)
    with app.test_request_context():
        rows = parse_roster(example.encode("utf-8"))
    assert [row.country for row in rows] == ["KE", "VN"]


@pytest.fixture
def trainer(app):
    return signed_in(app, role="trainer", email="trainer@example.org", name="Tess Trainer")


@pytest.fixture
def workshop_id(app, trainer):
    return make_workshop(app, trainer[0])


BAD = (
    "full name,e-mail,country,organisation\n"
    "Amina Njoroge,,Keyna,KRA\n"
    "Nguyễn Văn An,,Viet Nam,GDVC\n"
    "Koffi Kouassi,,Cote d'Ivoire,Douanes\n"
    "Zed Nowhere,,Atlantis,None\n"
)


def _post(client, workshop_id: int, **fields):
    token = csrf_token(client, f"/workshops/{workshop_id}/roster")
    data = {"csrf_token": token, **fields}
    return client.post(f"/workshops/{workshop_id}/roster", content_type="multipart/form-data", data=data)


def _names(app, workshop_id: int) -> set[str]:
    with app.app_context():
        return set(
            db.session.execute(
                db.select(User.full_name)
                .join(WorkshopParticipant, WorkshopParticipant.user_id == User.id)
                .where(WorkshopParticipant.workshop_id == workshop_id)
            ).scalars()
        )


def test_a_bad_file_is_reported_by_line_with_a_suggestion_and_kept_in_the_form(app, trainer, workshop_id):
    response = _post(trainer[1], workshop_id, roster=(io.BytesIO(BAD.encode("cp1252", "replace")), "r.csv"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and _names(app, workshop_id) == set()
    assert "Line 2: unknown country “Keyna”. Did you mean Kenya (KE)?" in page
    assert "Line 5: unknown country “Atlantis”" in page and "Did you mean" not in page.split("Line 5")[1][:80]
    assert "Koffi Kouassi,,Cote d&#39;Ivoire,Douanes" in page  # the data, back in the textarea to fix
    assert "Import the 2 good rows only" in page


def test_the_good_rows_can_be_imported_alone(app, trainer, workshop_id):
    response = _post(trainer[1], workshop_id, text=BAD, good_rows="1")
    assert response.status_code == 303
    assert _names(app, workshop_id) == {"Koffi Kouassi", "Nguyễn Văn An"}


def test_fixed_pasted_rows_import_everyone(app, trainer, workshop_id):
    fixed = BAD.replace("Keyna", "Kenya").replace("Atlantis", "Maroc")
    assert _post(trainer[1], workshop_id, text=fixed).status_code == 303
    assert len(_names(app, workshop_id)) == 4
    assert _post(trainer[1], workshop_id, text=fixed).status_code == 303  # again: nobody twice
    assert len(_names(app, workshop_id)) == 4


def test_pasted_tab_separated_rows_from_a_spreadsheet(app, trainer, workshop_id):
    text = "Amina Njoroge\t\tKenya\tMinistry of Finance, Customs\n"
    assert _post(trainer[1], workshop_id, text=text).status_code == 303
    assert _names(app, workshop_id) == {"Amina Njoroge"}


def test_nothing_sent_is_a_clear_400(trainer, workshop_id):
    response = _post(trainer[1], workshop_id, text="  ")
    assert response.status_code == 400 and "Choose a CSV file, or paste the rows." in response.get_data(as_text=True)


def test_good_rows_alone_never_hides_a_file_with_no_good_row(app, trainer, workshop_id):
    response = _post(trainer[1], workshop_id, text="Zed,,Atlantis,X\n", good_rows="1")
    assert response.status_code == 400 and _names(app, workshop_id) == set()
    with app.test_request_context(), pytest.raises(RosterRejected):
        parse_roster(b"Zed,,Atlantis,X\n", skip_wrong_rows=True)


def test_another_trainers_workshop_roster_is_a_404(app, trainer):
    other_id, _client = signed_in(app, role="trainer", email="other@example.org", name="Otto Other")
    workshop_id = make_workshop(app, other_id)
    assert trainer[1].get(f"/workshops/{workshop_id}/roster").status_code == 404
