"""JSON API /api/v1: completion records and certificates for reporting systems, with bearer tokens.

CSRF does not apply (no cookies are used: a token in the Authorization header is required on every request).
Errors are JSON: {"error": {"status": 401, "message": "..."}} (greencustoms.errors answers JSON under /api/).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, g, request, stream_with_context, url_for
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address

from greencustoms.access import Access, requires, scope
from greencustoms.api import certificates as certs
from greencustoms.api.tokens import ApiAuthError, authenticate_token, bearer_secret
from greencustoms.auth import throttle
from greencustoms.errors import fail
from greencustoms.exports import FilterError, completions_export, count_completions, parse_filters
from greencustoms.extensions import csrf, db, limiter
from greencustoms.models import User, utcnow
from greencustoms.models.tokens import hash_secret

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 500
MAX_PAGE = 1_000_000  # beyond it the OFFSET would overflow the database's integers
# Overridable in the configuration: API_RATE_LIMIT per token, API_IP_RATE_LIMIT per client address.
DEFAULT_RATE_LIMIT = "120 per minute"
DEFAULT_IP_RATE_LIMIT = "600 per minute"


def _token_key() -> str:
    secret = bearer_secret(request.headers.get("Authorization"))
    return "api-token:" + hash_secret(secret)[:32] if secret else "api-ip:" + get_remote_address()


limiter.limit(lambda: current_app.config.get("API_RATE_LIMIT", DEFAULT_RATE_LIMIT), key_func=_token_key)(bp)
limiter.limit(lambda: current_app.config.get("API_IP_RATE_LIMIT", DEFAULT_IP_RATE_LIMIT))(bp)


@bp.before_request
def require_token():
    """Every API request needs a live token: 401 without one or with a revoked one, 403 without authority."""
    secret = bearer_secret(request.headers.get("Authorization"))
    if secret:
        throttle.check("api_token")
    try:
        g.api_token = authenticate_token(secret)
    except ApiAuthError as exc:
        if secret and exc.status == 401:
            throttle.failed("api_token")  # a guessed or revoked token, counted per address and audited
        fail(exc.status, exc.message)


@bp.after_request
def api_headers(response: Response) -> Response:
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _token_creator() -> User | None:
    """The account whose authority the request's token carries: its scope bounds every answer (an administrator
    sees everything, a national coordinator their scope: greencustoms.access.scope)."""
    return db.session.get(User, g.api_token.created_by_id) if g.api_token.created_by_id else None


def _paging() -> tuple[int, int]:
    """page (from 1) and per_page (1 to MAX_PER_PAGE) from the query string; 400 when malformed."""
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", DEFAULT_PER_PAGE))
    except ValueError:
        fail(400, "page and per_page must be whole numbers.")
    if not 1 <= page <= MAX_PAGE or not 1 <= per_page <= MAX_PER_PAGE:
        fail(400, f"page must be between 1 and {MAX_PAGE} and per_page between 1 and {MAX_PER_PAGE}.")
    return page, per_page


def _pagination(page: int, per_page: int, total: int) -> dict:
    pages = max((total + per_page - 1) // per_page, 1)
    args = request.args.to_dict()
    endpoint = request.endpoint
    if endpoint is None:  # set for every request that matched a route, as an API list did
        raise RuntimeError("pagination links need the endpoint of a routed request")

    def link(number: int) -> str:
        values: dict[str, Any] = {**args, "page": number, "per_page": per_page}  # query arguments of url_for
        return url_for(endpoint, **values)

    return {
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": pages,
        "next": link(page + 1) if page < pages else None,
        "prev": link(page - 1) if 1 < page <= pages else None,
    }


@bp.get("/completions")
@requires(Access.API)
def completions():
    """A page of completion records with the export's filters and columns: {"pagination": {...}, "data": [...]},
    streamed from the same export as the admin page and the CLI (JSON format)."""
    page, per_page = _paging()
    try:
        filters = parse_filters(request.args)
    except FilterError as exc:
        fail(400, str(exc))
    now = utcnow()
    within = scope.learners_in_scope(_token_creator())
    head = json.dumps({"pagination": _pagination(page, per_page, count_completions(filters, now, within))})
    export = completions_export(
        "json",
        filters,
        actor_id=g.api_token.created_by_id,
        source="api",
        now=now,
        limit=per_page,
        offset=(page - 1) * per_page,
        audit_details={"api_token": g.api_token.id, "page": page},
        scope=within,
    )

    def body():
        yield head[:-1].encode() + b', "data": '
        yield from export.chunks()
        yield b"}\n"

    return Response(stream_with_context(body()), content_type="application/json")


@bp.get("/certificates/<code>")
@requires(Access.API)
def certificate(code: str):
    """One certificate as its verification page shows it, plus its state; 404 when no certificate has the code
    or its holder is outside the token's scope (the same answer)."""
    found = certs.find_certificate(code, scope.certificates_in_scope(_token_creator()))
    if found is None:
        fail(404, _l("No certificate has this code."))
    return certs.certificate_json(found, utcnow())


@bp.get("/certificates")
@requires(Access.API)
def certificates():
    """Certificates, newest first, filtered by course and state (valid, expired, revoked, superseded)."""
    page, per_page = _paging()
    course = (request.args.get("course") or "")[:64] or None
    state = request.args.get("status") or None
    if state and state not in certs.STATES:
        fail(400, f"status must be one of: {', '.join(certs.STATES)}.")
    now = utcnow()
    within = scope.certificates_in_scope(_token_creator())
    found, total = certs.list_certificates(course, state, now, per_page, (page - 1) * per_page, within)
    return {"pagination": _pagination(page, per_page, total), "data": [certs.certificate_json(c, now) for c in found]}
