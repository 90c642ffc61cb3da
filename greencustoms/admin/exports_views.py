"""The export page: choose filters and a format, then download the file as it is written (streamed)."""

from __future__ import annotations

from flask import Response, render_template, request, stream_with_context
from flask_login import current_user

from greencustoms import exports
from greencustoms.admin.blueprint import bp
from greencustoms.content import get_catalog
from greencustoms.forms_common import country_choices


def _page(error: str | None = None, status: int = 200):
    return render_template(
        "admin/exports.html",
        courses=get_catalog().courses.values(),
        statuses=exports.STATUSES,
        formats=exports.FORMATS,
        countries=country_choices(),
        args=request.args,
        error=error,
    ), status


@bp.get("/exports", endpoint="exports")
def exports_page():
    return _page()


@bp.get("/exports/completions")
def export_completions():
    """Stream the completion records for the filters in the query string; bad filters re-show the form (400)."""
    try:
        filters = exports.parse_filters(request.args)
        export = exports.completions_export(
            request.args.get("format") or "csv", filters, actor_id=current_user.id, source="admin"
        )
    except (exports.FilterError, exports.UnknownFormat) as exc:
        return _page(str(exc), 400)
    return Response(
        stream_with_context(export.chunks()),
        content_type=export.mimetype,
        headers={"Content-Disposition": exports.content_disposition(export.filename), "Cache-Control": "no-store"},
    )
