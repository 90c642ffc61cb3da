"""Administration landing pages: the dashboard and the audit log."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from greencustoms import audit
from greencustoms.access import Access, requires
from greencustoms.admin import stats
from greencustoms.admin.blueprint import bp, date_arg, page_number
from greencustoms.content import get_catalog
from greencustoms.models import utcnow


@bp.get("/")
@requires(Access.ADMIN)
def dashboard():
    figures = stats.dashboard(get_catalog(), utcnow())
    return render_template("admin/dashboard.html", figures=figures)


@bp.get("/audit", endpoint="audit")
@requires(Access.ADMIN)
def audit_log():
    """Browse the audit log, newest first, filtered by event, actor and date range; a bad date is a 400."""
    try:
        query = audit.AuditQuery(
            event=request.args.get("event", "") if request.args.get("event") in audit.EVENTS else "",
            actor=request.args.get("actor", "")[:100],
            date_from=date_arg("from"),
            date_to=date_arg("to"),
        )
    except ValueError:
        error = _("Write dates as YYYY-MM-DD, for example 2026-01-31.")
        return render_template(
            "admin/audit.html", query=audit.AuditQuery(), page=None, actors={}, events=audit.EVENTS, error=error
        ), 400
    page = audit.search(query, page_number())
    return render_template(
        "admin/audit.html", query=query, page=page, actors=audit.actors_of(page.items), events=audit.EVENTS, error=None
    )
