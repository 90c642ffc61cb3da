"""Exports asked for on a page run as background jobs: started by a POST, written to a file under
instance/exports by a worker with a progress count, downloadable only by the person who asked, deleted after
EXPORT_FILE_HOURS.

Limits: a person has at most EXPORT_JOBS_PER_USER exports waiting or running, the whole platform at most
EXPORT_JOBS_TOTAL; beyond that `start_export` raises ExportBusy with a message to show. The worker threads of the
consumer (JOBS_WORKERS) bound how many are written at the same moment. A job still "running" after
EXPORT_JOB_TIMEOUT_MINUTES (its worker died) is marked failed by the periodic clean-up.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, update

from greencustoms.access import policy, scope
from greencustoms.exports.filters import parse_filters
from greencustoms.exports.formats import ExportFormat
from greencustoms.exports.service import COMPLETIONS, Export, completions_export, export_format
from greencustoms.extensions import db
from greencustoms.interfaces import ExportJobSource, interfaces
from greencustoms.jobs import enqueue, periodic, task
from greencustoms.models import ExportJob, User, utcnow
from greencustoms.models.export_job import ACTIVE, DONE, EXPIRED, FAILED, QUEUED, RUNNING

log = logging.getLogger(__name__)
KINDS = (COMPLETIONS.name, "workshop_results")
DEFAULTS = {
    "EXPORT_JOBS_PER_USER": 2,
    "EXPORT_JOBS_TOTAL": 6,
    "EXPORT_FILE_HOURS": 24,
    "EXPORT_JOB_TIMEOUT_MINUTES": 120,
}


class ExportBusy(Exception):
    """Too many exports are waiting or running (for this person or for everyone); the message says which."""


def setting(name: str) -> Any:
    return current_app.config.get(name, DEFAULTS[name])


def export_folder() -> Path:
    """EXPORT_FOLDER (default instance/exports), created when missing, readable by the service's user only."""
    folder = Path(current_app.config.get("EXPORT_FOLDER") or Path(current_app.instance_path) / "exports")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def start_export(
    user_id: int, kind: str, fmt: str, params: Mapping[str, Any], locale: str, now: datetime | None = None
) -> ExportJob:
    """Record an export job and put it on the queue; returns it (status "queued"). The caller has checked the
    person's right to this export and the parameters. Raises ExportBusy beyond the limits."""
    if kind not in KINDS:
        raise ValueError(f"unknown export kind {kind!r}")
    active = db.select(func.count(ExportJob.id)).where(ExportJob.status.in_(ACTIVE))
    if db.session.execute(active.where(ExportJob.user_id == user_id)).scalar_one() >= setting("EXPORT_JOBS_PER_USER"):
        raise ExportBusy(_l("You already have exports being prepared. Wait until one is ready, then try again."))
    if db.session.execute(active).scalar_one() >= setting("EXPORT_JOBS_TOTAL"):
        raise ExportBusy(_l("Many exports are being prepared right now. Try again in a few minutes."))
    job = ExportJob(
        token=secrets.token_urlsafe(32),
        user_id=user_id,
        kind=kind,
        format=fmt,
        params=dict(params),
        locale=locale,
        status=QUEUED,
        created_at=now or utcnow(),
    )
    db.session.add(job)
    db.session.commit()
    enqueue(run_export, job.id)
    return job


def job_of(token: str, user_id: int) -> ExportJob | None:
    """The job with this token if it belongs to `user_id`; None otherwise (the caller answers 404)."""
    if not token or len(token) > 64:
        return None
    return db.session.execute(db.select(ExportJob).filter_by(token=token, user_id=user_id)).scalar_one_or_none()


def job_exists(token: str) -> bool:
    """True when some job (anyone's) has this token: asking for it is then a probe of someone else's export."""
    if not token or len(token) > 64:
        return False
    return db.session.execute(db.select(ExportJob.id).filter_by(token=token)).first() is not None


def recent_jobs(user_id: int, limit: int = 10) -> list[ExportJob]:
    """The person's latest export jobs, newest first."""
    statement = db.select(ExportJob).filter_by(user_id=user_id).order_by(ExportJob.id.desc()).limit(limit)
    return list(db.session.execute(statement).scalars())


