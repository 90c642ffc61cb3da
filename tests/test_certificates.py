"""Certificates: codes, the completion rule, issuing once, PDF content, verification, revocation, re-issue, renewal."""

from __future__ import annotations

import shutil
from datetime import UTC, timedelta

import pytest
from sqlalchemy import func, select

from greencustoms.certificates import service
from greencustoms.certificates.codes import (
    ALPHABET,
    CODE_LENGTH,
    format_code,
    generate_code,
    has_valid_check,
    normalise_code,
)
from greencustoms.content import get_catalog
from greencustoms.extensions import db
from greencustoms.models import Certificate, CourseCompletion, LessonProgress, User, utcnow
from tests.conftest import FIXTURE_CONTENT, post_form
from tests.parallel import all_at_once
from tests.pdftext import pdf_text


@pytest.fixture
def lessons_only(tmp_path, other_app):
    """The demo course with a completion rule of lessons only (no quiz), on the shared test database."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    course = root / "courses" / "demo.yaml"
    course.write_text(course.read_text().replace("  quizzes: all", "  quizzes: []"))
    return other_app(CONTENT_ROOT=str(root))


def _complete_all_lessons(app, client):
    with app.app_context():
        urls = [f"/courses/demo/{m.slug}/{lesson.slug}" for m, lesson in get_catalog().lesson_sequence("demo")]
    for url in urls:
        post_form(client, url + "/complete", token_from=url)


def _signed_in(app, email="officer@example.org", name="Amina Njoroge", role="learner"):
    from greencustoms.auth.service import create_user

    with app.app_context():
        user_id = create_user(email=email, full_name=name, password="correct horse battery", role=role).id
    client = app.test_client()
    post_form(client, "/login", {"email": email, "password": "correct horse battery"})
    return user_id, client


def _certificate(app, user_id):
    with app.app_context():
        return db.session.execute(select(Certificate).filter_by(user_id=user_id)).scalar_one()


def test_code_has_135_random_bits_and_a_check_character_in_an_easy_alphabet():
    """Codes are 28 Crockford base32 characters (27 random from the CSPRNG: 135 bits, and a check), all distinct."""
    codes = {generate_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) == CODE_LENGTH and set(code) <= set(ALPHABET) for code in codes)
    assert (CODE_LENGTH - 1) * 5 >= 128 and not set("ILOU") & set(ALPHABET)
    assert all(has_valid_check(code) for code in codes)


@pytest.mark.parametrize("typed", ["{dashed}", "{lower}", " {spaced} ", "{dashed_o}"])
def test_typed_code_is_normalised(typed):
    """Typing is tolerant of case, spaces, dashes and O/0, I/1 confusion."""
    code = "0K3M1Q9XDABCDEFGHJKMNPQRSTVW"
    variants = {
        "dashed": format_code(code),
        "lower": code.lower(),
        "spaced": " ".join(code[i : i + 4] for i in range(0, 28, 4)),
        "dashed_o": format_code(code).replace("0", "O").replace("1", "I"),
    }
    assert normalise_code(typed.format(**variants)) == code


@pytest.mark.parametrize(
    "typed", ["", "ABC", "0K3M1Q9XDABCDEFGHJKMNPQRSTVWX", "0K3M1Q9XDABCDEFGHJKMNPQRSTV!", "Ü" * 28]
)
def test_impossible_codes_are_rejected(typed):
    """Wrong length or characters is not a code."""
    assert normalise_code(typed) is None


def test_completing_every_lesson_issues_one_certificate(lessons_only):
    """Meeting the rule records the completion once and issues a certificate with its snapshots."""
    app = lessons_only
    user_id, client = _signed_in(app)
    _complete_all_lessons(app, client)
    certificate = _certificate(app, user_id)
    with app.app_context():
        course = get_catalog().course("demo")
        completion = db.session.execute(select(CourseCompletion).filter_by(user_id=user_id)).scalar_one()
    assert completion.course_version == course.version
    assert certificate.holder_name == "Amina Njoroge" and certificate.course_title == course.title
    assert certificate.modules_covered == [get_catalog_title(app, slug) for slug in course.module_slugs]
    assert certificate.status == "valid" and certificate.expires_at is not None
    assert certificate.expires_at.year == certificate.issued_at.year + 3


def test_a_learners_certificates_are_live_objects_of_the_session(lessons_only):
    """/me reads certificates as plain columns made into loaded objects (database.loaded): each must be what a
    query gives: the same object as a query for it, every column as stored (dates with their zone, the JSON list),
    not dirty, and a change to it saved."""
    from greencustoms.certificates.holdings import certificates_of

    app = lessons_only
    user_id, client = _signed_in(app)
    _complete_all_lessons(app, client)
    with app.app_context():
        stored = db.session.execute(select(Certificate.__table__).filter_by(user_id=user_id)).one()._asdict()
        db.session.remove()
        (mine,) = certificates_of(user_id)
        assert db.session.get(Certificate, stored["id"]) is mine and mine in db.session and not db.session.dirty
        assert {name: getattr(mine, name) for name in stored} == stored
        assert isinstance(mine.modules_covered, list) and mine.issued_at.tzinfo is not None
        mine.holder_name = "Amina Njoroge-Otieno"
        db.session.commit()
        db.session.remove()
        assert db.session.get(Certificate, stored["id"]).holder_search == "amina njoroge-otieno"


def get_catalog_title(app, slug):
    with app.app_context():
        return get_catalog().modules[slug].title


def test_incomplete_course_issues_nothing(lessons_only):
    """One lesson short of the rule: no completion, no certificate."""
    app = lessons_only
    user_id, client = _signed_in(app)
    with app.app_context():
        module, lesson = get_catalog().lesson_sequence("demo")[0]
    url = f"/courses/demo/{module.slug}/{lesson.slug}"
    post_form(client, url + "/complete", token_from=url)
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Certificate)).scalar() == 0


def test_parallel_completion_checks_issue_exactly_once(lessons_only):
    """Twenty parallel completion checks for the same learner record one completion and one certificate."""
    app = lessons_only
    user_id, client = _signed_in(app)
    with app.app_context():
        catalog = get_catalog()
        course = catalog.course("demo")
        for _module, lesson in catalog.lesson_sequence("demo"):
            db.session.add(
                LessonProgress(
                    user_id=user_id,
                    module_slug=lesson.module_slug,
                    lesson_slug=lesson.slug,
                    content_version=lesson.version,
                )
            )
        db.session.commit()

    def check(_index: int) -> None:
        with app.app_context():
            try:
                service.complete_course_if_met(get_catalog(), course, user_id)
            finally:
                db.session.remove()

    all_at_once(20, check)  # fails on any error in a thread
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(CourseCompletion)).scalar() == 1
        assert db.session.execute(select(func.count()).select_from(Certificate)).scalar() == 1


def test_end_to_end_pdf_verify_revoke(lessons_only):
    """Complete the course, download the PDF, find name and code in its text, verify "valid", revoke, see "revoked"."""
    app = lessons_only
    user_id, client = _signed_in(app, name="Ngozi Okonkwo-Adébáyọ̀")
    _complete_all_lessons(app, client)
    certificate = _certificate(app, user_id)
    printed_code = format_code(certificate.code)

    me = client.get("/me").get_data(as_text=True)
    assert printed_code in me and "Download PDF" in me
    response = client.get(f"/me/certificates/{printed_code}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Ngozi Okonkwo-Adébáyọ̀" in text and printed_code in text
    assert f"/certificates/{printed_code}" in text

    public = app.test_client()
    page = public.get(f"/certificates/{printed_code}").get_data(as_text=True)
    assert "Valid." in page and "Ngozi Okonkwo-Adébáyọ̀" in page
    assert "officer@example.org" not in page

    admin_id, admin = _signed_in(app, email="admin@example.org", name="Admin", role="admin")
    detail = f"/admin/certificates/{certificate.id}"
    assert (
        post_form(admin, detail + "/revoke", {"reason": "Exam taken by another person"}, token_from=detail).status_code
        == 302
    )
    page = public.get(f"/certificates/{printed_code}").get_data(as_text=True)
    assert "Revoked." in page and "Exam taken by another person" not in page
    with app.app_context():
        revoked = db.session.get(Certificate, certificate.id)
        assert (revoked.revoked_reason, revoked.revoked_by_id) == ("Exam taken by another person", admin_id)


def test_verification_shows_only_printed_fields(lessons_only):
    """The public page shows the printed fields and nothing else about the holder (no e-mail, score or country)."""
    app = lessons_only
    user_id, client = _signed_in(app)
    with app.app_context():
        user = db.session.get(User, user_id)
        user.country, user.organisation = "KE", "Kenya Revenue Authority"
        db.session.commit()
    _complete_all_lessons(app, client)
    certificate = _certificate(app, user_id)
    page = app.test_client().get(f"/certificates/{certificate.code.lower()}").get_data(as_text=True)
    for private in ("officer@example.org", "Kenya Revenue Authority", "Score", "Kenya"):
        assert private not in page
    for printed in (
        "Amina Njoroge",
        certificate.course_title,
        format_code(certificate.code),
        *certificate.modules_covered,
    ):
        assert printed in page


def test_unknown_code_is_a_clear_not_found(client):
    """A well-formed but unknown code gives 404 "not found" with the form to try again."""
    response = client.get(f"/certificates/{format_code(generate_code())}")
    assert response.status_code == 404 and "Certificate not found" in response.get_data(as_text=True)


def test_lookup_form_redirects_or_explains(client):
    """The lookup form sends a typed code to its page, and explains a malformed one with a 400."""
    code = generate_code()
    response = client.get("/certificates/", query_string={"code": f"  {code.lower()[:14]} - {code.lower()[14:]} "})
    assert response.status_code == 302 and response.headers["Location"].endswith(format_code(code))
    bad = client.get("/certificates/", query_string={"code": "<script>alert(1)</script>"})
    assert bad.status_code == 400 and "not a certificate code" in bad.get_data(as_text=True)
    assert "<script>alert" not in bad.get_data(as_text=True)


def test_verification_is_rate_limited(app, client):
    """Guessing codes is throttled: past the limit the page answers 429."""
    statuses = [client.get(f"/certificates/{generate_code()}").status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429


def test_learner_cannot_download_another_learners_pdf(lessons_only):
    """Learner B gets 404 for learner A's certificate PDF, whatever the form of the code."""
    app = lessons_only
    a_id, a_client = _signed_in(app, email="a@example.org", name="Learner A")
    _complete_all_lessons(app, a_client)
    code = _certificate(app, a_id).code
    _b_id, b_client = _signed_in(app, email="b@example.org", name="Learner B")
    for variant in (code, format_code(code), code.lower(), "../" + code):
        assert b_client.get(f"/me/certificates/{variant}.pdf").status_code == 404
    assert b_client.get(f"/me/certificates/{code}%00.pdf").status_code == 400  # a NUL is refused before any query
    assert app.test_client().get(f"/me/certificates/{code}.pdf").status_code == 302


