"""Administration landing pages: the dashboard and the audit log."""

from __future__ import annotations

from flask import abort, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from greencustoms import audit
from greencustoms.access import Access, requires
from greencustoms.admin import auditlog, stats
from greencustoms.admin.blueprint import bp, date_arg
from greencustoms.content import get_catalog
from greencustoms.exports.formats import FORMATS
from greencustoms.inputguard import page_number
from greencustoms.models import utcnow
from greencustoms.web import content_disposition


@bp.get("/")
@requires(Access.ADMIN)
def dashboard():
    figures = stats.dashboard(get_catalog(), utcnow())
    return render_template("admin/dashboard.html", figures=figures)


def _audit_query() -> audit.AuditQuery:
    """The audit filters from the query string. Raises ValueError for a date not written YYYY-MM-DD."""
    group = request.args.get("group", "")
    return audit.AuditQuery(
        event=request.args.get("event", "") if request.args.get("event") in audit.EVENTS else "",
        group=group if group in audit.groups() else "",
        actor=request.args.get("actor", "")[:100],
        about=request.args.get("about", "")[:100],
        date_from=date_arg("from"),
        date_to=date_arg("to"),
    )


def _audit_page(query: audit.AuditQuery, page, error: str | None = None):
    return render_template(
        "admin/audit.html",
        query=query,
        page=page,
        read=auditlog.describe(page.items) if page else [],
        events=audit.EVENTS,
        groups=[(group, auditlog.GROUPS.get(group, group)) for group in audit.groups()],
        error=error,
    )


@bp.get("/audit", endpoint="audit")
@requires(Access.ADMIN)
def audit_log():
    """Browse the audit log as sentences, newest first, filtered by group or event, actor, about whom or what,
    and date range; a bad date is a 400."""
    try:
        query = _audit_query()
    except ValueError:
        return _audit_page(audit.AuditQuery(), None, _("Write dates as YYYY-MM-DD, for example 2026-01-31.")), 400
    return _audit_page(query, audit.search(query, page_number()))


@bp.get("/audit/export.<fmt>")
@requires(Access.ADMIN)
def audit_export(fmt: str):
    """The filtered audit log as CSV or XLSX: the sentence in the administrator's language beside the stored
    event code, actor, target and details (JSON); the export itself is audited."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    try:
        query = _audit_query()
    except ValueError:
        return _audit_page(audit.AuditQuery(), None, _("Write dates as YYYY-MM-DD, for example 2026-01-31.")), 400
    records = auditlog.export_records(query)
    audit.record("export.audit_log", current_user.id, None, {"format": fmt, "rows": len(records)})
    output = FORMATS[fmt]
    body = b"".join(
        output.write(records, auditlog.EXPORT_COLUMNS, sheet_title="Audit log")
        if fmt == "xlsx"
        else output.write(records, auditlog.EXPORT_COLUMNS)
    )
    response = make_response(body)
    response.headers["Content-Type"] = output.mimetype
    response.headers["Content-Disposition"] = content_disposition(f"audit-log.{fmt}")
    return response
