"""The shared database rules (greencustoms.database): every time is stored in UTC and read back zone-aware."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from greencustoms.database import UTCDateTime, as_utc


def test_a_time_without_its_zone_is_read_as_utc_and_one_with_a_zone_is_kept():
    assert as_utc(datetime(2026, 3, 1, 9, 30)) == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    nairobi = datetime(2026, 3, 1, 12, 30, tzinfo=timezone(timedelta(hours=3)))
    assert as_utc(nairobi) is nairobi
    assert as_utc(None) is None


def test_a_time_without_its_zone_is_refused_when_stored():
    with pytest.raises(ValueError, match="naive datetime"):
        UTCDateTime().process_bind_param(datetime(2026, 3, 1, 9, 30), None)


def test_a_single_use_row_is_spent_once_and_the_loser_keeps_nothing(app, auth):
    """spend_once: the first caller marks the row used; a second (a racing request with the same link) is told
    no, and its transaction is rolled back, so nothing it did before the attempt is saved."""
    from greencustoms.database import spend_once
    from greencustoms.extensions import db
    from greencustoms.models import PasswordResetToken, User

    user_id = auth.create(email="single.use@example.org", name="Single Use")
    now = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    with app.app_context():
        token = PasswordResetToken(user_id=user_id, token_hash="a" * 64, expires_at=now + timedelta(hours=1))
        db.session.add(token)
        db.session.commit()
        assert spend_once(PasswordResetToken, token.id, now) is True
        db.session.commit()
        db.session.get(User, user_id).full_name = "Changed by the loser"
        assert spend_once(PasswordResetToken, token.id, now + timedelta(seconds=1)) is False
        db.session.expire_all()
        assert db.session.get(User, user_id).full_name == "Single Use"
        assert db.session.get(PasswordResetToken, token.id).used_at == now
        late = PasswordResetToken(user_id=user_id, token_hash="b" * 64, expires_at=now)
        db.session.add(late)
        db.session.commit()
        expired = PasswordResetToken.expires_at > now + timedelta(minutes=1)
        assert spend_once(PasswordResetToken, late.id, now + timedelta(minutes=1), expired) is False
        assert db.session.get(PasswordResetToken, late.id).used_at is None


def test_only_a_plain_select_runs_outside_a_transaction():
    """The rule begin_at_first_write applies on PostgreSQL: a SELECT that takes no row lock may run on its own;
    every other statement (and a SELECT read through a server-side cursor) begins a transaction first."""
    from greencustoms.database import opens_transaction

    for read in ("SELECT users.id FROM users WHERE users.id = %(id)s", "  select 1"):
        assert opens_transaction(read) is False, read
    for write in (
        "INSERT INTO users (email) VALUES (%(email)s)",
        "UPDATE users SET last_seen_at=%(now)s WHERE users.id = %(id)s",
        "DELETE FROM sessions WHERE id = %(id)s",
        "SELECT users.id FROM users WHERE users.id = %(id)s FOR UPDATE",
        "SELECT quiz_attempts.id FROM quiz_attempts FOR NO KEY UPDATE SKIP LOCKED",
        "SELECT jobs.id FROM jobs FOR SHARE",
        "WITH gone AS (DELETE FROM jobs RETURNING id) SELECT count(*) FROM gone",
        "SAVEPOINT sa_savepoint_1",
        "CREATE INDEX ix_x ON users (email)",
    ):
        assert opens_transaction(write) is True, write
    assert opens_transaction("SELECT certificates.id FROM certificates", server_side=True) is True


def _in_transaction(dbapi_connection) -> bool:
    """Whether the driver's connection has a transaction open: sqlite3's flag, or psycopg's transaction status."""
    if hasattr(dbapi_connection, "in_transaction"):
        return dbapi_connection.in_transaction
    from psycopg.pq import TransactionStatus

    return dbapi_connection.info.transaction_status != TransactionStatus.IDLE


def _statements_with_transaction_state(app):
    """A list that fills with (statement, transaction open when it ran) for every statement of `app`'s engine."""
    from sqlalchemy import event

    from greencustoms.extensions import db

    seen: list[tuple[str, bool]] = []
    with app.app_context():
        engine = db.engine

    def record(_conn, cursor, statement, *_rest):
        seen.append((statement.split()[0].upper(), _in_transaction(cursor.connection)))

    event.listen(engine, "before_cursor_execute", record)
    return seen, lambda: event.remove(engine, "before_cursor_execute", record)


def test_pages_that_only_read_run_no_transaction(app, client, auth):
    """A signed-in visitor reading a lesson and /me: every statement is a SELECT that runs with no transaction
    open, on SQLite and on PostgreSQL alike (there, no BEGIN and no ROLLBACK around them)."""
    auth.create()
    auth.login()
    client.get("/me")  # the session check notes the visit's time once (a write), before the pages measured
    seen, stop = _statements_with_transaction_state(app)
    try:
        assert client.get("/courses/demo/demo-basics/welcome").status_code == 200
        assert client.get("/me").status_code == 200
    finally:
        stop()
    assert len(seen) >= 3
    assert seen == [("SELECT", False)] * len(seen)


