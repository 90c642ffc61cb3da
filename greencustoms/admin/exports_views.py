"""The export page: choose filters and a format; a POST starts a background job whose page shows its progress."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from greencustoms import exports
from greencustoms.access import Access, requires
from greencustoms.admin.blueprint import bp
from greencustoms.content import get_catalog
from greencustoms.exports.jobs import ExportBusy, recent_jobs, start_export
from greencustoms.forms_common import country_choices


def _page(values, error: str | None = None, status: int = 200):
    return render_template(
        "admin/exports.html",
        courses=get_catalog().courses.values(),
        statuses=exports.STATUSES,
        formats=exports.FORMATS,
        countries=country_choices(),
        args=values,
        error=error,
        jobs=recent_jobs(current_user.id),
    ), status


@bp.get("/exports", endpoint="exports")
@requires(Access.ADMIN)
def exports_page():
    return _page(request.args)


@bp.post("/exports/completions")
@requires(Access.ADMIN)
def export_completions():
    """Start a background export of the completion records for the posted filters (CSRF-checked); bad filters
    re-show the form (400), too many exports at once too (429)."""
    fmt = request.form.get("format") or "csv"
    try:
        filters = exports.parse_filters(request.form)
        exports.service.export_format(exports.COMPLETIONS, fmt)
        job = start_export(current_user.id, "completions", fmt, filters.as_dict(), str(get_locale()))
    except (exports.FilterError, exports.UnknownFormat) as exc:
        return _page(request.form, str(exc), 400)
    except ExportBusy as exc:
        return _page(request.form, str(exc), 429)
    return redirect(url_for("exports.job", token=job.token), 303)
