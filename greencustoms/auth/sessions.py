"""Sign-in sessions kept on the server, so that signing out really ends them.

The cookie (Flask's signed session, and Flask-Login's remember cookie when used) carries only a random secret;
the database keeps its SHA-256 hash in a `UserSession` row. The user loader accepts a cookie only while its row
is live: not revoked, signed in under the user's current session epoch, seen within SESSION_IDLE_MINUTES and
started within SESSION_ABSOLUTE_HOURS. A copied cookie is therefore worthless after sign-out, after "sign out
everywhere", after a password change or reset, and after the limits, however it is replayed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, g
from sqlalchemy import bindparam, update

from greencustoms import audit
from greencustoms.access import scope
from greencustoms.database import column_names, loaded, read_columns
from greencustoms.extensions import db
from greencustoms.models import CoordinatorScope, User, UserSession, utcnow
from greencustoms.models.tokens import hash_secret, new_secret
from greencustoms.studylanguages import remember_study_languages, study_languages_column

# last_seen_at is written at most this often, so that a busy page does not write on every request.
SEEN_RESOLUTION = timedelta(minutes=1)
DEFAULT_IDLE_MINUTES = 60
DEFAULT_ABSOLUTE_HOURS = 12


def _limits() -> tuple[timedelta, timedelta]:
    config = current_app.config
    return (
        timedelta(minutes=int(config.get("SESSION_IDLE_MINUTES", DEFAULT_IDLE_MINUTES))),
        timedelta(hours=int(config.get("SESSION_ABSOLUTE_HOURS", DEFAULT_ABSOLUTE_HOURS))),
    )


def start_session(user: User, user_agent: str = "", now: datetime | None = None) -> str:
    """Open a session for `user` and return its secret (for the cookie; only the hash is stored). The user object
    then answers get_id() with that secret, which is what Flask-Login writes into the cookie."""
    secret = new_secret()
    now = now or utcnow()
    db.session.add(
        UserSession(
            token_hash=hash_secret(secret),
            user_id=user.id,
            epoch=user.session_epoch or 0,
            created_at=now,
            last_seen_at=now,
            user_agent=summarise_user_agent(user_agent),
        )
    )
    db.session.commit()
    user.session_secret = secret
    return secret


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def summarise_user_agent(user_agent: str | None) -> str:
    """ "Firefox on Windows": enough for a person to recognise a device, without keeping the whole header."""
    text = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in text), "")
    system = next((name for marker, name in _SYSTEMS if marker in text), "")
    return " / ".join(part for part in (browser, system) if part)[:120]


def open_sessions(user: User, now: datetime | None = None) -> list[UserSession]:
    """The account's live sessions (see live_session), most recently seen first: the account page lists them."""
    now = now or utcnow()
    idle, absolute = _limits()
    statement = (
        db.select(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.revoked_at.is_(None),
            UserSession.epoch == (user.session_epoch or 0),
            UserSession.last_seen_at > now - idle,
            UserSession.created_at > now - absolute,
        )
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    return list(db.session.execute(statement).scalars())


# One query for the session's state, its user, whether the user holds a coordinator scope (the menu of every page
# asks) and the study languages the user chose (every course and lesson page asks). It runs on every signed-in
# request, so the statement is built once (building it per request cost more than running it), and it returns
# plain columns, run on the session's connection: the user is then made persistent in the session directly
# (`database.loaded`), without the ORM's per-query work, which cost about as much again as the query.
_USER_COLUMNS = column_names(User)
_LIVE_SESSION = (
    db.select(
        *(getattr(User, name) for name in _USER_COLUMNS),
        UserSession.id,
        UserSession.revoked_at,
        UserSession.epoch,
        UserSession.last_seen_at,
        UserSession.created_at,
        db.select(CoordinatorScope.id).where(CoordinatorScope.user_id == User.id).exists(),
        study_languages_column(User.id),
    )
    .join(User, User.id == UserSession.user_id)
    .where(UserSession.token_hash == bindparam("token_hash"))
)
_SEEN = (
    update(UserSession)
    .where(UserSession.id == bindparam("session_id"))
    .values(last_seen_at=bindparam("now"))
    .execution_options(synchronize_session=False)
)


def live_session(secret: str, now: datetime | None = None) -> tuple[int, User] | None:
    """(id of the live session for this cookie secret, its active user), or None (unknown, revoked, from an older
    epoch, idle too long, or too old all look the same). Refreshes last_seen_at at most once a minute."""
    if not secret or len(secret) > 100:
        return None
    found = read_columns(_LIVE_SESSION, {"token_hash": hash_secret(secret)}).first()
    if found is None:
        return None
    columns = dict(zip(_USER_COLUMNS, found, strict=False))
    session_id, revoked_at, epoch, last_seen_at, created_at, has_scope, study_languages = found[len(_USER_COLUMNS) :]
    if revoked_at is not None:
        return None
    now = now or utcnow()
    idle, absolute = _limits()
    if (
        not columns["active"]
        or epoch != (columns["session_epoch"] or 0)
        or now - last_seen_at > idle
        or now - created_at > absolute
    ):
        return None
    if now - last_seen_at >= SEEN_RESOLUTION:
        db.session.execute(_SEEN, {"session_id": session_id, "now": now})
        db.session.commit()
    user = loaded(User, columns)
    user.session_secret = secret
    if not has_scope:
        scope.remember_no_scope(user.id)
    remember_study_languages(user.id, study_languages)
    return session_id, user


def load_user(secret: str) -> User | None:
    """Flask-Login's user loader: the user of a live session, else None (the visitor is signed out)."""
    found = live_session(secret)
    if found is None:
        return None
    g.user_session_id, user = found
    return user


def end_session(secret: str | None, now: datetime | None = None) -> None:
    """Revoke the session of this secret (sign-out). Unknown or already revoked: nothing happens."""
    if not secret:
        return
    db.session.execute(
        update(UserSession)
        .where(UserSession.token_hash == hash_secret(secret), UserSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def end_all_sessions(user: User, now: datetime | None = None) -> None:
    """Revoke every session of `user` ("sign out everywhere"), and move the epoch on for good measure; audited as
    auth.signed_out_everywhere."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    user.end_sessions()
    audit.record("auth.signed_out_everywhere", user.id, f"user:{user.id}", commit=False)
    db.session.commit()
