"""The real curriculum in this repository: it loads, and every lesson and question has the required structure."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from greencustoms.content import Catalog, load_catalog

ROOT = Path(__file__).resolve().parent.parent
COURSES = {
    "green-customs-foundations": {
        "introduction",
        "montreal",
        "basel",
        "rotterdam",
        "stockholm",
        "cites",
        "cartagena",
        "cwc",
        "minamata",
    },
    "hazardous-waste-inspection-at-seaports": {
        "seaport-waste-trade",
        "seaport-legal-framework",
        "seaport-risk-profiling",
        "seaport-inspection",
        "seaport-enforcement",
        "seaport-cooperation",
        "seaport-case-studies",
    },
}


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    return load_catalog(ROOT)


def all_lessons():
    return [lesson for module in catalog().modules.values() for lesson in module.lessons]


def lesson_source(lesson) -> str:
    return (ROOT / lesson.path).read_text(encoding="utf-8")


def test_both_courses_exist_with_their_modules():
    """Both courses are published with the modules the curriculum requires, each with 3 to 6 lessons."""
    for slug, modules in COURSES.items():
        course = catalog().course(slug)
        assert course is not None and set(course.module_slugs) == modules
        for module in catalog().modules_of(slug):
            assert 3 <= len(module.lessons) <= 6, module.slug


@pytest.mark.parametrize("lesson", all_lessons(), ids=lambda lesson: lesson.id)
def test_lesson_structure(lesson):
    """Every lesson has objectives, 600-1,500 words, a callout, glossary links, a summary and its sources last."""
    assert 3 <= len(lesson.objectives) <= 6
    assert 600 <= lesson.words <= 1600, lesson.words
    assert 'class="admonition' in lesson.html
    assert len(lesson.glossary_ids) >= 3
    headings = [entry.title for entry in lesson.toc if entry.level == 2]
    assert "Summary" in headings and headings[-1] == "Sources"


@pytest.mark.parametrize("lesson", all_lessons(), ids=lambda lesson: lesson.id)
def test_lesson_has_no_raw_html_or_insecure_links(lesson):
    """Lessons are Markdown only: no raw HTML tags, and external links use https."""
    body = lesson_source(lesson).split("---", 2)[2]
    body = re.sub(r"```.*?```", "", body, flags=re.S)
    assert not re.search(r"<\s*[a-zA-Z][^>]*>", body)
    assert "](http://" not in body


def test_every_question_has_explanation_reference_and_tags():
    """Every question of every bank has an explanation, a reference and mea/topic/difficulty tags."""
    for quiz in catalog().quizzes.values():
        for question in quiz.questions:
            assert question.explanation_html.strip() and question.reference.strip(), question.id
            assert {"mea", "topic", "difficulty"} <= set(question.tags), question.id


def test_question_banks_are_big_enough():
    """Module banks hold at least 12 questions (8 drawn, 70% to pass); final exams at least 40 (25 drawn, 75%)."""
    for quiz in catalog().quizzes.values():
        if quiz.course_slug:
            assert len(quiz.questions) >= 40 and quiz.draw == 25 and quiz.pass_mark == 75, quiz.slug
        else:
            assert len(quiz.questions) >= 12 and quiz.draw == 8 and quiz.pass_mark == 70, quiz.slug


def test_every_module_has_a_quiz_and_every_course_a_final_exam():
    """Each module ends with its quiz, and each course has a final exam that its completion rule requires."""
    for slug in COURSES:
        course = catalog().course(slug)
        assert course.final_quiz_slug in catalog().quizzes and course.completion.final_quiz
        for module in catalog().modules_of(slug):
            assert module.quiz_slug in course.completion.quizzes


def test_glossary_is_complete_and_every_link_resolves():
    """The glossary has at least 80 terms with definitions, and every term a lesson links to exists."""
    glossary = catalog().glossary
    assert len(glossary) >= 80
    assert all(term.definition_html.strip() for term in glossary.values())
    for lesson in all_lessons():
        assert set(lesson.glossary_ids) <= set(glossary), lesson.id


def test_every_module_of_a_course_is_reachable():
    """Following the lesson sequence from the first lesson visits every lesson of every module of each course."""
    for slug in COURSES:
        sequence = catalog().lesson_sequence(slug)
        expected = {lesson.id for module in catalog().modules_of(slug) for lesson in module.lessons}
        assert {lesson.id for _module, lesson in sequence} == expected
        visited, current = set(), sequence[0][1]
        while current is not None:
            visited.add(current.id)
            current = catalog().neighbours(slug, current.module_slug, current.slug)[1]
        assert visited == expected


def test_changing_figures_carry_an_as_of_date():
    """A sentence that counts Parties also says when ("as of" a date or a dated source)."""
    pattern = re.compile(r"\b\d{2,3}\s+(?:States\s+)?Parties\b")
    for lesson in all_lessons():
        for line in lesson_source(lesson).splitlines():
            if pattern.search(line):
                assert re.search(r"as of|\b(19|20)\d{2}\b", line, re.I), f"{lesson.id}: {line.strip()}"


PRACTICAL_TYPES = {"document_check", "hotspot", "code_entry", "scenario"}
MEA_MODULES = ("montreal", "basel", "rotterdam", "stockholm", "cites", "cartagena", "cwc", "minamata")
SEAPORT_MODULES = sorted(COURSES["hazardous-waste-inspection-at-seaports"])


def _bank(module_slug: str):
    module = catalog().modules[module_slug]
    return catalog().quizzes[module.quiz_slug].questions


def _worked_cases(questions) -> list:
    """Worked cases are scenarios tagged topic: worked-case (docs/authoring.md)."""
    return [q for q in questions if q.type == "scenario" and q.tags.get("topic") == "worked-case"]


@pytest.mark.parametrize("module_slug", [*MEA_MODULES, *SEAPORT_MODULES])
def test_every_module_practises_what_officers_do_at_the_border(module_slug):
    """Each agreement's bank has at least 3 practical items (document check, hotspot, code entry, scenario), each
    seaport module's at least 5, all asking the learner to apply a rule (level: apply)."""
    practical = [q for q in _bank(module_slug) if q.type in PRACTICAL_TYPES]
    assert len(practical) >= (5 if module_slug.startswith("seaport-") else 3), module_slug
    assert all(q.tags.get("level") == "apply" for q in practical), [q.id for q in practical]
    assert len({q.type for q in practical}) >= 2, "practise more than one kind of task"


@pytest.mark.parametrize("module_slug", MEA_MODULES)
def test_every_agreement_has_a_worked_case(module_slug):
    """Each agreement's module holds one worked case of its own agreement, played as a branching scenario."""
    cases = _worked_cases(_bank(module_slug))
    assert cases, module_slug
    assert all(case.tags.get("mea") == module_slug for case in cases)
    assert all(len(case.data["steps"]) >= 3 for case in cases)


def test_the_seaport_course_has_a_full_inspection_from_risk_profile_to_referral():
    """The seaport course's worked case walks at least six decisions, from the risk profile to the referral."""
    cases = [case for slug in SEAPORT_MODULES for case in _worked_cases(_bank(slug))]
    assert cases
    assert max(len(case.data["steps"]) for case in cases) >= 6