def test_reissue_supersedes_old_code(lessons_only):
    """A name correction issues a new code with the new name; the old code reads "superseded" and links nowhere."""
    app = lessons_only
    user_id, client = _signed_in(app, name="Jon Smtih")
    _complete_all_lessons(app, client)
    old = _certificate(app, user_id)
    _admin_id, admin = _signed_in(app, email="admin@example.org", name="Admin", role="admin")
    detail = f"/admin/certificates/{old.id}"
    response = post_form(admin, detail + "/reissue", {"holder_name": "Jon Smith"}, token_from=detail)
    assert response.status_code == 302
    with app.app_context():
        new = db.session.execute(select(Certificate).filter_by(user_id=user_id, status="valid")).scalar_one()
    assert new.holder_name == "Jon Smith" and new.code != old.code and new.issued_at == old.issued_at
    page = app.test_client().get(f"/certificates/{old.code}").get_data(as_text=True)
    assert "Superseded." in page and new.code not in page and format_code(new.code) not in page
    assert "Jon Smith" in pdf_text(client.get(f"/me/certificates/{new.code}.pdf").data)


def test_reissue_and_revoke_refuse_bad_input(lessons_only):
    """Empty reasons, markup in names and acting twice are refused with a message and a 400."""
    app = lessons_only
    user_id, client = _signed_in(app)
    _complete_all_lessons(app, client)
    certificate = _certificate(app, user_id)
    _admin_id, admin = _signed_in(app, email="admin@example.org", name="Admin", role="admin")
    detail = f"/admin/certificates/{certificate.id}"
    assert post_form(admin, detail + "/revoke", {"reason": ""}, token_from=detail).status_code == 400
    bad_name = post_form(admin, detail + "/reissue", {"holder_name": "<b>x</b>"}, token_from=detail)
    assert bad_name.status_code == 400 and "special characters" in bad_name.get_data(as_text=True)
    post_form(admin, detail + "/revoke", {"reason": "fraud"}, token_from=detail)
    again = post_form(
        admin, detail + "/revoke", {"reason": "fraud"}, token_from=f"/admin/certificates/{certificate.id}"
    )
    assert again.status_code == 400 and "already revoked" in again.get_data(as_text=True)


