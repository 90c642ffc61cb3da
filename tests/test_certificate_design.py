"""Certificate codes with a check character, and the design an administrator sets (issuing body, logo,
signatory, signature, hours, score): what it prints, and that certificates keep the design they were issued with."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image
from sqlalchemy import select

from greencustoms.certificates import service
from greencustoms.certificates.codes import ALPHABET, check_character, format_code, generate_code, has_valid_check
from greencustoms.extensions import db
from greencustoms.models import AuditEvent, Certificate, CertificateDesign
from tests.adminkit import signed_in
from tests.conftest import post_form
from tests.credentialkit import issue
from tests.pdftext import pdf_text


def _png(width: int = 200, height: int = 80, colour=(11, 107, 58, 255)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def test_every_single_mistyped_character_is_caught():
    """Changing any one character of a code to any other makes its check fail; most neighbour swaps too."""
    code = generate_code()
    for position in range(len(code)):
        for char in ALPHABET:
            if char != code[position]:
                assert not has_valid_check(code[:position] + char + code[position + 1 :])
    swaps = caught = 0
    rng = random.Random(7)
    for _ in range(500):
        code = generate_code()
        position = rng.randrange(len(code) - 1)
        if code[position] != code[position + 1]:
            swaps += 1
            caught += not has_valid_check(code[:position] + code[position + 1] + code[position] + code[position + 2 :])
    assert caught / swaps > 0.95


def _mistype(code: str) -> str:
    last = code[-1]
    return code[:-1] + next(char for char in ALPHABET if char != last)


def test_a_mistyped_code_is_reported_as_a_typo(app, client):
    """The lookup form and the verification address say a code has a typing mistake, not just "not found"."""
    certificate_id = issue(app)
    with app.app_context():
        code = db.session.get(Certificate, certificate_id).code
    wrong = format_code(_mistype(code))
    response = client.get("/certificates/", query_string={"code": wrong})
    assert response.status_code == 400 and "typing mistake" in response.get_data(as_text=True)
    response = client.get(f"/certificates/{wrong}")
    assert response.status_code == 404 and "typing mistake" in response.get_data(as_text=True)
    assert client.get("/certificates/", query_string={"code": format_code(code)}).status_code == 302


def test_codes_issued_before_the_check_character_still_verify(app, client):
    """A code without a valid check character (issued earlier) is still found and verified."""
    certificate_id = issue(app)
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        payload = generate_code()[:-1]
        legacy = payload + next(c for c in ALPHABET if c != check_character(payload))
        certificate.code = legacy
        db.session.commit()
    assert not has_valid_check(legacy)
    assert client.get("/certificates/", query_string={"code": format_code(legacy)}).status_code == 302
    assert client.get(f"/certificates/{format_code(legacy)}").status_code == 200


def test_me_shows_the_code_in_unbreakable_groups(app):
    """On /me each group of four is one unbreakable unit; the code can only wrap between groups."""
    from greencustoms.auth.service import create_user  # noqa: F401  (issue() creates the learner)

    issue(app)
    client = app.test_client()
    post_form(client, "/login", {"email": "officer@example.org", "password": "correct horse battery"})
    page = client.get("/me").get_data(as_text=True)
    with app.app_context():
        code = db.session.execute(select(Certificate.code)).scalar_one()
    groups = "-<wbr>".join(f"<span>{code[i : i + 4]}</span>" for i in range(0, 28, 4))
    assert f'<code class="cert-code" translate="no">{groups}</code>' in page


def _save_design(client, **fields):
    data = {
        "issuing_body": "National Customs Training Academy",
        "signatory_name": "Grace Mwangi",
        "signatory_title": "Director of Training",
        "show_hours": "y",
        **fields,
    }
    return post_form(client, "/admin/certificate-design", data, token_from="/admin/certificate-design")


def test_design_is_printed_on_new_certificates_only(app):
    """After an administrator saves a design, new certificates print its body, logo, signatory, signature and
    hours; a certificate issued before keeps what it had; the change is audited."""
    before_id = issue(app, email="early@example.org", name="Early Bird")
    admin_id, admin = signed_in(app)
    response = _save_design(
        admin,
        show_score="y",
        logo=(io.BytesIO(_png()), "logo.png"),
        signature=(io.BytesIO(_png(300, 100, (0, 0, 0, 255))), "signature.png"),
    )
    assert response.status_code == 302
    after_id = issue(app, score=86.0)
    with app.app_context():
        design = db.session.execute(select(CertificateDesign)).scalar_one()
        assert design.logo_png.startswith(b"\x89PNG") and design.signature_png.startswith(b"\x89PNG")
        before, after = db.session.get(Certificate, before_id), db.session.get(Certificate, after_id)
        assert before.design_id is None and after.design_id == design.id and after.hours == before.hours
        assert after.issuing_body == "National Customs Training Academy"
        event = db.session.execute(select(AuditEvent).filter_by(event="certificate.design_changed")).scalar_one()
        assert event.actor_id == admin_id
        from greencustoms.certificates.pdf import render_pdf

        new_text = pdf_text(render_pdf([service.printed(after)]))
        old_text = pdf_text(render_pdf([service.printed(before)]))
    for expected in ("NATIONAL CUSTOMS TRAINING ACADEMY", "Grace Mwangi", "Director of Training", "Study time", "86%"):
        assert expected in new_text
    assert "Grace Mwangi" not in old_text and "Final exam score" not in old_text and "Study time" in old_text
    page = app.test_client().get(f"/certificates/{format_code(after.code)}").get_data(as_text=True)
    assert "Grace Mwangi, Director of Training" in page and "86%" in page


def test_turning_hours_off_and_removing_images(app):
    """Hours can be left off; a later save without images keeps them, and "remove" removes them."""
    _admin_id, admin = signed_in(app)
    assert _save_design(admin, logo=(io.BytesIO(_png()), "logo.png")).status_code == 302
    assert _save_design(admin).status_code == 302
    assert _save_design(admin, remove_logo="y", show_hours="").status_code == 302
    certificate_id = issue(app)
    with app.app_context():
        logos = [d.logo_png is not None for d in db.session.execute(select(CertificateDesign)).scalars()]
        printed = service.printed(db.session.get(Certificate, certificate_id))
    assert logos == [True, True, False]
    assert printed.hours is None and printed.logo_png is None


@pytest.mark.parametrize(
    "upload, message",
    [
        (b"not an image at all", "not a PNG or JPEG"),
        (b"GIF89a" + b"\x00" * 40, "not a PNG or JPEG"),
        (b"\x89PNG" + b"\x00" * 600, "not a PNG or JPEG"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_saved(app, upload, message):
    """A file that is not a usable PNG or JPEG is a 400 with a clear message; no design is saved."""
    _admin_id, admin = signed_in(app)
    response = _save_design(admin, logo=(io.BytesIO(upload), "logo.png"))
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(CertificateDesign)).first() is None


def test_a_file_over_1_mb_is_refused(app):
    """An upload over 1 MB is refused with a clear message (the body is encoded in memory: the test client's own
    temporary file for large bodies is never closed)."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import stream_encode_multipart

    from tests.conftest import csrf_token

    _admin_id, admin = signed_in(app)
    data = {
        "csrf_token": csrf_token(admin, "/admin/certificate-design"),
        "issuing_body": "Academy",
        "logo": FileStorage(io.BytesIO(b"\x89PNG" + b"\x00" * (1024 * 1024 + 10)), "logo.png", "image/png"),
    }
    stream, length, boundary = stream_encode_multipart(data, use_tempfile=False)
    response = admin.post(
        "/admin/certificate-design",
        input_stream=stream,
        content_length=length,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400 and "larger than 1 MB" in response.get_data(as_text=True)


def test_an_oversized_image_is_refused_before_decoding(app):
    """An image claiming more than 4000 pixels a side is refused without being decoded."""
    _admin_id, admin = signed_in(app)
    response = _save_design(admin, signature=(io.BytesIO(_png(4100, 10)), "wide.png"))
    assert response.status_code == 400 and "4000 pixels" in response.get_data(as_text=True)


def test_only_administrators_reach_the_design(app):
    """Trainers and learners cannot see, change or sample the design."""
    _trainer_id, trainer = signed_in(app, role="trainer", email="trainer@example.org")
    for path in ("/admin/certificate-design", "/admin/certificate-design/sample.pdf"):
        assert trainer.get(path).status_code in (403, 404)
    response = trainer.post("/admin/certificate-design", data={"issuing_body": "Mine"})
    assert response.status_code in (400, 403, 404)
    with app.app_context():
        assert db.session.execute(select(CertificateDesign)).first() is None


def test_sample_pdf_shows_the_saved_design(app):
    """The sample certificate prints the saved signatory."""
    _admin_id, admin = signed_in(app)
    _save_design(admin)
    response = admin.get("/admin/certificate-design/sample.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Grace Mwangi" in pdf_text(response.data)
