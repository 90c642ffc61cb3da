"""One search (accent- and case-insensitive, wildcards literal) everywhere a name or e-mail is searched, on SQLite
and PostgreSQL; one certificate state rule whose Python and SQL forms agree; one public URL helper."""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import insert, select, true

from greencustoms import audit
from greencustoms.admin.accounts import UserQuery, search_users
from greencustoms.exports import completion_records, parse_filters
from greencustoms.extensions import db
from greencustoms.models import Certificate, User, utcnow
from greencustoms.textsearch import fold
from tests.adminkit import T0, add_learner, add_record, signed_in

PEOPLE = ["Zoé Dupont", "José Núñez", "Hans Müller", "Łukasz Ørsted", "100% Ready", "a_b Under", "back\\slash"]


@pytest.fixture
def people(app):
    with app.app_context():
        return {
            name: add_learner(name, email=f"{fold(name).split()[0][:4]}{i}@example.org")
            for i, name in enumerate(PEOPLE)
        }


def _names(app, typed: str) -> set[str]:
    with app.test_request_context():
        return {user.full_name for user in search_users(UserQuery(text=typed)).items}


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("zoe", {"Zoé Dupont"}),
        ("ZOÉ", {"Zoé Dupont"}),
        ("nunez", {"José Núñez"}),
        ("muller", {"Hans Müller"}),
        ("lukasz orsted", {"Łukasz Ørsted"}),
        ("%", {"100% Ready"}),
        ("_", {"a_b Under"}),
        ("\\", {"back\\slash"}),
        ("zoe1@", set()),
        ("zoe0@example", {"Zoé Dupont"}),
    ],
)
def test_account_search_ignores_accents_and_case_and_takes_wildcards_literally(app, people, typed, found):
    """The admin account search finds "zoe" in "Zoé", "nunez" in "Núñez", "muller" in "Müller"; % and _ and
    the escape character match only themselves."""
    assert _names(app, typed) == found


def test_the_account_page_searches_the_same_way(app, people):
    """Through the page: /admin/users?q=muller lists Hans Müller only."""
    client = signed_in(app, name="Ada Admin")[1]
    page = client.get("/admin/users?q=muller").get_data(as_text=True)
    assert "Hans Müller" in page and "Zoé Dupont" not in page


def test_a_changed_name_or_email_is_found_by_its_new_spelling(app, people):
    """The model rewrites the search column on every change of name or e-mail."""
    with app.app_context():
        user = db.session.get(User, people["Zoé Dupont"])
        user.full_name, user.email = "Zoë Ångström", "new@exämple.org"
        db.session.commit()
    assert _names(app, "angstrom") == {"Zoë Ångström"} and _names(app, "NEW@EXAMPLE") == {"Zoë Ångström"}
    assert _names(app, "dupont") == set()


def test_audit_actor_certificate_and_export_filters_use_the_same_search(app, people):
    """The audit log's actor filter, the certificate list and the export's organisation filter fold alike."""
    admin_id, client = signed_in(app, name="Ádám Ádmin")
    with app.app_context():
        audit.record("user.disabled", admin_id, "user:1")
        assert [e.actor_id for e in audit.search(audit.AuditQuery(event="user.disabled", actor="adam")).items] == [
            admin_id
        ]
        learner = add_learner("Plain", organisation="Dirección General de Aduanas")
        add_record(learner, completed=T0, certificate="valid", holder="Hans Müller")
        rows = list(completion_records(parse_filters({"organisation": "DIRECCION"}), utcnow()))
        assert [row["learner_id"] for row in rows] == [learner]
    page = client.get("/admin/certificates?q=muller").get_data(as_text=True)
    assert "Hans Müller" in page
    assert "Hans Müller" not in client.get("/admin/certificates?q=m%25ller").get_data(as_text=True)


def test_the_migration_fills_the_search_columns_of_existing_rows(app):
    """Rows written before the search columns existed are folded by the migration's fill step."""
    path = Path(__file__).parent.parent / "migrations" / "versions" / "0006_exports_jobs_search_columns.py"
    spec = importlib.util.spec_from_file_location("migration_0006", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with app.app_context():
        db.session.execute(insert(User), [{"email": "E@x.org", "full_name": "Zoé", "password_hash": "x"}])
        db.session.commit()
        assert db.session.execute(select(User.search_text)).scalar_one() == ""
        with db.engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
            migration._fill_search_columns()
        db.session.expire_all()
        assert db.session.execute(select(User.search_text)).scalar_one() == "zoe\ne@x.org"


def test_certificate_state_is_the_same_in_python_and_in_sql(app):
    """For every stored status and expiry (none, past, now, future) the model's state and the SQL CASE agree,
    and the API and the export filters give the same certificates."""
    now = utcnow()
    expiries = [None, now - timedelta(days=1), now, now + timedelta(days=1)]
    with app.app_context():
        ids = []
        for status in ("valid", "revoked", "superseded"):
            for expires in expiries:
                learner = add_learner(f"{status} {expires}")
                ids.append(add_record(learner, completed=T0, certificate=status, expires=expires).id)
        rows = db.session.execute(select(Certificate, Certificate.state(now)).where(Certificate.id.in_(ids))).all()
        assert len(rows) == 12
        assert all(certificate.state(now) == sql_state for certificate, sql_state in rows)
        assert {sql_state for _c, sql_state in rows} == {"valid", "expired", "revoked", "superseded"}
        from greencustoms.api.certificates import list_certificates

        for state in ("valid", "expired", "revoked", "superseded"):
            listed, _total = list_certificates(None, state, now, 100, 0, true())
            assert {c.id for c in listed} == {c.id for c, s in rows if s == state}
        exported = {r["certificate_status"] for r in completion_records(parse_filters({"status": "expired"}), now)}
        assert exported == {"expired"}


def test_one_public_url_helper_for_certificates_slips_and_links(app):
    """The certificate's verification URL and the other public links come from the same PUBLIC_BASE_URL rule."""
    from greencustoms.admin.blueprint import public_url as admin_public_url
    from greencustoms.certificates.service import certificate_url
    from greencustoms.web import public_url
    from greencustoms.workshops.blueprint import public_url as workshop_public_url

    app.config["PUBLIC_BASE_URL"] = "https://learn.example.org/"
    with app.app_context():
        assert admin_public_url is public_url is workshop_public_url
        assert certificate_url("7K3MQ9XDAAAABBBBCCCCDDDDEEEE").startswith(
            "https://learn.example.org/certificates/7K3M-"
        )


def test_a_name_that_folding_lengthens_is_stored_and_found(app):
    """Folding can make a text longer ("ß" -> "ss", "ﬃ" -> "ffi"): a 200-character name still saves (PostgreSQL
    too) and is found."""
    with app.app_context():
        add_learner("ﬃ" * 150 + " Straße" * 7, email="long@example.org", organisation="ß" * 200)
    assert len(_names(app, "strasse")) == 1 and len(_names(app, "ffiffi")) == 1
