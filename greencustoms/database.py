"""The SQLAlchemy handle: declarative base with a naming convention, UTC datetimes, `db`, and where a transaction
begins (at a request's first write, on both databases)."""

import re
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, overload

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import CursorResult, DateTime, MetaData, Result, inspect, update
from sqlalchemy.orm import DeclarativeBase, make_transient_to_detached, registry
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


@overload
def as_utc(value: datetime) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
def as_utc(value: datetime | None) -> datetime | None:
    """A datetime that came back without its zone is UTC, which is how every time is stored: SQLite drops the
    zone, and so do SQL aggregates and CASE expressions, which lose the column's type."""
    return value if value is None or value.tzinfo is not None else value.replace(tzinfo=UTC)


class UTCDateTime(TypeDecorator):
    """A datetime stored as UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime: use greencustoms.database.utcnow()")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        return as_utc(value)


class Base(DeclarativeBase):
    """Base class of every model."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


db = SQLAlchemy(model_class=Base)

if TYPE_CHECKING:
    # mypy cannot take an instance attribute as a base class (python/mypy#8603); db.Model is Base plus
    # Flask-SQLAlchemy's bind and table-name mixins, made at run time, so Base is its type.
    Model = Base
else:
    Model = db.Model


def rowcount(result: Result[Any]) -> int:
    """The rows an UPDATE or DELETE matched. Session.execute is typed to return a Result, but a statement without
    RETURNING gives a CursorResult, the one that has the count; raises TypeError for anything else."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"no row count on {type(result).__name__}")
    return result.rowcount


def read_columns(statement: Any, params: dict[str, Any]) -> Any:  # a CursorResult
    """Run a SELECT of plain columns (no model objects) on the session's connection (in its transaction when one is
    open: see begin_at_first_write), without the ORM's per-statement work: half the cost of `db.session.execute`
    for the small look-ups that signed-in pages make on every visit (completions, enrolments, the attempt
    history). Pending changes are flushed first, as `db.session.execute` would (autoflush), so the result sees
    them. Anything that loads model objects goes through `db.session.execute`."""
    session = db.session()
    if session.autoflush:
        session.flush()  # returns at once when nothing is pending
    return session.connection().execute(statement, params)


def spend_once(model: Any, row_id: int, now: datetime, *conditions: Any) -> bool:
    """Mark a single-use row (a reset link, a confirmation link, a sign-in slip: a model with `id` and `used_at`) as
    used at `now`, only if it is still unused and meets `conditions`. One conditional UPDATE whose row count says
    who won, so of two requests racing with the same secret exactly one gets True. The other gets False, with the
    request's transaction rolled back."""
    spent = db.session.execute(
        update(model)
        .where(model.id == row_id, model.used_at.is_(None), *conditions)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if rowcount(spent) == 1:
        return True
    db.session.rollback()
    return False


def column_names(model: Any) -> tuple[str, ...]:
    """The attribute names of a model's columns, in order: what `loaded` takes, and what a plain-column SELECT
    for it (`db.select(*(getattr(model, name) for name in column_names(model)))`) returns."""
    return tuple(attribute.key for attribute in inspect(model).column_attrs)


def loaded(model: Any, values: dict[str, Any]) -> Any:
    """The instance of `model` whose columns hold `values` (every column, as read by `read_columns`), persistent
    in the request's session as if a query had loaded it: a later change to it is saved as usual, and a query for
    the same row returns this object. When the session already holds that row, its object is returned unchanged.
    The values go into the instance's state as the ORM's own loader puts them (no history); this skips the ORM's
    per-query work, which costs about as much again as the query."""
    session = db.session()
    mapper = inspect(model)
    identity = mapper.identity_key_from_primary_key(
        [values[mapper.get_property_by_column(c).key] for c in mapper.primary_key]
    )
    known = session.identity_map.get(identity)
    if known is not None:
        return known
    instance = mapper.class_manager.new_instance()
    instance_state(instance).dict.update(values)
    make_transient_to_detached(instance)
    session.add(instance)
    return instance


def hide_error_details(engine) -> None:
    """Keep row values out of database error messages, and so out of the error log. hide_parameters (config)
    drops the statement's parameters; PostgreSQL's own DETAIL line ("Failing row contains (..., <hash>, ...)",
    "Key (email)=(...) already exists") is cut here, leaving its primary message and the SQLSTATE."""
    from sqlalchemy import event

    @event.listens_for(engine, "handle_error")
    def _cut_detail(context) -> None:
        original = context.original_exception
        diag = getattr(original, "diag", None)
        primary = getattr(diag, "message_primary", None)
        if primary:
            original.args = (primary,)
            wrapped = context.sqlalchemy_exception
            kind = type(original)
            if wrapped is not None and wrapped.args:
                wrapped.args = (f"({kind.__module__}.{kind.__name__}) {primary}", *wrapped.args[1:])


def engine_options(url: str, configured: dict[str, Any]) -> dict[str, Any]:
    """The options of the engine for the database at `url`: the configured ones and, on PostgreSQL, connections in
    autocommit, so that `begin_at_first_write` decides where a transaction begins. An isolation level set in
    SQLALCHEMY_ENGINE_OPTIONS is kept; psycopg then begins a transaction before every first statement."""
    if url.startswith("postgresql"):
        return {"isolation_level": "AUTOCOMMIT", **configured}
    return configured


# A statement that may run outside a transaction: a SELECT that takes no row lock. Anything else (INSERT, UPDATE,
# DELETE, a SELECT ... FOR UPDATE or FOR SHARE, a WITH, SAVEPOINT, DDL, any other text) begins one first.
_PLAIN_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)
_ROW_LOCK = re.compile(r"\bFOR\s+(?:UPDATE|SHARE|NO\s+KEY\s+UPDATE|KEY\s+SHARE)\b", re.IGNORECASE)


