"""Cross-cutting web behaviour: health check, security headers, error pages, budgets, config."""

from __future__ import annotations

import pytest

from greencustoms.access import Access, requires
from greencustoms.content import get_catalog


def test_healthz_answers_when_database_answers(client):
    """/healthz is 200 with a tiny body when the app and database answer."""
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok\n"


def test_healthz_reports_database_failure(tmp_path, other_app):
    """/healthz is 503 when the database cannot be reached."""
    broken = other_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/x.db")
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503


def test_security_headers_on_every_page(client):
    """Pages carry a CSP without inline script, no framing, nosniff and a referrer policy."""
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style(client, app):
    """Templates never use inline scripts or style attributes (the CSP would block them)."""
    with app.app_context():
        module, lesson = get_catalog().lesson_sequence("demo")[0]
    for url in ("/", "/courses/demo", f"/courses/demo/{module.slug}/{lesson.slug}", "/login", "/register", "/glossary"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>" not in page and " style=" not in page and "onclick" not in page, url


def test_not_found_is_a_friendly_page(client):
    """Unknown pages give a generic 404 page, not a traceback."""
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "could not find that page" in response.get_data(as_text=True)


def test_unexpected_error_is_generic_500(app, client):
    """An exception inside a view is logged and shown as a generic 500 page without details."""

    @app.get("/boom")
    @requires(Access.PUBLIC)
    def boom():
        raise RuntimeError("secret internal detail")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and "secret internal detail" not in body and "Traceback" not in body


def test_request_size_is_limited(client):
    """Bodies over the configured limit get 413."""
    response = client.post("/login", data={"email": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413


def test_seed_lesson_html_is_small(client, app):
    """Every lesson page of the fixture stays well under 30 kB of HTML."""
    with app.app_context():
        sequence = get_catalog().lesson_sequence("demo")
    for module, lesson in sequence:
        assert len(client.get(f"/courses/demo/{module.slug}/{lesson.slug}").data) < 30_000


def test_debug_is_off_by_default(app):
    """The app never starts in debug mode unless asked."""
    assert app.debug is False


def test_secret_key_is_generated_per_instance_not_shared(tmp_path, monkeypatch):
    """Without a configured key the app creates a random one in instance/, never a fixed default."""
    from flask import Flask

    from greencustoms.config import load_config

    monkeypatch.delenv("GREENCUSTOMS_SECRET_KEY", raising=False)
    first, second = Flask("a", instance_path=str(tmp_path / "one")), Flask("b", instance_path=str(tmp_path / "two"))
    load_config(first, None)
    load_config(second, None)
    assert len(first.config["SECRET_KEY"]) == 64 and first.config["SECRET_KEY"] != second.config["SECRET_KEY"]
    assert (tmp_path / "one" / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h:5432/db", "postgresql+psycopg://u@h:5432/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_database_url_normalised_to_psycopg3(url, expected):
    """DATABASE_URL in the usual forms selects the psycopg 3 driver."""
    from greencustoms.config import normalise_database_url

    assert normalise_database_url(url) == expected


def test_environment_overrides_defaults_and_test_config_wins(monkeypatch, other_app):
    """GREENCUSTOMS_* variables override defaults; test config overrides the environment."""
    monkeypatch.setenv("GREENCUSTOMS_SITE_NAME", "From Env")
    monkeypatch.setenv("GREENCUSTOMS_SESSION_COOKIE_SECURE", "true")
    app = other_app()
    assert app.config["SITE_NAME"] == "From Env" and app.config["SESSION_COOKIE_SECURE"] is True
    assert other_app(SITE_NAME="From Test").config["SITE_NAME"] == "From Test"


def test_database_engine_is_configured(app):
    """SQLite runs in WAL mode with a busy timeout; PostgreSQL goes through psycopg 3."""
    from sqlalchemy import text

    from greencustoms.extensions import db

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 15000
            assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        else:
            assert db.engine.dialect.name == "postgresql" and db.engine.dialect.driver == "psycopg"


def test_locale_follows_accept_language(client):
    """With no profile, the page language comes from the browser's Accept-Language among supported ones."""
    page = client.get("/", headers={"Accept-Language": "fr-CH, en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in page
    page = client.get("/", headers={"Accept-Language": "de-DE, ar;q=0.3"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    page = client.get("/", headers={"Accept-Language": "de-DE, ja"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page
