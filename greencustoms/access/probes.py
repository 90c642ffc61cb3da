"""Probes: a signed-in person asking for an object that exists but is someone else's (an attempt, a certificate
PDF, an export, a workshop). The answer is the same 404 as for an unknown id; the probe is also counted and
written to the audit log as `access.probe`, at most PROBE_AUDIT_PER_HOUR events per person per hour so that a
flood of probes cannot flood the audit log (the rest are counted in the application log).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, NoReturn

from flask import abort, current_app, request
from flask_login import current_user
from sqlalchemy import func

from greencustoms import audit
from greencustoms.extensions import db
from greencustoms.models import AuditEvent, utcnow

DEFAULT_AUDIT_PER_HOUR = 20
MAX_ID = 2**31 - 1  # larger ids cannot name a row: no lookup is made for them


def probes_this_hour(user_id: int) -> int:
    """How many probes of this person the audit log holds for the last hour."""
    since = utcnow() - timedelta(hours=1)
    return db.session.execute(
        db.select(func.count(AuditEvent.id)).where(
            AuditEvent.event == "access.probe", AuditEvent.actor_id == user_id, AuditEvent.occurred_at >= since
        )
    ).scalar_one()


def record_probe(kind: str, ref: str) -> None:
    """Count and audit one probe by the current user of `kind` (attempt, certificate, export, workshop) `ref`."""
    if not current_user.is_authenticated:
        return
    limit = int(current_app.config.get("PROBE_AUDIT_PER_HOUR", DEFAULT_AUDIT_PER_HOUR))
    count = probes_this_hour(current_user.id) + 1
    if count > limit:
        current_app.logger.warning("access probe %s:%s by user %s (over the audit limit)", kind, ref, current_user.id)
        return
    details = {"kind": kind, "path": request.path[:200], "count_this_hour": count}
    if count == limit:
        details["note"] = "audit limit reached: further probes this hour go to the application log only"
    audit.record("access.probe", current_user.id, f"{kind}:{ref}"[:200], details)


def refuse(kind: str, ref: Any, exists: bool) -> NoReturn:
    """Answer 404; when the object exists (someone else's), record the probe first."""
    if exists:
        record_probe(kind, str(ref))
    abort(404)


def someone_elses(model: Any, row_id: int) -> bool:
    """True when a row with this primary key exists and its `user_id` is not the current user's."""
    if not 0 < row_id <= MAX_ID:
        return False
    row = db.session.get(model, row_id)
    return row is not None and row.user_id != current_user.id


def row_exists(model: Any, row_id: int) -> bool:
    """True when a row with this primary key exists (False for ids no row can have)."""
    return 0 < row_id <= MAX_ID and db.session.get(model, row_id) is not None
