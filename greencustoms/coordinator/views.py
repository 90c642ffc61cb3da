"""The coordinator's pages under /coordinator: officers in scope, one officer's record, exports and API tokens.

Every route is `@requires(Access.COORDINATOR)` (403 for an account without scope); an object outside the scope
answers 404 like an unknown id, and the probe is counted (greencustoms.access.probes).
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from greencustoms import exports
from greencustoms.access import Access, refuse, requires, row_exists, scope
from greencustoms.api import token_pages
from greencustoms.certificates.service import certificate_url
from greencustoms.content import get_catalog
from greencustoms.coordinator import service
from greencustoms.exports.jobs import ExportBusy, recent_jobs, start_export
from greencustoms.extensions import db
from greencustoms.forms_common import country_name
from greencustoms.inputguard import MAX_ID, page_number
from greencustoms.models import ApiToken, User, utcnow

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator")


def _countries() -> list[tuple[str, str]]:
    """The scope's countries as (code, name) choices."""
    return [(code, country_name(code)) for code in scope.countries(current_user)]


@bp.get("/")
@requires(Access.COORDINATOR)
def dashboard():
    """The learners in scope, searchable by name or e-mail and country."""
    text = (request.args.get("q") or "").strip()[:100]
    country = (request.args.get("country") or "").strip().upper()[:2]
    page = service.find_learners(current_user, text, country, page_number())
    return render_template(
        "coordinator/dashboard.html",
        page=page,
        text=text,
        country=country,
        countries=_countries(),
        scopes=scope.scopes_of(current_user),
    )


@bp.get("/learners/<int:learner_id>")
@requires(Access.COORDINATOR)
def learner(learner_id: int):
    """One learner's progress per course and certificates (with their verification links)."""
    record = service.learner_record(current_user, learner_id, get_catalog(), utcnow())
    if record is None:
        refuse("learner", learner_id, row_exists(User, learner_id))
    return render_template("coordinator/learner.html", record=record, verify_url=certificate_url)


def _exports_page(values, error: str | None = None, status: int = 200):
    return render_template(
        "coordinator/exports.html",
        courses=get_catalog().courses.values(),
        countries=_countries(),
        args=values,
        error=error,
        jobs=recent_jobs(current_user.id),
    ), status


@bp.get("/exports")
@requires(Access.COORDINATOR)
def exports_page():
    return _exports_page(request.args)


@bp.post("/exports/completions")
@requires(Access.COORDINATOR)
def export_completions():
    """Start a background export of the completion records in scope for the posted filters; a country outside
    the scope is refused (400) rather than silently giving an empty file."""
    fmt = request.form.get("format") or "csv"
    try:
        filters = exports.parse_filters(request.form)
        exports.service.export_format(exports.COMPLETIONS, fmt)
        if filters.country and filters.country not in scope.countries(current_user):
            raise exports.FilterError(_l("Choose one of the countries you coordinate."))
        job = start_export(current_user.id, "completions", fmt, filters.as_dict(), str(get_locale()))
    except (exports.FilterError, exports.UnknownFormat) as exc:
        return _exports_page(request.form, str(exc), 400)
    except ExportBusy as exc:
        return _exports_page(request.form, str(exc), 429)
    return redirect(url_for("exports.job", token=job.token), 303)


def _own_tokens() -> list[ApiToken]:
    statement = db.select(ApiToken).filter_by(created_by_id=current_user.id).order_by(ApiToken.id.desc())
    return list(db.session.execute(statement).scalars())


def _tokens_page(form: token_pages.TokenForm | None = None, error: str | None = None, status: int = 200):
    return render_template(
        "coordinator/tokens.html", tokens=_own_tokens(), form=form or token_pages.TokenForm(), error=error
    ), status


@bp.get("/tokens")
@requires(Access.COORDINATOR)
def api_tokens():
    return _tokens_page()


@bp.post("/tokens")
@requires(Access.COORDINATOR)
def create_api_token():
    """Create a token that reads the API within the coordinator's scope; its secret is shown once."""
    return token_pages.create_token("coordinator", _tokens_page)


@bp.post("/tokens/<int:token_id>/revoke")
@requires(Access.COORDINATOR)
def revoke_api_token(token_id: int):
    """Revoke one of the coordinator's own tokens; anyone else's answers 404."""
    token = db.session.get(ApiToken, token_id) if 0 < token_id <= MAX_ID else None
    if token is None or token.created_by_id != current_user.id:
        refuse("api-token", token_id, token is not None)
    return token_pages.revoke_token("coordinator", token, _tokens_page)
