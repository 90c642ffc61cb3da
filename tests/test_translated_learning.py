"""Studying a course in a language: choosing it, translated pages with a notice where the source shows, progress,
attempts, statistics and certificates that follow content ids whatever the language."""

from __future__ import annotations

import re

from greencustoms.certificates import service as certificates
from greencustoms.content import get_catalog
from greencustoms.extensions import db
from greencustoms.models import QuizAttempt, User
from greencustoms.quiz.stats import statistics_by_language
from greencustoms.studylanguages import study_language
from tests.adminkit import signed_in
from tests.conftest import post_form, recorded_statements
from tests.pdftext import pdf_text
from tests.quiz.helpers import answer_all, load, start

WELCOME = "/courses/demo/demo-basics/welcome"
DOCUMENTS = "/courses/demo/demo-basics/documents"


def choose(client, language: str, back: str = "/courses/demo"):
    return post_form(client, "/courses/demo/language", {"language": language, "next": back}, token_from="/courses/demo")


def test_catalogue_and_course_page_show_the_languages_with_coverage(client):
    """The source language, then each partly translated language with its share."""
    for page in (client.get("/").get_data(as_text=True), client.get("/courses/demo").get_data(as_text=True)):
        assert "English, Arabic (20% translated), French (33% translated)" in page
    assert client.get("/").get_data(as_text=True).count("Languages: English</p>") == 1  # the practice course


def test_interface_language_is_the_default_study_language(app):
    """A French-speaking learner reads the course in French; an untranslated lesson falls back to English with a
    notice in French, its text marked lang="en" dir="ltr"."""
    _user, client = signed_in(app, "learner", language="fr")
    course = client.get("/courses/demo").get_data(as_text=True)
    assert "Cours de démonstration" in course and '<option value="fr" selected>' in course
    welcome = client.get(WELCOME).get_data(as_text=True)
    assert "Ce que vous apprendrez" in welcome and "pas encore traduite" not in welcome
    assert '<dt id="term-basel-convention">Convention de Bâle</dt>' in welcome
    documents = client.get(DOCUMENTS).get_data(as_text=True)
    assert "Cette partie n’est pas encore traduite en français\u00a0: elle est affichée en anglais." in documents
    assert '<div class="prose" lang="en" dir="ltr">' in documents and "Two documents" in documents


def test_switching_language_keeps_progress(app):
    """A lesson completed in French still counts after switching to Arabic and back to English."""
    _user, client = signed_in(app, "learner", language="fr")
    post_form(client, f"{WELCOME}/complete", token_from=WELCOME)
    assert choose(client, "ar", WELCOME).headers["Location"] == WELCOME
    page = client.get(WELCOME).get_data(as_text=True)
    assert "ما ستتعلمه" in page and 'class="tick"' in page
    assert choose(client, "en").status_code == 302
    course = client.get("/courses/demo").get_data(as_text=True)
    assert "Demo course: controlling waste shipments" in course and "1/2" in course.replace(" ", "")


def test_the_chosen_languages_come_with_the_session_check(app):
    """A signed-in page reads the learner's study languages in the session check's query, not in one of its own;
    a choice made on one page holds on the next."""
    _user, client = signed_in(app, "learner")
    assert choose(client, "ar", WELCOME).status_code == 302
    with recorded_statements(app) as statements:
        page = client.get(WELCOME).get_data(as_text=True)
    assert "ما ستتعلمه" in page
    reading = [s for s in statements if "study_languages" in s]
    assert len(reading) == 1 and "user_sessions" in reading[0], statements
    assert choose(client, "fr", WELCOME).status_code == 302
    assert "Ce que vous apprendrez" in client.get(WELCOME).get_data(as_text=True)


def test_the_course_card_on_me_follows_the_study_language(app):
    """The card of a course on /me is rendered once per key: after the learner switches the course to French, it
    shows the French title, and back in English the English one."""
    _user, client = signed_in(app, "learner")
    post_form(client, f"{WELCOME}/complete", token_from=WELCOME)
    english, french = "Demo course: controlling waste shipments", "contrôler les transferts de déchets"
    assert english in client.get("/me").get_data(as_text=True)
    assert choose(client, "fr", "/me").status_code == 302
    me = client.get("/me").get_data(as_text=True)
    assert french in me and english not in me
    assert choose(client, "en", "/me").status_code == 302
    me = client.get("/me").get_data(as_text=True)
    assert english in me and french not in me