def test_a_write_begins_a_transaction_that_lasts_until_commit_and_a_rollback_undoes_it_whole(app, auth):
    """Reads before the first write run on their own; the first write begins the transaction; everything after it
    is in it until commit; and a rollback undoes every write since it began, not only the last."""
    from sqlalchemy import select

    from greencustoms.extensions import db
    from greencustoms.models import User

    first = auth.create(email="first@example.org", name="First Officer")
    second = auth.create(email="second@example.org", name="Second Officer")
    with app.app_context():
        dbapi = db.session.connection().connection.dbapi_connection
        db.session.execute(select(User.id).where(User.id == first)).scalar_one()
        assert _in_transaction(dbapi) is False
        db.session.get(User, first).full_name = "Renamed"
        db.session.flush()  # the UPDATE: a transaction begins
        assert _in_transaction(dbapi) is True
        db.session.execute(select(User.id).where(User.id == second)).scalar_one()
        assert _in_transaction(dbapi) is True  # a read after the write is in the transaction
        db.session.get(User, second).email = "first@example.org"  # taken: the unique index refuses it
        with pytest.raises(Exception, match="(?i)unique|duplicate"):
            db.session.flush()
        db.session.rollback()
        assert _in_transaction(dbapi) is False
        assert db.session.get(User, first).full_name == "First Officer"  # the first write went with the second
        db.session.get(User, first).full_name = "Renamed at last"
        db.session.commit()
        assert _in_transaction(db.session.connection().connection.dbapi_connection) is False
        db.session.expire_all()
        assert db.session.get(User, first).full_name == "Renamed at last"


def test_a_select_that_locks_rows_begins_a_transaction_that_holds_the_lock(app, auth):
    """SELECT ... FOR UPDATE takes its row lock inside a transaction that lasts until commit (PostgreSQL). SQLite
    has no row locks: SQLAlchemy writes no FOR UPDATE there, so the read runs on its own."""
    from sqlalchemy import select

    from greencustoms.extensions import db
    from greencustoms.models import User

    user_id = auth.create()
    with app.app_context():
        dbapi = db.session.connection().connection.dbapi_connection
        db.session.execute(select(User).where(User.id == user_id).with_for_update()).scalar_one()
        assert _in_transaction(dbapi) is (db.engine.dialect.name == "postgresql")
        db.session.commit()
        assert _in_transaction(db.session.connection().connection.dbapi_connection) is False


def test_a_read_through_a_server_side_cursor_runs_in_a_transaction(app, auth):
    """The exports stream their rows (yield_per): on PostgreSQL that is a server-side cursor, which lives only in
    a transaction, so the read begins one; SQLite has no such cursor and the read runs on its own."""
    from sqlalchemy import select

    from greencustoms.extensions import db
    from greencustoms.models import User

    for number in range(3):
        auth.create(email=f"streamed{number}@example.org", name=f"Streamed {number}")
    seen, stop = _statements_with_transaction_state(app)
    with app.app_context():
        try:
            names = [
                user.full_name for user in db.session.execute(select(User).execution_options(yield_per=2)).scalars()
            ]
        finally:
            stop()
        assert sorted(names) == ["Streamed 0", "Streamed 1", "Streamed 2"]
        assert seen == [("SELECT", db.engine.dialect.name == "postgresql")]
        db.session.rollback()


def test_postgresql_connections_run_in_autocommit_unless_a_level_is_configured():
    """engine_options: PostgreSQL's connections in autocommit (begin_at_first_write then opens the transactions);
    an isolation level an operator sets in SQLALCHEMY_ENGINE_OPTIONS wins; SQLite's options are left alone."""
    from greencustoms.database import engine_options

    configured = {"hide_parameters": True}
    assert engine_options("postgresql+psycopg://db.example/gcl", configured) == {
        "hide_parameters": True,
        "isolation_level": "AUTOCOMMIT",
    }
    chosen = {"hide_parameters": True, "isolation_level": "REPEATABLE READ"}
    assert engine_options("postgresql+psycopg://db.example/gcl", chosen)["isolation_level"] == "REPEATABLE READ"
    assert engine_options("sqlite:////srv/gcl/greencustoms.db", configured) == configured


def test_an_isolation_level_an_operator_sets_is_honoured(other_app, auth):
    """With a level in SQLALCHEMY_ENGINE_OPTIONS, PostgreSQL's driver opens a transaction before every first
    statement, reads included, at that level (the first-write rule stands aside); SQLite still reads on its own."""
    from sqlalchemy import select, text

    from greencustoms.extensions import db
    from greencustoms.models import User

    user_id = auth.create()
    strict = other_app(SQLALCHEMY_ENGINE_OPTIONS={"hide_parameters": True, "isolation_level": "SERIALIZABLE"})
    with strict.app_context():
        dbapi = db.session.connection().connection.dbapi_connection
        db.session.execute(select(User.id).where(User.id == user_id)).scalar_one()
        postgresql = db.engine.dialect.name == "postgresql"
        assert _in_transaction(dbapi) is postgresql
        if postgresql:
            assert db.session.execute(text("SHOW transaction_isolation")).scalar_one() == "serializable"
        db.session.get(User, user_id).full_name = "Strictly Renamed"
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(User, user_id).full_name == "Strictly Renamed"


def test_a_savepoint_as_the_first_statement_begins_the_transaction_and_a_failure_inside_it_keeps_the_rest(app, auth):
    """The pattern "insert in a savepoint, a duplicate is not an error" (learning.progress, certificates,
    workshops) may be a request's first statement: the SAVEPOINT begins the transaction, a clash rolls back to it
    only, and a write made after it is committed."""
    from sqlalchemy.exc import IntegrityError

    from greencustoms.extensions import db
    from greencustoms.models import User

    first = auth.create(email="first@example.org", name="First Officer")
    second = auth.create(email="second@example.org", name="Second Officer")
    with app.app_context():
        dbapi = db.session.connection().connection.dbapi_connection
        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.get(User, second).email = "first@example.org"  # taken
        assert _in_transaction(dbapi) is True  # the outer transaction stays open after the savepoint's rollback
        db.session.get(User, first).full_name = "Kept After The Clash"
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(User, first).full_name == "Kept After The Clash"
        assert db.session.get(User, second).email == "second@example.org"
