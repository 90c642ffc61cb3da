"""Names longer than one line of the certificate are wrapped onto two lines, then shrunk down to a floor, and
refused at issue with a clear message beyond that: never clipped (checked by extracting the PDF's text)."""

from __future__ import annotations

from datetime import date

import pytest

from greencustoms.certificates import service
from greencustoms.certificates.pdf import (
    NAME_TWO_LINES,
    NAME_WIDTH,
    PrintedCertificate,
    measuring,
    name_layout,
    render_pdf,
)
from tests.adminkit import T0, add_learner, add_record, signed_in
from tests.conftest import post_form
from tests.pdftext import pdf_text

LATIN = "Maria Fernanda Guadalupe Concepción de los Ángeles Rodríguez-Villaseñor y Montenegro de la Santísima Trinidad"
ARABIC = "عبد الرحمن بن محمد بن عبد الله بن إبراهيم بن عبد العزيز بن فيصل آل سعود الحسيني القرشي الهاشمي المكي"
CJK = "爱新觉罗溥仪爱新觉罗毓嵣爱新觉罗恒懋爱新觉罗启星爱新觉罗溥杰爱新觉罗载沣爱新觉罗奕譞"
TOO_LONG = {
    "Latin": " ".join(["WWWWWWWWW"] * 19),  # 189 characters: the profile allows 200
    "CJK": "张" * 150,
}


def _printed(name: str) -> PrintedCertificate:
    return PrintedCertificate(
        holder_name=name,
        course_title="Demo course",
        modules=("Basics",),
        issued=date(2026, 3, 2),
        expires=None,
        code="7K3M-Q9XD-AAAA-BBBB-CCCC-DDDD-EEEE",
        issuing_body="Green Customs Learn",
        verify_url="http://127.0.0.1:5000/certificates/7K3M",
    )


@pytest.mark.parametrize("name", [LATIN, ARABIC, CJK], ids=["latin", "arabic", "cjk"])
def test_a_long_name_is_printed_whole_on_two_lines(app, name):
    """Every character of a long Latin, Arabic or Chinese name is in the PDF's text, on at most two lines that
    each fit the printable width, at a size no smaller than the floor."""
    with measuring(name) as document:
        size, lines = name_layout(document, name)
        assert len(lines) == 2 and size >= NAME_TWO_LINES[-1]
        document.set_font("Sans", "B", size)
        assert all(document.get_string_width(line) <= NAME_WIDTH for line in lines)
    assert "".join(lines).replace(" ", "") == name.replace(" ", "")
    with app.test_request_context():
        text = pdf_text(render_pdf([_printed(name)]))
    assert "".join(name.split()) in "".join(text.split())


def test_a_short_name_stays_on_one_line_at_full_size(app):
    """The common case is unchanged: one line, 30 points."""
    with measuring("Amina Njoroge") as document:
        assert name_layout(document, "Amina Njoroge") == (30, ("Amina Njoroge",))


@pytest.mark.parametrize("script", sorted(TOO_LONG))
def test_a_name_beyond_the_floor_is_refused_at_issue_with_a_message(app, script):
    """Issuing or re-issuing for a name that cannot be printed whole is refused with a clear message."""
    name = TOO_LONG[script]
    _admin_id, admin = signed_in(app)
    with app.app_context():
        certificate = add_record(add_learner("Short Name"), completed=T0, certificate="valid")
        certificate_id = certificate.id
    detail = f"/admin/certificates/{certificate_id}"
    refused = post_form(admin, detail + "/reissue", {"holder_name": name}, token_from=detail)
    assert refused.status_code == 400 and "too long to print" in refused.get_data(as_text=True)
    with app.test_request_context(), pytest.raises(service.CertificateError, match="too long to print"):
        service.printable_name(name)


def test_completion_with_an_unprintable_name_records_the_completion_and_issues_nothing(app):
    """The automatic issue never prints a clipped name: the course is completed, no certificate is made."""
    from greencustoms.content import get_catalog
    from greencustoms.models import User

    with app.test_request_context():
        user = User(email=None, full_name=TOO_LONG["CJK"][:200], password_hash="x", role="learner")
        from greencustoms.extensions import db

        db.session.add(user)
        db.session.commit()
        catalog = get_catalog()
        with pytest.raises(service.CertificateError):
            service.issue_certificate(user, catalog.courses["demo"], catalog, score=90.0, reason="completion")
