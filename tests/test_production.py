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


def _whoami(app):
    """Add /whoami, answering the client address, scheme and host the app believes."""

    @app.get("/whoami")
    @requires(Access.PUBLIC)
    def whoami():
        from flask import request

        return f"{request.remote_addr} {request.scheme} {request.host}"

    return app


def test_hsts_only_over_tls_from_trusted_proxy(other_app):
    """HSTS is sent when the request came over TLS, as told by the trusted proxy; never over plain HTTP."""
    app = other_app(TRUSTED_PROXIES=["127.0.0.1"])
    client = app.test_client()
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_forwarded_for_sets_client_address_for_rate_limits(other_app):
    """Behind the trusted proxy the client's address comes from X-Forwarded-For, so rate limits are per client."""
    client = _whoami(other_app(TRUSTED_PROXIES=["127.0.0.0/8"])).test_client()
    answer = client.get("/whoami", headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}).text
    assert answer.split()[:2] == ["203.0.113.9", "https"]


def test_a_client_bypassing_the_proxy_cannot_set_its_address_or_scheme(other_app):
    """The attack: with a proxy configured, a client that reaches the app directly sends its own X-Forwarded-For,
    -Proto and -Host. All are dropped: the app sees the client's real address, plain HTTP, no HSTS."""
    client = _whoami(other_app(TRUSTED_PROXIES=["10.0.0.5"])).test_client()
    spoof = {"X-Forwarded-For": "10.0.0.5", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
    response = client.get("/whoami", headers=spoof, environ_base={"REMOTE_ADDR": "203.0.113.66"})
    assert response.text == "203.0.113.66 http localhost"
    assert "Strict-Transport-Security" not in response.headers
    from_proxy = client.get("/whoami", headers=spoof, environ_base={"REMOTE_ADDR": "10.0.0.5"})
    assert from_proxy.text == "10.0.0.5 https evil.example"  # the proxy's own word is taken, hop by hop


def test_without_trusted_proxies_no_forwarded_header_counts(other_app):
    """The default trusts nobody, not even loopback: X-Forwarded-* change nothing."""
    client = _whoami(other_app()).test_client()
    response = client.get("/whoami", headers={"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https"})
    assert response.text == "127.0.0.1 http localhost" and "Strict-Transport-Security" not in response.headers


def test_proxy_hops_without_trusted_proxies_stops_the_app(other_app):
    """PROXY_HOPS alone would trust every peer: the app refuses to start and says what is missing."""
    with pytest.raises(SystemExit, match="GREENCUSTOMS_TRUSTED_PROXIES"):
        other_app(PROXY_HOPS=1)


def test_trusted_proxies_from_the_environment(monkeypatch, other_app):
    """GREENCUSTOMS_TRUSTED_PROXIES is a comma-separated list, read by the app and by gunicorn.conf.py alike."""
    import runpy

    monkeypatch.setenv("GREENCUSTOMS_TRUSTED_PROXIES", "10.0.0.5, 192.168.7.0/24")
    assert other_app().config["TRUSTED_PROXIES"] == ["10.0.0.5", "192.168.7.0/24"]
    settings = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    assert settings["forwarded_allow_ips"] == "10.0.0.5, 192.168.7.0/24"
    monkeypatch.delenv("GREENCUSTOMS_TRUSTED_PROXIES")
    assert runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))["forwarded_allow_ips"] == ""


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
