"""Shared fixtures: one schema per test run (built by the migrations), an app per test, clients and auth helpers.

The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL is set.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, text

from greencustoms import create_app
from greencustoms.config import normalise_database_url
from greencustoms.content import Catalog, load_catalog
from greencustoms.extensions import db, limiter

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """The test database: DATABASE_URL (PostgreSQL in CI) or a fresh SQLite file."""
    url = os.environ.get("DATABASE_URL")
    if url:
        url = normalise_database_url(url)
        engine = create_engine(url)
        with engine.begin() as conn:  # a clean slate: the schema is rebuilt by the migrations below
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session", autouse=True)
def _runtime_files_outside_the_checkout(tmp_path_factory):
    """Every app a test makes, in process or as a server or CLI process it starts, keeps the files it writes at
    run time (content cache, job queue, export files, issuer keys) in a temporary folder unless its test gives
    its own: an app on other content must never replace the content cache in the checkout's instance/ folder
    (the next `make run` or bench would start cold), and a test run leaves nothing behind in the checkout."""
    folder = tmp_path_factory.mktemp("instance")
    settings = {
        "GREENCUSTOMS_CONTENT_CACHE_DIR": str(folder / "content-cache"),
        "GREENCUSTOMS_JOBS_URL": f"sqlite:///{folder / 'jobs.db'}",
        "GREENCUSTOMS_EXPORT_FOLDER": str(folder / "exports"),
        "GREENCUSTOMS_CREDENTIALS_KEY_FOLDER": str(folder / "issuer-keys"),
    }
    before = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    yield folder
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


# One round of PBKDF2: a test account costs nothing to create or sign in (production keeps scrypt).
CHEAP_PASSWORD_HASH = "pbkdf2:sha256:1"


@functools.cache
def shared_catalog(root: str) -> Catalog:
    """The fixture content, parsed and rendered once per test session and shared by every app (it is immutable)."""
    return load_catalog(root)


def make_app(database_url: str, **overrides):
    """A test app: the shared fixture catalog (unless the test names other content) and cheap password hashes."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "CONTENT_ROOT": str(FIXTURE_CONTENT),
        "SERVER_NAME": None,
        "PASSWORD_HASH_METHOD": CHEAP_PASSWORD_HASH,
    }
    config.update(overrides)
    if config["CONTENT_ROOT"] == str(FIXTURE_CONTENT) and "CONTENT_CATALOG" not in config:
        config["CONTENT_CATALOG"] = shared_catalog(str(FIXTURE_CONTENT))
    return create_app(config)


@pytest.fixture(scope="session")
def _schema(database_url):
    """Apply the checked-in migrations once per run, exactly as `flask db upgrade` does."""
    from flask_migrate import upgrade

    app = make_app(database_url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


def private_files(folder: Path) -> dict[str, str]:
    """Configuration that keeps an app's job queue (a real SQLite file), export files and signing keys in `folder`."""
    return {
        "JOBS_URL": f"sqlite:///{folder / 'jobs.db'}",
        "EXPORT_FOLDER": str(folder / "exports"),
        "CREDENTIALS_KEY_FOLDER": str(folder / "issuer-keys"),
    }


@pytest.fixture
def app(_schema, tmp_path):
    """A fresh app on the migrated test database, with its own job queue file; every table is emptied afterwards."""
    app = make_app(_schema, **private_files(tmp_path))
    limiter.reset()
    yield app
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def other_app(app, _schema):
    """Factory for a second app on the same database (e.g. with other content); its connections are closed after,
    and the tables are emptied by the `app` fixture."""
    apps = []

    def factory(**overrides):
        apps.append(make_app(_schema, **{**private_files(Path(app.config["EXPORT_FOLDER"]).parent), **overrides}))
        return apps[-1]

    yield factory
    for extra in apps:
        with extra.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def worker(app):
    """A real job consumer (threads of this process) on the app's SQLite queue file, stopped after the test."""
    consumer = app.extensions["jobs"].start_thread_consumer()
    yield consumer
    app.extensions["jobs"].stop_thread_consumer()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@contextlib.contextmanager
def recorded_statements(app):
    """The SQL statements `app`'s engine runs inside the block, in order (for tests of query counts)."""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(_conn, _cursor, statement, *_rest):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def count_signer_calls(monkeypatch, module, method: str) -> list[int]:
    """Replace `module`'s URLSafeTimedSerializer with a subclass that counts calls of `method` ("dumps" signs,
    "loads" verifies); returns the counter, a one-item list."""
    count = [0]
    original = module.URLSafeTimedSerializer

    def counted(self, *args, **kwargs):
        count[0] += 1
        return getattr(original, method)(self, *args, **kwargs)

    monkeypatch.setattr(module, "URLSafeTimedSerializer", type("Counting", (original,), {method: counted}))
    return count


def csrf_token(client, path: str = "/login") -> str:
    """Read a CSRF token for this client's session from a page that has a form."""
    page = client.get(path).get_data(as_text=True)
    match = _CSRF.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def post_form(client, url: str, data: dict | None = None, token_from: str = "/login", **kwargs):  # noqa: S107
    """POST a form the way a browser does, with the session's CSRF token."""
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client, token_from))
    return client.post(url, data=data, **kwargs)


class AuthActions:
    """Create accounts and sign in and out through the real pages."""

    def __init__(self, app, client):
        self._app = app
        self._client = client

    def create(self, email: str = "officer@example.org", name: str = "Amina Njoroge", role: str = "learner", **extra):
        from greencustoms.auth.service import create_user

        with self._app.app_context():
            user = create_user(email=email, full_name=name, password=PASSWORD, role=role, **extra)
            return user.id

    def login(self, email: str = "officer@example.org", password: str = PASSWORD, client=None):
        client = client or self._client
        return post_form(client, "/login", {"email": email, "password": password})

    def logout(self, client=None):
        client = client or self._client
        return post_form(client, "/logout", token_from="/")


@pytest.fixture
def auth(app, client):
    return AuthActions(app, client)
