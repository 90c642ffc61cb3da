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
    # Addresses or networks of the reverse proxies whose X-Forwarded-For/Proto/Host are trusted (none by default;
    # env: comma-separated). A request from any other peer has its X-Forwarded-* headers dropped. gunicorn.conf.py
    # reads the same GREENCUSTOMS_TRUSTED_PROXIES for its forwarded_allow_ips.
    "TRUSTED_PROXIES": [],
    # How many trusted proxies are chained in front of the app (default 1 when TRUSTED_PROXIES is set).
    "PROXY_HOPS": 0,
    "SECRET_KEY": None,  # from env / instance; generated once into instance/secret_key otherwise
    "SQLALCHEMY_DATABASE_URI": None,  # default: sqlite:///<instance>/greencustoms.db
    # hide_parameters: a database error's message (and so the error log) never holds the statement's values
    # (e-mails, password hashes). Keep it when overriding the options.
    "SQLALCHEMY_ENGINE_OPTIONS": {"hide_parameters": True},
    "CONTENT_ROOT": str(PROJECT_ROOT),
    "CONTENT_RELOAD": False,
    # Interface languages: English and every language with a catalogue in greencustoms/translations (see
    # docs/translations.md); set it to offer fewer.
    "LANGUAGES": None,
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "greencustoms" / "translations"),
    # Rate-limit counters: memory:// keeps them per process (development, one worker); production with several
    # gunicorn workers or instances needs a shared store, e.g. redis://127.0.0.1:6379/0 (gunicorn.conf.py refuses
    # to start several workers on memory://).
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_KEY_PREFIX": "greencustoms",
    "RATELIMIT_HEADERS_ENABLED": True,
    "LOGIN_RATE_LIMIT": "10 per minute; 50 per hour",  # per address and e-mail tried
    "LOGIN_IP_RATE_LIMIT": "200 per minute",  # per address: a workshop room often shares one
    # Failed credential checks (greencustoms.auth.throttle: sign-in, current password, reset link, slip, API
    # token), per account and per address; past them the check is refused before the secret is compared.
    "CREDENTIAL_ACCOUNT_LIMIT": "10 per 15 minutes",
    "CREDENTIAL_ADDRESS_LIMIT": "60 per 15 minutes",
    # werkzeug method for new password hashes (greencustoms.passwords); the test suite sets a cheap one.
    "PASSWORD_HASH_METHOD": "scrypt",
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    # Server-side sign-in sessions (greencustoms.auth.sessions): a session ends after this long without a request,
    # and this long after sign-in whatever happens; short enough for shared workshop PCs.
    "SESSION_IDLE_MINUTES": 60,
    "SESSION_ABSOLUTE_HOURS": 12,
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
    # Rendered Markdown kept across restarts and processes (greencustoms/content/rendercache.py); default
    # <instance>/content-cache, "" turns the file off. Safe to delete at any time.
    "CONTENT_CACHE_DIR": None,
    # Open Badges signing keys (greencustoms.credentials.keys): default <instance>/issuer-keys. Back it up; every
    # app instance must see the same folder (docs/credentials.md).
    "CREDENTIALS_KEY_FOLDER": None,
    # xAPI learning records (greencustoms.xapi, docs/xapi.md): the LRS's xAPI endpoint (e.g.
    # https://lrs.example.org/xAPI/) and its HTTP basic credentials; nothing is recorded while the URL is empty.
    "XAPI_LRS_URL": None,
    "XAPI_LRS_USERNAME": None,
    "XAPI_LRS_PASSWORD": None,
    "XAPI_TIMEOUT_SECONDS": 10,
    "XAPI_RETRY_SECONDS": 30,  # first retry after a failure; doubles up to the maximum
    "XAPI_RETRY_MAX_SECONDS": 3600,
    # Outgoing mail (greencustoms.mail). With a server, registration and e-mail changes are confirmed by a link
    # sent to the address, so the pages answer alike whether an address has an account or not (docs/deploy.md).
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_FROM": "Green Customs Learn <noreply@localhost>",
}

# Environment variables read as GREENCUSTOMS_<KEY>; booleans accept 1/true/yes.
_ENV_KEYS = {
    "DEPLOYMENT": str,
    "PROXY_HOPS": int,
    "TRUSTED_PROXIES": list,
    "SECRET_KEY": str,
    "CONTENT_ROOT": str,
    "CONTENT_RELOAD": bool,
    "CONTENT_CACHE_DIR": str,
    "RATELIMIT_STORAGE_URI": str,
    "RATELIMIT_KEY_PREFIX": str,
    "LOGIN_RATE_LIMIT": str,
    "LOGIN_IP_RATE_LIMIT": str,
    "CREDENTIAL_ACCOUNT_LIMIT": str,
    "CREDENTIAL_ADDRESS_LIMIT": str,
    "SESSION_COOKIE_SECURE": bool,
    "SESSION_IDLE_MINUTES": int,
    "SESSION_ABSOLUTE_HOURS": int,
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
    "CREDENTIALS_KEY_FOLDER": str,
    "XAPI_LRS_URL": str,
    "XAPI_LRS_USERNAME": str,
    "XAPI_LRS_PASSWORD": str,
    "XAPI_RETRY_SECONDS": float,
    "XAPI_RETRY_MAX_SECONDS": float,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USE_TLS": bool,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_FROM": str,
    "EXPORT_JOBS_PER_USER": int,
    "EXPORT_JOBS_TOTAL": int,
    "EXPORT_FILE_HOURS": int,
}


def _as_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _as_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _parse(raw: str, kind: type) -> object:
    if kind is bool:
        return _as_bool(raw)
    if kind is list:
        return _as_list(raw)
    return kind(raw)


def several_workers_on_private_counters(storage_uri: str, workers: int) -> str | None:
    """The reason a server with `workers` processes must not start on these rate-limit counters, or None.

    memory:// counters live in each process: with 2 workers a limit of 10 lets 20 guesses through. Several
    workers need a shared store (Redis)."""
    if workers > 1 and storage_uri.strip().lower().startswith("memory://"):
        return (
            f"Refusing to start {workers} workers with per-process rate-limit counters (RATELIMIT_STORAGE_URI="
            f"{storage_uri}): each worker would count on its own and let {workers} times the limit through. Set "
            "GREENCUSTOMS_RATELIMIT_STORAGE_URI to a shared store (for example redis://127.0.0.1:6379/0) or run one "
            "worker (GREENCUSTOMS_WORKERS=1)."
        )
    return None


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
            app.config[key] = _parse(raw, kind)
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
    if app.config["SESSION_COOKIE_SECURE"]:
        # __Host-: the browser accepts the cookie only over HTTPS, for this exact host and path "/" (no sibling
        # subdomain can set or overwrite it).
        if app.config.get("SESSION_COOKIE_NAME", "session") == "session":
            app.config["SESSION_COOKIE_NAME"] = "__Host-session"
        app.config["SESSION_COOKIE_DOMAIN"] = None
        app.config["SESSION_COOKIE_PATH"] = "/"
    if app.config["REMEMBER_COOKIE_SECURE"] and app.config.get("REMEMBER_COOKIE_NAME", "remember_token") == (
        "remember_token"
    ):
        app.config["REMEMBER_COOKIE_NAME"] = "__Host-remember_token"
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
