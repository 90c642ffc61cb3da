"""Production settings and operations: secure cookies, secret key rule, proxy headers, HSTS, backup and restore."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from greencustoms.access import Access, requires
from greencustoms.extensions import db
from greencustoms.models import User


def test_production_requires_a_configured_secret_key(monkeypatch, other_app):
    """In production the app refuses to start without GREENCUSTOMS_SECRET_KEY (instances must share it)."""
    monkeypatch.setenv("GREENCUSTOMS_DEPLOYMENT", "production")
    with pytest.raises(SystemExit, match="GREENCUSTOMS_SECRET_KEY must be set"):
        other_app(SECRET_KEY=None)


def test_production_cookies_are_secure_httponly_samesite(monkeypatch, other_app, auth):
    """In production the session cookie is Secure, HttpOnly and SameSite=Lax."""
    monkeypatch.setenv("GREENCUSTOMS_DEPLOYMENT", "production")
    app = other_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["PREFERRED_URL_SCHEME"] == "https"
    auth.create()
    client = app.test_client()
    from tests.conftest import post_form

    response = post_form(
        client,
        "/login",
        {"email": "officer@example.org", "password": "correct horse battery"},
        base_url="https://localhost",
    )
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_hsts_only_over_tls_from_trusted_proxy(other_app):
    """HSTS is sent when the request came over TLS, as told by one trusted proxy hop; never over plain HTTP."""
    app = other_app(PROXY_HOPS=1)
    client = app.test_client()
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_forwarded_for_sets_client_address_for_rate_limits(other_app):
    """Behind one proxy the client's address comes from X-Forwarded-For, so rate limits are per client."""
    app = other_app(PROXY_HOPS=1)

    @app.get("/whoami")
    @requires(Access.PUBLIC)
    def whoami():
        from flask import request

        return request.remote_addr or ""

    assert app.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.9"}).text == "203.0.113.9"


def test_backup_and_restore(app, auth, runner, tmp_path, other_app):
    """`flask db backup` copies the live database (SQLite online backup, or pg_dump on PostgreSQL) and the copy
    restores with the same accounts."""
    auth.create(email="kept@example.org", name="Kept Person")
    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    target = tmp_path / ("backup.db" if sqlite else "backup.pgdump")
    result = runner.invoke(args=["db", "backup", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert "Backup written to" in result.output
    if sqlite:
        assert sqlite3.connect(target).execute("PRAGMA integrity_check").fetchone() == ("ok",)
        restored = tmp_path / "restored.db"
        restored.write_bytes(target.read_bytes())
        restored_app = other_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{restored}")
        with restored_app.app_context():
            assert db.session.execute(select(User.full_name)).scalars().all() == ["Kept Person"]
    else:
        listing = subprocess.run(
            ["pg_restore", "--data-only", "--table=users", "--file=-", str(target)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "kept@example.org" in listing
    again = runner.invoke(args=["db", "backup", "--output", str(target)])
    assert again.exit_code != 0 and "exists already" in again.output


def test_gunicorn_settings_and_template_warm_up(app, monkeypatch):
    """gunicorn.conf.py: workers from the CPU count, and the master compiles every template before it forks."""
    import multiprocessing
    import runpy
    from types import SimpleNamespace

    monkeypatch.delenv("GREENCUSTOMS_WORKERS", raising=False)
    settings = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    assert settings["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert settings["preload_app"] is True
    server = SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app))
    assert not app.jinja_env.cache
    settings["when_ready"](server)
    compiled = {name for (_loader, name) in app.jinja_env.cache}
    assert {"base.html", "learning/lesson.html", "quiz/take.html"} <= compiled