def stored_file(job: ExportJob) -> Path | None:
    """The finished file of a job that is done and not expired, or None."""
    if job.status != DONE or not job.stored_as or (job.expires_at and job.expires_at <= utcnow()):
        return None
    path = export_folder() / job.stored_as
    return path if path.is_file() else None


def build_export(job: ExportJob) -> Export:
    """The Export a job asks for, with the same builders as the CLI and the API: completions here, any other kind
    from the area that offers it (greencustoms.interfaces, ExportJobSource). Raises LookupError when the kind is
    unknown, or its object is gone or no longer visible to the person who asked."""
    if job.kind == COMPLETIONS.name:
        # The scope of the person who asked, as it is NOW: a coordinator who lost a country exports none of it.
        asker = db.session.get(User, job.user_id) if job.user_id else None
        source = "admin" if policy.is_admin(asker) else "coordinator"
        return completions_export(
            job.format,
            parse_filters(job.params),
            actor_id=job.user_id,
            source=source,
            scope=scope.learners_in_scope(asker),
        )
    return _source(job.kind).build(job.user_id, job.params, job.format)


def _source(kind: str) -> ExportJobSource:
    source = interfaces().export_jobs.get(kind)
    if source is None:
        raise LookupError(f"no export job source for {kind!r}")
    return source


def _set(job_id: int, **values: Any) -> int:
    """Update a job's row on a connection of its own (the export's read cursor stays open); returns the count."""
    with db.engine.begin() as connection:
        return connection.execute(update(ExportJob).where(ExportJob.id == job_id).values(**values)).rowcount


@task
def run_export(job_id: int) -> None:
    """Write the job's file under instance/exports (through a .part file: never a half file), then mark it done
    with its expiry; on any error mark it failed with a message for the person and log the cause."""
    job = db.session.get(ExportJob, job_id)
    if job is None or job.status != QUEUED:
        return
    if not _set_status(job_id, QUEUED, RUNNING, started_at=utcnow()):
        return  # another worker took it
    target = export_folder() / f"{job.token}.{job_format(job).extension}"
    partial = target.with_name(target.name + ".part")
    try:
        export = build_export(job)
        _set(job_id, rows_total=export.total())
        export.progress = lambda rows: _set(job_id, rows_done=rows)
        export.language = job.locale
        with partial.open("wb") as handle:
            for chunk in export.chunks():
                handle.write(chunk)
        os.replace(partial, target)
        finished = utcnow()
        _set(
            job_id,
            status=DONE,
            rows_done=export.rows,
            file_name=export.filename,
            stored_as=target.name,
            finished_at=finished,
            expires_at=finished + timedelta(hours=setting("EXPORT_FILE_HOURS")),
        )
    except Exception:
        log.exception("export job %s failed", job_id)
        partial.unlink(missing_ok=True)
        _set(job_id, status=FAILED, finished_at=utcnow(), error="failed")


def job_format(job: ExportJob) -> ExportFormat:
    """The file format (extension, media type) of a job's file."""
    if job.kind == COMPLETIONS.name:
        return export_format(COMPLETIONS, job.format)
    return export_format(_source(job.kind).kind, job.format)


def _set_status(job_id: int, expected: str, new: str, **values: Any) -> bool:
    with db.engine.begin() as connection:
        statement = update(ExportJob).where(ExportJob.id == job_id, ExportJob.status == expected)
        return connection.execute(statement.values(status=new, **values)).rowcount == 1


def expire_exports(now: datetime) -> int:
    """Delete the files of jobs past their expiry (marked "expired"), and fail jobs stuck running past the
    timeout. Returns how many files were deleted."""
    folder = export_folder()
    deleted = 0
    old = db.session.execute(db.select(ExportJob).where(ExportJob.status == DONE, ExportJob.expires_at <= now))
    for job in list(old.scalars()):
        if job.stored_as:
            (folder / job.stored_as).unlink(missing_ok=True)
            deleted += 1
        job.status, job.stored_as = EXPIRED, None
    stuck = now - timedelta(minutes=setting("EXPORT_JOB_TIMEOUT_MINUTES"))
    db.session.execute(
        update(ExportJob)
        .where(ExportJob.status == RUNNING, ExportJob.started_at < stuck)
        .values(status=FAILED, finished_at=now, error="timeout")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return deleted


@periodic(minute="*/10")
def expire_export_files() -> int:
    """The periodic task: remove expired export files."""
    return expire_exports(utcnow())