def opens_transaction(statement: str, server_side: bool = False) -> bool:
    """Whether `statement` must run inside a transaction: everything but a plain SELECT, and a SELECT read through
    a server-side cursor (PostgreSQL keeps such a cursor only inside a transaction)."""
    return server_side or _needs_transaction(statement)


@lru_cache(maxsize=1024)
def _needs_transaction(statement: str) -> bool:
    # Remembered per statement: looking for a row lock in the session check's 900 characters takes 13 us, and the
    # app runs the same few hundred statements (SQLAlchemy hands over the same string each time).
    return not _PLAIN_READ.match(statement) or _ROW_LOCK.search(statement) is not None


def begin_at_first_write(engine) -> None:
    """On PostgreSQL, a transaction begins just before a request's first statement that `opens_transaction` (its
    first write, as a rule) and lasts until the session commits or rolls back; the statements before it run in
    autocommit (`engine_options`). So a page that only reads sends no BEGIN and no ROLLBACK: two round trips fewer
    (the signed-in lesson makes two instead of four; docs/performance.md). SQLite's driver does the same: it
    begins before the first INSERT, UPDATE or DELETE, so a request's writes are one transaction on both databases,
    and its reads before them are not in it. At PostgreSQL's READ COMMITTED (the platform's level) every statement
    reads its own snapshot, in a transaction or not, so the reads see the same rows either way.

    A SELECT that changes or locks something without saying so (nextval, pg_advisory_xact_lock) would run on its
    own, its lock released at once: run it after the request's first write, or begin with a statement that
    `opens_transaction`."""
    if engine.dialect.name != "postgresql":
        return
    from psycopg.pq import TransactionStatus
    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def _begin(_conn, cursor, statement, _parameters, context, _executemany) -> None:
        connection = cursor.connection
        if not connection.autocommit or connection.info.transaction_status != TransactionStatus.IDLE:
            return  # the driver begins transactions itself, or one is open (or failed: the statement will say)
        server_side = context is not None and bool(context.execution_options.get("stream_results"))
        if opens_transaction(statement, server_side):
            connection.execute("BEGIN")


def configure_sqlite(engine) -> None:
    """On SQLite: WAL journal, a busy timeout and enforced foreign keys on every new connection."""
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
