"""The durable outbox: statements are written to the database with the event, then sent to the LRS until it
accepts them, with retries and back-off. Nothing is lost while the LRS is down; nothing is sent twice under two
ids (the LRS keeps one statement per id, so a statement sent again after a crash is stored once).
"""

from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from flask import current_app
from sqlalchemy.exc import IntegrityError

from greencustoms.extensions import db
from greencustoms.models import XapiStatement, utcnow

log = logging.getLogger(__name__)
XAPI_VERSION = "1.0.3"


class LrsUnavailable(RuntimeError):
    """The LRS did not answer, or answered with a server error: try again later."""


@dataclass
class Delivery:
    """What one sending round did."""

    sent: int = 0
    failed: int = 0
    pending: int = 0


def enabled() -> bool:
    """True when an LRS is configured (XAPI_LRS_URL); without one nothing is recorded."""
    return bool(current_app.config.get("XAPI_LRS_URL"))


def record(statements: list[dict], user_id: int | None) -> int:
    """Keep `statements` in the outbox (once each: a statement id already there is left alone). Returns how many
    were new. Commits."""
    new = 0
    for statement in statements:
        exists = db.session.execute(
            db.select(XapiStatement.id).filter_by(statement_id=statement["id"])
        ).scalar_one_or_none()
        if exists is not None:
            continue
        row = XapiStatement(
            statement_id=statement["id"],
            user_id=user_id,
            verb=statement["verb"]["display"]["en"],
            statement=statement,
        )
        try:
            with db.session.begin_nested():
                db.session.add(row)
            new += 1
        except IntegrityError:  # recorded by a parallel request meanwhile
            continue
    db.session.commit()
    return new


def backoff(attempts: int) -> timedelta:
    """How long to wait after failure number `attempts`: XAPI_RETRY_SECONDS, doubling up to XAPI_RETRY_MAX_SECONDS."""
    base = float(current_app.config["XAPI_RETRY_SECONDS"])
    ceiling = float(current_app.config["XAPI_RETRY_MAX_SECONDS"])
    return timedelta(seconds=min(ceiling, base * 2 ** max(0, attempts - 1)))


def deliver(limit: int = 200, now: datetime | None = None) -> Delivery:
    """Send the statements that are due, oldest first, one PUT each (idempotent by statement id). At the first
    failure to reach the LRS it stops, and every due statement waits the back-off of the one that failed."""
    result = Delivery()
    if not enabled():
        return result
    now = now or utcnow()
    due = (
        db.session.execute(
            db.select(XapiStatement)
            .where(XapiStatement.sent_at.is_(None), XapiStatement.next_attempt_at <= now)
            .order_by(XapiStatement.id)
            .limit(limit)
        )
        .scalars()
        .all()
    )
    for row in due:
        try:
            _put(row.statement_id, row.statement)
        except (LrsUnavailable, LrsRefused) as exc:
            row.attempts += 1
            row.last_error = str(exc)[:1000]
            row.next_attempt_at = now + backoff(row.attempts)
            db.session.commit()
            result.failed += 1
            log.warning("xAPI: statement %s not accepted (%s); retry at %s", row.statement_id, exc, row.next_attempt_at)
            if isinstance(exc, LrsUnavailable):  # the LRS is down: every due statement waits as long as this one
                db.session.execute(
                    db.update(XapiStatement)
                    .where(XapiStatement.sent_at.is_(None), XapiStatement.next_attempt_at <= now)
                    .values(next_attempt_at=row.next_attempt_at)
                )
                db.session.commit()
                break
            continue
        row.sent_at, row.last_error = utcnow(), None
        row.attempts += 1
        db.session.commit()
        result.sent += 1
    result.pending = db.session.execute(
        db.select(db.func.count(XapiStatement.id)).where(XapiStatement.sent_at.is_(None))
    ).scalar_one()
    return result


class LrsRefused(RuntimeError):
    """The LRS refused this statement (a 4xx other than 409): kept, retried later, and shown by `flask xapi status`."""


def _put(statement_id: str, statement: dict) -> None:
    """PUT one statement. 204 (stored) and 409 (that id is already stored) both mean "delivered"."""
    config = current_app.config
    url = config["XAPI_LRS_URL"].rstrip("/") + "/statements?statementId=" + quote(statement_id)
    if not url.startswith(("http://", "https://")):
        raise LrsUnavailable("XAPI_LRS_URL must be an http:// or https:// address")
    body = json.dumps(statement).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="PUT")  # noqa: S310  (scheme checked above)
    request.add_header("Content-Type", "application/json")
    request.add_header("X-Experience-API-Version", XAPI_VERSION)
    if config.get("XAPI_LRS_USERNAME"):
        secret = f"{config['XAPI_LRS_USERNAME']}:{config.get('XAPI_LRS_PASSWORD') or ''}".encode()
        request.add_header("Authorization", "Basic " + base64.b64encode(secret).decode())
    try:
        with urllib.request.urlopen(request, timeout=float(config["XAPI_TIMEOUT_SECONDS"])) as response:  # noqa: S310
            response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 409:
            return
        detail = exc.read()[:300].decode("utf-8", "replace")
        if exc.code >= 500 or exc.code in (401, 403, 429):
            raise LrsUnavailable(f"HTTP {exc.code}: {detail}") from None
        raise LrsRefused(f"HTTP {exc.code}: {detail}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        raise LrsUnavailable(str(getattr(exc, "reason", exc))) from None