def test_a_language_the_course_lacks_is_refused(app, client):
    """Only the course's languages can be chosen: a clear 400, nothing stored."""
    response = choose(client, "es")
    assert response.status_code == 400
    assert "Demo course" in client.get("/courses/demo").get_data(as_text=True)


def test_a_visitors_choice_is_kept_in_the_session(client):
    """Without an account the chosen language lasts for the visit."""
    assert choose(client, "fr").status_code == 302
    assert "Bienvenue" in client.get(WELCOME).get_data(as_text=True)


def test_attempt_records_its_language_and_grades_the_same(app):
    """A quiz taken in French: French questions, English ones with the notice; graded by option ids, so all-right
    answers score 100 whatever the language; switching language later leaves the attempt in French."""
    user_id, client = signed_in(app, "learner", language="fr")
    attempt_id = start(client)
    page = client.get(f"/quizzes/demo-basics/attempts/{attempt_id}").get_data(as_text=True)
    assert "Quel document accompagne" in page and "Un document de mouvement" in page
    assert "Cette question n’est pas encore traduite en français\u00a0: elle est affichée en anglais." in page
    choose(client, "ar")
    with app.app_context():
        french = get_catalog().localized("fr").quiz("demo-basics")
        assert db.session.get(QuizAttempt, attempt_id).language == "fr"
    row = answer_all(app, client, french, attempt_id)
    assert row.score == 100.0 and row.passed
    english_id = _attempt_in(app, "en", "other@example.org")
    assert load(app, english_id).score == 100.0


def _attempt_in(app, language: str, email: str, right: bool = True) -> int:
    _user, client = signed_in(app, "learner", email=email, language=language)
    attempt_id = start(client)
    with app.app_context():
        quiz = get_catalog().localized(language).quiz("demo-basics")
    answer_all(app, client, quiz, attempt_id, right=right)
    return attempt_id


def test_question_statistics_split_by_language(app):
    """Right in English, wrong in Arabic: the per-language tables show it."""
    _attempt_in(app, "en", "one@example.org", right=True)
    _attempt_in(app, "ar", "two@example.org", right=False)
    with app.app_context():
        split = statistics_by_language("demo-basics")
    assert sorted(split) == ["ar", "en"]
    assert split["en"]["basics-single"].mean_score == 1.0 and split["ar"]["basics-single"].mean_score == 0.0
    runner = app.test_cli_runner()
    output = runner.invoke(args=["content", "question-stats", "demo-basics", "--by-language"]).output
    assert "demo-basics [ar]" in output and "  basics-single: 1 answers, 0% right, -" in output


def test_certificate_prints_the_course_title_in_the_study_language(app):
    """Taken in French: the French course title and module titles on the certificate and its PDF."""
    user_id, client = signed_in(app, "learner", name="Amina Njoroge", language="fr")
    with app.app_context():
        user = db.session.get(User, user_id)
        catalog = get_catalog()
        assert study_language(user, catalog.course("demo")) == "fr"
        issued = certificates.issue_certificate(user, catalog.course("demo"), catalog, score=90, reason="completion")
        assert issued.language == "fr"
        assert issued.course_title == "Cours de démonstration : contrôler les transferts de déchets"
        assert issued.modules_covered[0] == "Les bases de la Convention de Bâle"
        code = certificates.format_code(issued.code)
    text = " ".join(pdf_text(client.get(f"/me/certificates/{code}.pdf").get_data()).split())
    assert "contrôler les transferts de déchets" in text
    visitor = app.test_client()
    page = visitor.get(f"/certificates/{code}", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="es" dir="ltr">' in page and "Este certificado es auténtico y válido." in page
    assert re.search(r"Cours de démonstration", page)


def test_glossary_page_follows_the_interface_language(app):
    """Translated terms in French; the others in English, marked as such."""
    _user, client = signed_in(app, "learner", language="fr")
    page = client.get("/glossary").get_data(as_text=True)
    assert '<dt id="basel-convention">Convention de Bâle' in page
    assert '<dt id="movement-document" lang="en" dir="ltr">Movement document' in page
