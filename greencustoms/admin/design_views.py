"""The certificate design page: issuing body, logo, signatory, signature, hours and score, and a sample PDF."""

from __future__ import annotations

from datetime import date

from flask import current_app, flash, make_response, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from greencustoms.access import Access, requires
from greencustoms.admin.blueprint import bp, public_url
from greencustoms.admin.forms import CertificateDesignForm
from greencustoms.certificates import design as designs
from greencustoms.certificates.codes import format_code, generate_code
from greencustoms.certificates.pdf import PrintedCertificate, render_pdf
from greencustoms.web import content_disposition


@bp.get("/certificate-design")
@requires(Access.ADMIN)
def certificate_design():
    current = designs.current_design()
    form = CertificateDesignForm(
        issuing_body=current.issuing_body if current else current_app.config["ISSUING_BODY"],
        signatory_name=current.signatory_name if current else "",
        signatory_title=current.signatory_title if current else "",
        show_hours=current.show_hours if current else True,
        show_score=current.show_score if current else False,
    )
    return render_template("admin/certificate_design.html", form=form, current=current, error=None)


@bp.post("/certificate-design")
@requires(Access.ADMIN)
def save_certificate_design():
    """Save a new design for the certificates issued from now on; a bad image is a 400 and nothing is saved."""
    form = CertificateDesignForm()
    current = designs.current_design()
    if not form.validate_on_submit():
        return render_template("admin/certificate_design.html", form=form, current=current, error=None), 400
    change = designs.DesignChange(
        issuing_body=form.issuing_body.data.strip(),
        signatory_name=(form.signatory_name.data or "").strip(),
        signatory_title=(form.signatory_title.data or "").strip(),
        show_hours=form.show_hours.data,
        show_score=form.show_score.data,
        logo=_read(form.logo.data),
        signature=_read(form.signature.data),
        remove_logo=form.remove_logo.data,
        remove_signature=form.remove_signature.data,
    )
    try:
        designs.save_design(current_user._get_current_object(), change)
    except designs.DesignError as error:
        return render_template("admin/certificate_design.html", form=form, current=current, error=str(error)), 400
    flash(_("Saved. Certificates issued from now on carry this design; earlier ones keep theirs."), "success")
    return redirect(url_for("admin.certificate_design"))


def _read(upload) -> bytes | None:
    """The bytes of an uploaded file (None when none was chosen), closing its temporary file at once."""
    if not upload:
        return None
    try:
        return upload.read(designs.MAX_IMAGE_BYTES + 1)  # enough to tell "too large" without reading it all
    finally:
        upload.close()


@bp.get("/certificate-design/sample.pdf")
@requires(Access.ADMIN)
def certificate_design_sample():
    """A sample certificate with the current design, in the administrator's language (never a real holder)."""
    current = designs.current_design()
    code = format_code(generate_code())
    sample = PrintedCertificate(
        holder_name=_("Sample Name"),
        course_title=_("Sample course"),
        modules=(),
        issued=date.today(),
        expires=None,
        code=code,
        issuing_body=current.issuing_body if current else current_app.config["ISSUING_BODY"],
        verify_url=public_url(f"/certificates/{code}"),
        language=str(get_locale() or "en"),
        hours=6 if current is None or current.show_hours else None,
        score=86 if current is not None and current.show_score else None,
        signatory_name=current.signatory_name if current else "",
        signatory_title=current.signatory_title if current else "",
        signature_png=current.signature_png if current else None,
        logo_png=current.logo_png if current else None,
    )
    response = make_response(render_pdf([sample]))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = content_disposition("sample-certificate.pdf")
    return response
