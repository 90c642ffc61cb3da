"""Certificates with quizzes in the rule: final score, renewal after expiry; scripts and bulk output of the PDF."""

from __future__ import annotations

import io
import subprocess
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from greencustoms.certificates import bulk, service
from greencustoms.certificates.pdf import PrintedCertificate, render_pdf
from greencustoms.content import get_catalog
from greencustoms.extensions import db
from greencustoms.models import Certificate, LessonProgress, QuizAttempt, User, utcnow
from greencustoms.signals import attempt_graded
from tests.pdftext import pdf_text

NAMES = {
    "latin": "Zoë Ørsted-Łukasik Nguyễn",
    "cyrillic": "Анастасия Петровна Смирнова",
    "greek": "Γιώργος Παπαδόπουλος",
    "arabic": "محمد حامد",
    "chinese": "王小明",
}


def _graded_attempt(app, user_id, quiz_slug, score, started_at=None):
    """Store a graded attempt and announce it, as the quiz engine does after grading."""
    with app.app_context():
        quiz = get_catalog().quizzes[quiz_slug]
        number = (
            db.session.execute(
                select(func.count()).select_from(QuizAttempt).filter_by(user_id=user_id, quiz_slug=quiz_slug)
            ).scalar()
            + 1
        )
        started = started_at or utcnow()
        attempt = QuizAttempt(
            user_id=user_id,
            quiz_slug=quiz_slug,
            quiz_version=quiz.version,
            number=number,
            pass_mark=quiz.pass_mark,
            status="submitted",
            started_at=started,
            submitted_at=started + timedelta(minutes=5),
            score=score,
            passed=score >= quiz.pass_mark,
            questions=[],
            answers={},
            results={},
        )
        db.session.add(attempt)
        db.session.commit()
        attempt_graded.send(
            app, user_id=user_id, quiz_slug=quiz_slug, attempt_id=attempt.id, score=score, passed=attempt.passed
        )


def _learner_with_all_lessons(app):
    from greencustoms.auth.service import create_user

    with app.app_context():
        user = create_user(email="l@example.org", full_name="Learner One", password="correct horse battery")
        for _module, lesson in get_catalog().lesson_sequence("demo"):
            db.session.add(
                LessonProgress(
                    user_id=user.id,
                    module_slug=lesson.module_slug,
                    lesson_slug=lesson.slug,
                    content_version=lesson.version,
                )
            )
        db.session.commit()
        return user.id


def _certificates(app, user_id):
    with app.app_context():
        return (
            db.session.execute(select(Certificate).filter_by(user_id=user_id).order_by(Certificate.sequence))
            .scalars()
            .all()
        )


def test_quizzes_must_be_passed_before_completion(app):
    """With every lesson done, the course completes only when every module quiz is passed; the final score is the
    mean of their best scores (the fixture course has no final exam)."""
    user_id = _learner_with_all_lessons(app)
    _graded_attempt(app, user_id, "demo-basics", 90.0)
    _graded_attempt(app, user_id, "demo-waste", 40.0)
    assert _certificates(app, user_id) == []
    _graded_attempt(app, user_id, "demo-waste", 80.0)
    [certificate] = _certificates(app, user_id)
    assert certificate.score == 85.0 and certificate.reason == "completion"


def test_renewal_after_expiry_by_passing_the_final_exam_again(app, other_app, tmp_path):
    """Once a certificate has expired, passing the final exam again issues a renewal; before expiry it does not."""
    import shutil

    from tests.conftest import FIXTURE_CONTENT

    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    final = (root / "quizzes" / "demo-waste.yaml").read_text()
    (root / "quizzes" / "demo-final.yaml").write_text(
        final.replace("belongs_to:\n  module: demo-waste", "belongs_to:\n  course: demo").replace("draw: 5", "draw: 3")
    )  # a final draws at most half its pool (the assessment lint)
    course_file = root / "courses" / "demo.yaml"
    course_file.write_text(course_file.read_text().replace("completion:", "final_quiz: demo-final\ncompletion:"))
    app = other_app(CONTENT_ROOT=str(root))
    user_id = _learner_with_all_lessons(app)
    for quiz in ("demo-basics", "demo-waste", "demo-final"):
        _graded_attempt(app, user_id, quiz, 100.0)
    [first] = _certificates(app, user_id)
    _graded_attempt(app, user_id, "demo-final", 95.0)
    assert len(_certificates(app, user_id)) == 1, "no renewal while the certificate is valid"

    with app.app_context():  # three years later: the certificate has expired, the old attempts are long past
        expired = db.session.get(Certificate, first.id)
        expired.issued_at -= timedelta(days=3 * 366)
        expired.expires_at = utcnow() - timedelta(days=1)
        for attempt in db.session.execute(select(QuizAttempt)).scalars():
            attempt.started_at -= timedelta(days=3 * 366)
            attempt.submitted_at -= timedelta(days=3 * 366)
        db.session.commit()
        assert service.renewal_since(get_catalog(), user_id, "demo-final") == expired.expires_at
    client = app.test_client()
    from tests.conftest import post_form

    post_form(client, "/login", {"email": "l@example.org", "password": "correct horse battery"})
    assert "take the final exam" in client.get("/me").get_data(as_text=True)
    _graded_attempt(app, user_id, "demo-final", 10.0)
    assert len(_certificates(app, user_id)) == 1, "a failed retake renews nothing"
    _graded_attempt(app, user_id, "demo-final", 88.0)
    first_again, renewal = _certificates(app, user_id)
    assert renewal.reason == "renewal" and renewal.score == 88.0 and renewal.state(utcnow()) == "valid"
    assert renewal.expires_at.year == renewal.issued_at.year + 3 and first_again.state(utcnow()) == "expired"
    me = client.get("/me").get_data(as_text=True)  # the newest certificate is valid: nothing left to renew
    assert "take the final exam" not in me and renewal.code in me.replace("-", "").replace(" ", "")


