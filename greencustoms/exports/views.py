"""Pages of one background export: its progress (refreshing itself, JavaScript optional) and its download, for
the person who asked for it only (anyone else gets 404)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, send_file
from flask_login import current_user

from greencustoms.access import Access, refuse, requires
from greencustoms.exports.jobs import job_exists, job_format, job_of, stored_file
from greencustoms.exports.service import content_disposition

bp = Blueprint("exports", __name__, url_prefix="/exports")
REFRESH_SECONDS = 2


@bp.get("/<token>")
@requires(Access.OWNER)
def job(token: str):
    found = job_of(token, current_user.id) or refuse("export", token[:16], job_exists(token))
    return render_template("exports/job.html", job=found, refresh=REFRESH_SECONDS if found.is_active else None)


@bp.get("/<token>/download")
@requires(Access.OWNER)
def download(token: str):
    """The finished file as an attachment; 404 when it is not this person's, not ready or expired."""
    found = job_of(token, current_user.id) or refuse("export", token[:16], job_exists(token))
    path = stored_file(found) or abort(404)
    response = send_file(path, conditional=False, max_age=0)
    response.headers["Content-Type"] = job_format(found).mimetype
    response.headers["Content-Disposition"] = content_disposition(found.file_name or path.name)
    return response
