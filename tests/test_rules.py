"""Input rules (greencustoms.rules), each written as the hostile input, and the same answer from every entry point:
the service, the `users` CLI, the registration form and the roster import."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from greencustoms import rules
from greencustoms.auth import service
from greencustoms.extensions import db
from greencustoms.models import User
from greencustoms.workshops.roster import RosterRejected, parse_roster
from tests.conftest import post_form

TOO_LONG_TO_PRINT = " ".join(["WWWWWWWWW"] * 19)  # 189 characters: the column would hold it
HOSTILE_NAMES = {
    "next line U+0085": "Amina\x85Njoroge",
    "bell": "<b>Bold</b>\x07",
    "right-to-left override": "Amina \u202egnp.exe",
    "isolate": "Amina \u2067Njoroge\u2069",
    "zero-width only": "\u200b\u200b\u200b",
    "joiner only": "\u200d",
    "too long for the certificate": TOO_LONG_TO_PRINT,
    "formula": '=HYPERLINK("http://x")',
    "line separator": "Amina\u2028Njoroge",
}


def _count_users(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count(User.id))).scalar_one()


@pytest.mark.parametrize("name", HOSTILE_NAMES.values(), ids=HOSTILE_NAMES.keys())
def test_hostile_names_are_refused_by_the_rule(app, name):
    """Control characters (C0 and C1), bidi overrides and isolates, invisible-only names, formulas and names too
    long to print whole on a certificate are all refused with a message."""
    with app.test_request_context(), pytest.raises(rules.RuleError) as refused:
        rules.display_name(name)
    assert str(refused.value)


def test_names_are_stored_in_nfc_and_joiners_and_real_scripts_pass(app):
    """A decomposed é is stored composed; Persian with ZWNJ, Arabic and Chinese names are accepted."""
    with app.test_request_context():
        assert rules.display_name("Jose\u0301 Mu\u0308ller") == "José Müller"
        for name in ("می\u200cخواهم", "محمد علي", "王小明", "Nguyễn Văn An"):
            assert rules.display_name(name) == name


def test_a_long_name_that_still_fits_on_two_lines_is_accepted(app):
    """Longer names are measured in the certificate font rather than cut at a character count."""
    name = "Maria Fernanda de los Angeles Gutierrez Hernandez de la Cruz"
    with app.test_request_context():
        assert rules.display_name(name) == name


@pytest.mark.parametrize("name", ["Amina\x85Njoroge", "Amina \u202egnp.exe", "\u200b\u200b", TOO_LONG_TO_PRINT])
def test_registration_and_roster_refuse_the_same_names(app, client, name):
    """One rule: a name the roster import refuses is refused at registration too (U+0085 used to register)."""
    data = {
        "full_name": name,
        "email": "zoe@example.org",
        "country": "KE",
        "organisation": "KRA",
        "language": "en",
        "password": "a long enough password",
        "confirm": "a long enough password",
    }
    response = post_form(client, "/register", data, token_from="/register")
    assert response.status_code == 400
    with app.test_request_context(), pytest.raises(RosterRejected):
        parse_roster(f"{name},zoe@example.org,KE,KRA\n".encode())
    assert _count_users(app) == 0


def test_service_refuses_everything_wrong_at_once_and_stores_nothing(app):
    """create_user checks every rule before it writes: three wrong inputs give three errors and no row."""
    with app.test_request_context(), pytest.raises(rules.RulesBroken) as refused:
        service.create_user(
            email="not an email", full_name="<b>Bold</b>\x07", password="a long enough password", country="XYZ"
        )
    assert [error.field for error in refused.value.errors] == ["email", "full_name", "country"]
    assert _count_users(app) == 0


def test_cli_hostile_case_exits_2_with_three_messages_and_stores_nothing(app, runner):
    """`flask users create --email "not an email" --name $'<b>Bold</b>\\x07' --country XYZ`: exit status 2, one
    clear line per wrong option, no traceback, no account (on SQLite and PostgreSQL alike)."""
    result = runner.invoke(
        args=["users", "create", "--email", "not an email", "--name", "<b>Bold</b>\x07", "--country", "XYZ"]
    )
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 3, result.output
    assert lines[0].startswith("Error: --email: Enter an e-mail address")
    assert lines[1].startswith("Error: --name: ") and "characters" in lines[1]
    assert lines[2].startswith("Error: --country: Unknown country")
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert _count_users(app) == 0


def test_cli_accepts_a_lower_case_country_code_and_stores_it_upper_case(app, runner):
    """The country is checked against Babel's territory list and stored as its ISO code."""
    result = runner.invoke(
        args=["users", "create", "--email", "a@example.org", "--name", "A Person", "--country", "ke"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.execute(select(User.country)).scalar_one() == "KE"


def test_profile_change_follows_the_same_rules(app, client, auth):
    """The profile page refuses a bidi override in the name, and the name stays as it was."""
    auth.create()
    auth.login()
    data = {"full_name": "Amina \u202eNjoroge", "email": "officer@example.org", "country": "KE", "language": "en"}
    response = post_form(client, "/account", data, token_from="/account")
    assert response.status_code == 400
    with app.app_context():
        assert db.session.execute(select(User.full_name)).scalar_one() == "Amina Njoroge"