def test_admin_pages_are_admin_only(lessons_only):
    """Learners and trainers get 403 on certificate administration."""
    app = lessons_only
    user_id, client = _signed_in(app)
    _complete_all_lessons(app, client)
    certificate = _certificate(app, user_id)
    _trainer_id, trainer = _signed_in(app, email="t@example.org", name="Trainer", role="trainer")
    for who in (client, trainer):
        assert who.get("/admin/certificates").status_code == 403
        assert who.get(f"/admin/certificates/{certificate.id}").status_code == 403
        assert who.get(f"/admin/certificates/{certificate.id}.pdf").status_code == 403


def test_expired_certificate_shows_expired(lessons_only):
    """Past its expiry the verification page says "Expired" and /me offers nothing to download as valid."""
    app = lessons_only
    user_id, client = _signed_in(app)
    _complete_all_lessons(app, client)
    assert "badge-valid" in client.get("/me").get_data(as_text=True)  # its card is now in the row store
    with app.app_context():
        certificate = db.session.execute(select(Certificate).filter_by(user_id=user_id)).scalar_one()
        certificate.expires_at = utcnow() - timedelta(days=1)
        db.session.commit()
        code = certificate.code
    assert "Expired." in app.test_client().get(f"/certificates/{code}").get_data(as_text=True)
    me = client.get("/me").get_data(as_text=True)
    assert "badge-expired" in me and "badge-valid" not in me  # a new card: the state is in its key


def test_add_years_handles_leap_day():
    """Validity from 29 February ends on 28 February."""
    from datetime import datetime

    assert service.add_years(datetime(2028, 2, 29, tzinfo=UTC), 3).day == 28
