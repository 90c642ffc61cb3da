"""Credential routes: the issuer profile and status list (public JSON-LD), the learner's credential download, and
the public verification page for an uploaded credential.

Access classes: issuer_profile, status_list, verify_upload: PUBLIC; download: OWNER (the signed-in learner's own
certificate, 404 otherwise).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, render_template
from flask_login import current_user

from greencustoms.access import Access, policy, refuse, requires
from greencustoms.certificates import service
from greencustoms.content import get_catalog
from greencustoms.credentials.badge import credential_file, issuer_profile
from greencustoms.credentials.forms import VerifyUploadForm
from greencustoms.credentials.statuslist import status_list_credential
from greencustoms.credentials.verify import MAX_BYTES, verify_bytes
from greencustoms.extensions import limiter

bp = Blueprint("credentials", __name__)
JSON_LD = "application/ld+json"


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


def _json(document: dict, mimetype: str = JSON_LD, **headers) -> Response:
    body = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False)
    return Response(body, mimetype=mimetype, headers=headers)


@bp.get("/credentials/issuer")
@requires(Access.PUBLIC)
def issuer_profile_view():
    """The issuer's profile with every key it has signed with (Multikey): what verifiers resolve."""
    return _json(issuer_profile(), **{"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"})


@bp.get("/credentials/status/1")
@requires(Access.PUBLIC)
def status_list():
    """The signed Bitstring Status List credential (revocation)."""
    return _json(
        status_list_credential(), **{"Cache-Control": "public, max-age=60", "Access-Control-Allow-Origin": "*"}
    )


@bp.get("/me/certificates/<code>.json")
@requires(Access.OWNER)
def download(code: str):
    """Learners download only their own certificates' credentials; any other code is a 404 (and a counted probe)."""
    certificate = service.find_by_code(code)
    if certificate is None or not policy.owns(current_user, certificate):
        refuse("certificate", certificate.code if certificate else "", certificate is not None)
    name, data = credential_file(certificate, get_catalog())
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"}
    return Response(data, mimetype="application/json", headers=headers)


@bp.route("/certificates/verify", methods=["GET", "POST"])
@limiter.limit(_verify_limit, methods=["POST"])
@requires(Access.PUBLIC)
def verify_upload():
    """Check an uploaded credential file and say valid / tampered / revoked / expired / unknown issuer, and why."""
    form = VerifyUploadForm()
    result = None
    if form.validate_on_submit():
        result = verify_bytes(form.credential.data.read(MAX_BYTES + 1))
    status = 400 if form.errors else 200
    return render_template("credentials/verify_upload.html", form=form, result=result), status
