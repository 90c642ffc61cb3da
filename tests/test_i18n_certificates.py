"""Certificates in several languages: labels in the language the course was taken in, verification in the
visitor's language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from greencustoms.certificates import service
from greencustoms.content import get_catalog
from greencustoms.extensions import db
from greencustoms.models import User
from tests.adminkit import signed_in
from tests.pdftext import pdf_text

ISSUED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
EXPECTED = {
    "fr": [
        "Certificat de réussite",
        "Il est certifié que",
        "a suivi avec succès le cours",
        "Délivré le",
        "2 mars 2026",
        "Code du certificat",
        "Scanner pour vérifier",
    ],
    "ar": [
        "شهادة إتمام",
        "يُشهد بأن",
        "قد أتمّ الدورة التدريبية",
        "تاريخ الإصدار",
        "مارس",
        "رمز الشهادة",
        "امسح الرمز للتحقق",
    ],
}
ENGLISH = ["Certificate of completion", "This certifies that", "Issued", "Certificate code", "Scan to verify"]


def _issue(app, language: str, name: str) -> tuple[int, str, object]:
    """Sign in a learner whose language is `language` and issue their demo-course certificate."""
    user_id, client = signed_in(app, "learner", name=name, language=language)
    with app.app_context():
        catalog = get_catalog()
        user = db.session.get(User, user_id)
        certificate = service.issue_certificate(
            user, catalog.course("demo"), catalog, score=90, reason="completion", now=ISSUED
        )
        return user_id, certificate.code, client


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_certificate_pdf_prints_every_label_in_the_course_language(app, language):
    """The learner's PDF: title, sentences, labels and the date in their language, no English label left."""
    name = "Amina Njoroge" if language == "fr" else "أمينة نجوروجي"
    _, code, client = _issue(app, language, name)
    with app.app_context():
        assert service.find_by_code(code).language == language
    response = client.get(f"/me/certificates/{service.format_code(code)}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _flat(pdf_text(response.get_data()))
    for expected in EXPECTED[language]:
        assert _flat(expected) in text, expected
    for english in ENGLISH:
        assert _flat(english) not in text, english
    assert _flat(name) in text and service.format_code(code) in text


def test_language_is_fixed_at_issue(app):
    """Changing the interface language later does not change a certificate already issued."""
    user_id, code, client = _issue(app, "fr", "Amina Njoroge")
    with app.app_context():
        db.session.get(User, user_id).language = "es"
        db.session.commit()
    text = _flat(pdf_text(client.get(f"/me/certificates/{service.format_code(code)}.pdf").get_data()))
    assert _flat("Certificat de réussite") in text and _flat("Certificado de aprovechamiento") not in text


def test_verification_page_speaks_the_visitors_language(app):
    """An Arabic certificate checked by a Spanish-speaking visitor: the page is in Spanish, left to right."""
    _, code, _ = _issue(app, "ar", "أمينة نجوروجي")
    visitor = app.test_client()
    page = visitor.get(f"/certificates/{code}", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="es" dir="ltr">' in page
    assert "Este certificado es auténtico y válido." in page and "2 de marzo de 2026" in page
    page = visitor.get(f"/certificates/{code}", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page and "هذه الشهادة أصلية وصالحة." in page
