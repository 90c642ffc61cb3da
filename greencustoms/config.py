"""Configuration: defaults, then GREENCUSTOMS_* and DATABASE_URL, then instance/config.py, then test config."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, object] = {
    # "production" turns on secure cookies and requires a configured SECRET_KEY (see docs/deploy.md).
    "DEPLOYMENT": "development",
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0: none).
    "PROXY_HOPS": 0,
    "SECRET_KEY": None,  # from env / instance; generated once into instance/secret_key otherwise
    "SQLALCHEMY_DATABASE_URI": None,  # default: sqlite:///<instance>/greencustoms.db
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    "CONTENT_ROOT": str(PROJECT_ROOT),
    "CONTENT_RELOAD": False,
    # Interface languages: English and every language with a catalogue in greencustoms/translations (see
    # docs/translations.md); set it to offer fewer.
    "LANGUAGES": None,
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "greencustoms" / "translations"),
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "LOGIN_RATE_LIMIT": "10 per minute; 50 per hour",  # per address and e-mail tried
    "LOGIN_IP_RATE_LIMIT": "200 per minute",  # per address: a workshop room often shares one
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session: no lost forms after a long read
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SECURE": False,
    "PREFERRED_URL_SCHEME": "http",
    "SITE_NAME": "Green Customs Learn",
    "ISSUING_BODY": "Green Customs Learn",
    # Absolute address printed in certificate QR codes; set it to the public URL in production.
    "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
    "VERIFY_RATE_LIMIT": "30 per minute",
    # Background jobs (greencustoms.jobs): the queue (default sqlite:///<instance>/jobs.db; redis://... in
    # production), who consumes it ("thread" in the web process, or "external": `flask jobs worker`), how many
    # worker threads; export files (default <instance>/exports) and their limits (greencustoms.exports.jobs).
    "JOBS_URL": None,
    "JOBS_CONSUMER": None,
    "JOBS_WORKERS": 2,
    "EXPORT_FOLDER": None,
}

# Environment variables read as GREENCUSTOMS_<KEY>; booleans accept 1/true/yes.
_ENV_KEYS = {
    "DEPLOYMENT": str,
    "PROXY_HOPS": int,
    "SECRET_KEY": str,
    "CONTENT_ROOT": str,
    "CONTENT_RELOAD": bool,
    "RATELIMIT_STORAGE_URI": str,
    "LOGIN_RATE_LIMIT": str,
    "LOGIN_IP_RATE_LIMIT": str,
    "SESSION_COOKIE_SECURE": bool,
    "REMEMBER_COOKIE_SECURE": bool,
    "PREFERRED_URL_SCHEME": str,
    "SITE_NAME": str,
    "ISSUING_BODY": str,
    "PUBLIC_BASE_URL": str,
    "VERIFY_RATE_LIMIT": str,
    "JOBS_URL": str,
    "JOBS_CONSUMER": str,
    "JOBS_WORKERS": int,
    "EXPORT_FOLDER": str,
    "EXPORT_JOBS_PER_USER": int,
    "EXPORT_JOBS_TOTAL": int,
    "EXPORT_FILE_HOURS": int,
}


def _as_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Map postgres:// and postgresql:// to the psycopg 3 driver; leave other URLs alone."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def translated_languages(folder: Path) -> list[str]:
    """English (the source language) first, then every language that has a catalogue in `folder`, by code."""
    found = sorted(path.parent.parent.name for path in folder.glob("*/LC_MESSAGES/messages.po"))
    return ["en", *(code for code in found if code != "en")]


def load_config(app: Flask, test_config: dict | None) -> None:
    """Fill app.config in the documented order; later sources win."""
    app.config.from_mapping(DEFAULTS)
    for key, kind in _ENV_KEYS.items():
        raw = os.environ.get(f"GREENCUSTOMS_{key}")
        if raw is not None:
            app.config[key] = _as_bool(raw) if kind is bool else kind(raw)
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if os.environ.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = os.environ["RATELIMIT_STORAGE_URI"]
    app.config.from_pyfile("config.py", silent=True)
    if test_config:
        app.config.from_mapping(test_config)

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        db_path = Path(app.instance_path) / "greencustoms.db"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config["LANGUAGES"]:
        app.config["LANGUAGES"] = translated_languages(Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]))
    if app.config["DEPLOYMENT"] == "production":
        _production_defaults(app)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))


def _production_defaults(app: Flask) -> None:
    """Secure cookies and HTTPS URLs unless explicitly configured otherwise; a shared, configured secret key
    (several instances behind a load balancer must sign sessions alike). Exits with a message when it is missing."""
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if os.environ.get(f"GREENCUSTOMS_{key}") is None:
            app.config[key] = True
    app.config["PREFERRED_URL_SCHEME"] = "https"
    if not app.config["SECRET_KEY"]:
        raise SystemExit(
            "GREENCUSTOMS_SECRET_KEY must be set in production (the same value on every instance); "
            'generate one with: python -c "import secrets; print(secrets.token_hex(32))"'
        )


def _instance_secret(instance: Path) -> str:
    """Read instance/secret_key, creating it with a random key the first time (never a shared default)."""
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()
