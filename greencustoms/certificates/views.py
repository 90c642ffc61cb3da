"""Certificate pages: public verification, the learner's own PDFs, and revocation / re-issue by administrators."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from greencustoms import audit
from greencustoms.access import Access, policy, refuse, requires
from greencustoms.certificates import service
from greencustoms.certificates.bulk import display_file_name, safe_file_name
from greencustoms.certificates.codes import format_code, has_valid_check, normalise_code
from greencustoms.certificates.forms import ReissueForm, RevokeForm
from greencustoms.certificates.pdf import render_pdf
from greencustoms.content import get_catalog
from greencustoms.credentials.badge import pdf_attachments
from greencustoms.extensions import db, limiter
from greencustoms.models import Certificate, User, utcnow
from greencustoms.textsearch import contains
from greencustoms.web import content_disposition

bp = Blueprint("certificates", __name__)
MISTYPED = _l(
    "This code has a typing mistake: its last character does not match the others. Compare each character with "
    "the printed certificate (0 and O, 1 and I are read the same) and try again."
)


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


def _pdf_response(certificate: Certificate, attachments: dict[str, bytes] | None = None) -> Response:
    data = render_pdf([service.printed(certificate)], attachments)
    code = format_code(certificate.code)
    disposition = content_disposition(
        f"certificate-{code}-{display_file_name(certificate.holder_name)}.pdf",
        fallback=f"certificate-{code}-{safe_file_name(certificate.holder_name)}.pdf",
    )
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": disposition, "Cache-Control": "private, no-store"},
    )


@bp.get("/certificates/")
@limiter.limit(_verify_limit)
@requires(Access.PUBLIC)
def lookup():
    typed = request.args.get("code")
    if typed is None:
        return render_template("certificates/lookup.html", typed="", error=None)
    code = normalise_code(typed)
    if code is None:
        error = _("This is not a certificate code. A code has 28 letters and digits, for example 7K3M-Q9XD-…")
        return render_template("certificates/lookup.html", typed=typed[:80], error=error), 400
    if not has_valid_check(code) and service.find_by_code(code) is None:
        return render_template("certificates/lookup.html", typed=typed[:80], error=MISTYPED), 400
    return redirect(url_for("certificates.verify", code=format_code(code)))


@bp.get("/certificates/<code>")
@limiter.limit(_verify_limit)
@requires(Access.PUBLIC)
def verify(code: str):
    certificate = service.find_by_code(code)
    if certificate is None:
        stored = normalise_code(code)
        mistyped = stored is not None and not has_valid_check(stored)
        return render_template("certificates/not_found.html", typed=code[:80], mistyped=mistyped and MISTYPED), 404
    return render_template(
        "certificates/verify.html",
        certificate=certificate,
        printed=service.printed(certificate),
        state=certificate.state(utcnow()),
    )


@bp.get("/me/certificates/<code>.pdf")
@requires(Access.OWNER)
def download(code: str):
    """Learners download only their own certificates; any other code is a 404."""
    certificate = service.find_by_code(code)
    if certificate is None or not policy.owns(current_user, certificate):
        refuse("certificate", certificate.code if certificate else "", certificate is not None)
    return _pdf_response(certificate, pdf_attachments(certificate, get_catalog()))


@bp.get("/admin/certificates")
@requires(Access.ADMIN)
def admin_list():
    query = (request.args.get("q") or "").strip()[:100]
    statement = db.select(Certificate).order_by(Certificate.issued_at.desc()).limit(200)
    if query:
        code = normalise_code(query)
        statement = statement.where(Certificate.code == code if code else contains(Certificate.holder_search, query))
    certificates = db.session.execute(statement).scalars().all()
    return render_template("certificates/admin_list.html", certificates=certificates, query=query, now=utcnow())


@bp.route("/admin/certificates/<int:certificate_id>", methods=["GET"])
@requires(Access.ADMIN)
def admin_detail(certificate_id: int):
    certificate = db.get_or_404(Certificate, certificate_id)
    holder = db.session.get(User, certificate.user_id) if certificate.user_id else None
    return _admin_detail_page(certificate, holder, RevokeForm(), ReissueForm(holder_name=_default_name(certificate)))


@bp.post("/admin/certificates/<int:certificate_id>/revoke")
@requires(Access.ADMIN)
def admin_revoke(certificate_id: int):
    certificate = db.get_or_404(Certificate, certificate_id)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            service.revoke(certificate, form.reason.data, current_user)
        except service.CertificateError as exc:
            form.reason.errors.append(str(exc))
        else:
            audit.record(
                "certificate.revoked",
                current_user.id,
                f"certificate:{certificate.code}",
                {"reason": certificate.revoked_reason},
            )
            flash(_("Certificate %(code)s is revoked.", code=format_code(certificate.code)), "success")
            return redirect(url_for("certificates.admin_detail", certificate_id=certificate.id))
    return _admin_detail_page(certificate, None, form, ReissueForm(holder_name=_default_name(certificate)), 400)


@bp.post("/admin/certificates/<int:certificate_id>/reissue")
@requires(Access.ADMIN)
def admin_reissue(certificate_id: int):
    certificate = db.get_or_404(Certificate, certificate_id)
    form = ReissueForm()
    if form.validate_on_submit():
        try:
            replacement = service.reissue(certificate, form.holder_name.data, get_catalog())
        except service.CertificateError as exc:
            form.holder_name.errors.append(str(exc))
        else:
            audit.record(
                "certificate.reissued",
                current_user.id,
                f"certificate:{certificate.code}",
                {"replacement": replacement.code, "holder_name": replacement.holder_name},
            )
            flash(_("A new certificate %(code)s replaces the old one.", code=format_code(replacement.code)), "success")
            return redirect(url_for("certificates.admin_detail", certificate_id=replacement.id))
    return _admin_detail_page(certificate, None, RevokeForm(), form, 400)


@bp.get("/admin/certificates/<int:certificate_id>.pdf")
@requires(Access.ADMIN)
def admin_download(certificate_id: int):
    return _pdf_response(db.get_or_404(Certificate, certificate_id))


def _default_name(certificate: Certificate) -> str:
    holder = db.session.get(User, certificate.user_id) if certificate.user_id else None
    return holder.full_name if holder else certificate.holder_name


def _admin_detail_page(certificate, holder, revoke_form, reissue_form, status: int = 200):
    holder = holder or (db.session.get(User, certificate.user_id) if certificate.user_id else None)
    return render_template(
        "certificates/admin_detail.html",
        certificate=certificate,
        holder=holder,
        state=certificate.state(utcnow()),
        revoke_form=revoke_form,
        reissue_form=reissue_form,
    ), status
