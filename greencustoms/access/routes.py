"""Route classes: every view declares who may call it with `@requires(Access.X)`, and this module enforces it.

| class     | who passes                                  | anonymous    | signed in, refused             |
|-----------|---------------------------------------------|--------------|--------------------------------|
| PUBLIC    | anyone                                      | -            | -                              |
| SIGNED_IN | any signed-in account                       | sign-in page | -                              |
| OWNER     | the owner of the object in the URL          | sign-in page | 404 (the view's lookup)        |
| TRAINER   | a trainer of THIS workshop (owner, co-trainer, admin, its country's coordinator) | sign-in | 403 / 404 |
| COORDINATOR | a national coordinator (objects: in scope)  | sign-in page | 403; 404 out of scope          |
| ADMIN     | an administrator                            | sign-in page | 403                            |
| API       | a live bearer token made by an administrator | 401 (JSON)  | 401 / 403 (JSON)               |

404 or 403: an object you may not know exists (someone else's attempt, certificate, export or workshop)
answers 404, exactly like an unknown id, and the probe is counted (greencustoms.access.probes). A role you do
not hold answers 403: that an administration or trainer area exists is no secret.

An OWNER view looks its object up with the policy (`owns`, or a query by owner) and calls `probes.refuse` when
it is not the current user's. A TRAINER route with a `workshop_id` gets the workshop resolved here (404 unless
`policy.trains`), available to the view as `trained_workshop_of_request()`.

An endpoint without a class is refused (403) and named in the log; tests/test_route_access.py fails on it.
`Cache-Control: no-store` is set on every response of a non-public route, of a route declared
`no_store=True` (sign-in, registration, password pages) and on every response to a signed-in person, except
routes declared `no_store=False` (static files, content images: the same for everyone).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from flask import Flask, Response, abort, current_app, g, request
from flask_login import current_user

from greencustoms.access import policy
from greencustoms.access.probes import MAX_ID, refuse, row_exists
from greencustoms.extensions import login_manager
from greencustoms.models import Workshop


class Access(StrEnum):
    """The class of a route: who may call it (see the table above)."""

    PUBLIC = "public"
    SIGNED_IN = "signed-in"
    OWNER = "owner"
    TRAINER = "trainer"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
    API = "api"


UNGUARDED_ENDPOINTS = {"static"}  # Flask's own static route: public files, cacheable


def requires(access: Access, *, post: Access | None = None, no_store: bool | None = None) -> Callable:
    """Decorator: classify the view and enforce the class before it runs. `post` gives POST a stricter class
    than GET (a public page whose form needs a signed-in person); `no_store` forces (True) or waives (False) the
    no-store header (default: the rule in the module docstring)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            refusal = enforce(post if (post and request.method == "POST") else access, kwargs)
            return refusal if refusal is not None else view(*args, **kwargs)

        guarded.access = access  # type: ignore[attr-defined]
        guarded.access_post = post or access  # type: ignore[attr-defined]
        guarded.no_store = no_store  # type: ignore[attr-defined]
        return guarded

    return decorator


def enforce(access: Access, view_args: dict[str, Any]) -> Response | None:
    """Apply one class to the current request: None to go on, or the sign-in redirect; aborts with 401/403/404."""
    if access is Access.PUBLIC:
        return None
    if access is Access.API:
        if g.get("api_token") is None:  # the API blueprint authenticates the bearer token first
            abort(401)
        return None
    if not policy.is_signed_in(current_user):
        return login_manager.unauthorized()
    if access is Access.ADMIN and not policy.is_admin(current_user):
        abort(403)
    if access is Access.COORDINATOR and not policy.is_coordinator(current_user):
        abort(403)
    if access is Access.TRAINER:
        if not policy.runs_workshops(current_user):
            abort(403)
        if "workshop_id" in view_args:
            workshop_id = view_args["workshop_id"]
            if not 0 < workshop_id <= MAX_ID:  # no row has such an id: no query
                abort(404)
            g.trained_workshop = policy.trained_workshop(current_user, workshop_id) or refuse(
                "workshop", workshop_id, row_exists(Workshop, workshop_id)
            )
    return None


def trained_workshop_of_request() -> Workshop | None:
    """The workshop of the URL, already checked by the TRAINER class (None on other routes)."""
    return g.get("trained_workshop")


def route_class(endpoint: str | None, method: str = "GET") -> Access | None:
    """The class declared by the view of `endpoint` (for `method`), or None when it has none."""
    view = current_app.view_functions.get(endpoint or "")
    if view is None:
        return None
    return getattr(view, "access_post" if method == "POST" else "access", None)


def _refuse_unclassified() -> None:
    """Deny by default: a route nobody classified is not served."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in UNGUARDED_ENDPOINTS:
        return
    if route_class(endpoint) is None:
        current_app.logger.error("route %s has no access class: refused (add @requires)", endpoint)
        abort(403)


def _no_store(response: Response) -> Response:
    view = current_app.view_functions.get(request.endpoint or "")
    declared = getattr(view, "no_store", None)
    if request.endpoint in UNGUARDED_ENDPOINTS or declared is False:
        return response
    private = declared or route_class(request.endpoint, request.method) not in (None, Access.PUBLIC)
    if private or current_user.is_authenticated:
        if "no-store" not in (response.headers.get("Cache-Control") or ""):
            response.headers["Cache-Control"] = "no-store"
    return response


def _template_may() -> dict[str, Callable[[str], bool]]:
    # The user of this render, taken from the proxy at the first check (each check reads it three or four times);
    # a template that asks nothing loads nobody
    user: list[Any] = []

    def may(capability: str) -> bool:
        if not user:
            user.append(current_user._get_current_object())
        return policy.may(user[0], capability)

    return {"may": may}


def init_app(app: Flask) -> None:
    """Deny unclassified routes, set no-store on private responses, give templates `may("capability")`."""
    app.before_request(_refuse_unclassified)
    app.after_request(_no_store)
    app.context_processor(_template_may)