def _one(name: str) -> PrintedCertificate:
    return PrintedCertificate(
        holder_name=name,
        course_title="Hazardous Waste Inspection at Seaports",
        modules=("Inspection", "Enforcement"),
        issued=date(2026, 11, 23),
        expires=date(2029, 11, 23),
        code="7K3M-Q9XD-ABCD-EFGH-JKMN-PQRS-TVWX",
        issuing_body="Green Customs Learn",
        verify_url="https://learn.example.org/certificates/7K3M",
    )


@pytest.mark.parametrize("script", sorted(NAMES))
def test_names_in_every_script_print_as_written(app, script):
    """The PDF text of a Latin, Cyrillic, Greek, Arabic or Chinese name comes out exactly as written."""
    with app.app_context():
        data = render_pdf([_one(NAMES[script])])
    assert NAMES[script] in pdf_text(data)


def test_arabic_name_is_joined_and_right_to_left(app, tmp_path):
    """On the rendered page the Arabic name reads right to left (first word rightmost) with joined letters
    (far fewer separate ink shapes than letters)."""
    with app.app_context():
        data = render_pdf([_one(NAMES["arabic"])])
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(data)
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    words = {}
    for line in bbox.splitlines():
        if "<word" in line:
            text = line.split(">", 1)[1].split("<", 1)[0]
            words[text] = float(line.split('xMin="', 1)[1].split('"', 1)[0])
    # poppler lists each word's glyphs in drawing (visual) order: read them back to front for the logical word
    position = {word[::-1] if word not in NAMES["arabic"] else word: x for word, x in words.items()}
    assert position["محمد"] > position["حامد"], "the first word of the name must be on the right"

    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    page = Image.open(tmp_path / "page.png").convert("L")
    mm = page.width / 297
    name_band = page.crop((int(40 * mm), int(62 * mm), int(257 * mm), int(80 * mm)))
    assert 1 <= _ink_shapes(name_band) <= 4, "8 letters joined into at most 4 connected shapes"


def _ink_shapes(image: Image.Image) -> int:
    """Count 8-connected groups of dark pixels."""
    width, height = image.size
    pixels = image.load()
    dark = {(x, y) for y in range(height) for x in range(width) if pixels[x, y] < 128}
    shapes = 0
    while dark:
        shapes += 1
        stack = [dark.pop()]
        while stack:
            x, y = stack.pop()
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    neighbour = (x + dx, y + dy)
                    if neighbour in dark:
                        dark.remove(neighbour)
                        stack.append(neighbour)
    return shapes


def test_pdf_is_a4_landscape_with_qr_and_fields(app):
    """One page, A4 landscape, with the course, modules, dates, code, issuing body and verification URL."""
    from pypdf import PdfReader

    with app.app_context():
        data = render_pdf([_one("Amina Njoroge")])
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
    text = pdf_text(data)
    for printed in (
        "Hazardous Waste Inspection at Seaports",
        "Inspection",
        "Enforcement",
        "November 23, 2026",
        "November 23, 2029",
        "7K3M-Q9XD-ABCD-EFGH-JKMN-PQRS-TVWX",
        "GREEN CUSTOMS LEARN",
        "https://learn.example.org/certificates/7K3M",
    ):
        assert printed in text


def test_bulk_zip_and_combined_pdf(app):
    """Many certificates render into one ZIP of PDFs and into one multi-page PDF."""
    from pypdf import PdfReader

    from greencustoms.certificates.codes import generate_code

    with app.app_context():
        users = [
            User(email=f"u{i}@example.org", full_name=name, password_hash="x") for i, name in enumerate(NAMES.values())
        ]
        db.session.add_all(users)
        db.session.flush()
        certificates = [
            Certificate(
                code=generate_code(),
                user_id=user.id,
                course_slug="demo",
                holder_name=user.full_name,
                course_title="Demo",
                modules_covered=["A"],
                issued_at=utcnow(),
                language="en",
                content_version="v",
                issuing_body="Green Customs Learn",
            )
            for user in users
        ]
        db.session.add_all(certificates)
        db.session.commit()
        archive = zipfile.ZipFile(io.BytesIO(bulk.render_zip(certificates)))
        combined = bulk.render_combined_pdf(certificates)
        codes = [c.code for c in certificates]
    assert sorted(Path(name).name.split("-")[0] for name in archive.namelist()) == sorted(codes)
    assert all(name.isascii() and name.endswith(".pdf") for name in archive.namelist())
    assert len(PdfReader(io.BytesIO(combined)).pages) == len(NAMES)
    text = pdf_text(combined)
    assert all(name in text for name in NAMES.values())
