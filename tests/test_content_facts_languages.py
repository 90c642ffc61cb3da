"""Facts in every language: a value with words ("about 70%") has its own wording per language in facts.yaml, a value
of digits only ("17,486") is written in the language's number style, and `content check` reports a translated text
that would show a fact's English words; on the real content, no translated text does."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pytest

from greencustoms.content import load_catalog
from greencustoms.content.facts import Fact, has_words, localize, substitute
from greencustoms.quiz.types.base import get_type
from tests.test_content_cli import content_app
from tests.test_content_loader import BASICS, issues_of
from tests.test_content_translations import copy

PROJECT = Path(__file__).resolve().parent.parent
WELCOME_FR = f"{BASICS}/01-welcome.fr.md"
FACTS = """\
facts:
  - id: share-in-vehicles
    value: about 70%
    values:
      fr: "environ 70 %"
    as_of: "2018-01"
    source: UNU and BCCC Africa
  - id: equipment
    value: 6,046
    as_of: "2023-10"
    source: WCO
"""


def fact(value: str, **values: str) -> Fact:
    return Fact("x", value, date(2024, 1, 1), "a source", values=tuple(sorted(values.items())))


def render(text: str, facts: dict[str, Fact], locale: str) -> str:
    notes: list[str] = []
    shown = substitute(text, facts, locale, lambda _needle, message: notes.append(message))
    assert not notes
    return shown


def test_a_worded_value_is_shown_in_the_language_of_the_text():
    """The language's own value when it has one; the English value in English and where the language has none
    (the check reports that case)."""
    share = {"x": fact("about 70%", fr="environ 70 %", es="alrededor del 70%", ar="نحو 70%")}
    assert render("soit {{fact:x}} des", share, "fr") == "soit environ 70 % des"
    assert render("con {{fact:x}} de", share, "es") == "con alrededor del 70% de"
    assert render("و{{fact:x}}", share, "ar") == "ونحو 70%"
    assert render("with {{fact:x}} of it", share, "en") == "with about 70% of it"
    assert render("mit {{fact:x}} davon", share, "de") == "mit about 70% davon"
    assert share["x"].missing_in("de") and not share["x"].missing_in("fr") and not share["x"].missing_in("en")


def test_a_value_without_words_is_written_in_the_number_style_of_the_language():
    """Thousands and decimals as the translated lessons write them: "17 486" in French and Spanish, Western
    digits with commas in Arabic; a language without a known style keeps the English writing."""
    facts = {"n": fact("17,486"), "p": fact("12.5%"), "s": fact("198"), "w": fact("1,234,567.25")}
    text = "{{fact:n}} / {{fact:p}} / {{fact:s}} / {{fact:w}}"
    assert render(text, facts, "en") == "17,486 / 12.5% / 198 / 1,234,567.25"
    assert render(text, facts, "fr") == "17 486 / 12,5 % / 198 / 1 234 567,25"
    assert render(text, facts, "es") == "17 486 / 12,5% / 198 / 1 234 567,25"
    assert render(text, facts, "ar") == "17,486 / 12.5% / 198 / 1,234,567.25"
    assert render(text, facts, "de") == "17,486 / 12.5% / 198 / 1,234,567.25"
    assert localize("2015-16", "fr") == "2015-16"
    assert not facts["n"].missing_in("fr")
    assert has_words("US$12.5 billion") and has_words("نحو 70") and not has_words("48%") and not has_words("6,046")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("{{fact:x}} arrived.", "About 70% arrived."),
        ("in 2016. {{fact:x}} of it", "in 2016. About 70% of it"),
        ("in 2016.\n**{{fact:x}}** of it", "in 2016.\n**About 70%** of it"),
        ("- {{fact:x}} of it", "- About 70% of it"),
        ("| 2021 | {{fact:x}} |", "| 2021 | About 70% |"),
        ("Of these, {{fact:x}} came", "Of these, about 70% came"),
        ("tonnes a year,\n**{{fact:x}}**, came", "tonnes a year,\n**about 70%**, came"),
        ("found that\n{{fact:x}} of it", "found that\nabout 70% of it"),
        ("## Summary\n\n{{fact:x}} of it", "## Summary\n\nAbout 70% of it"),
        ("## {{fact:x}}", "## About 70%"),
    ],
)
def test_a_value_that_opens_a_sentence_starts_with_a_capital(text, shown):
    """A text, sentence, list item or table cell that opens with a worded value reads "About 70%", while a wrapped
    line (even one starting with bold) continues its sentence in lower case."""
    assert render(text, {"x": fact("about 70%")}, "en") == shown


def test_a_translated_lesson_draws_the_value_of_its_language(tmp_path):
    """Through the loader: the French lesson shows the French wording and the French number style, the English
    lesson the English value."""
    root = copy(
        tmp_path,
        ("facts.yaml", None, FACTS),
        (WELCOME_FR, "Des leçons courtes", "Soit {{fact:share-in-vehicles}} et {{fact:equipment}} équipements. Des"),
        (f"{BASICS}/01-welcome.md", "Short lessons", "{{fact:share-in-vehicles}} and {{fact:equipment}}: short"),
    )
    catalog = load_catalog(root)
    french = catalog.localized("fr").module("demo-basics").lesson("welcome")
    assert french.language == "fr"
    # the spaces inside "70 %" and "6 046" never break (greencustoms.content.render.NBSP)
    assert "Soit environ 70&nbsp;% et 6&nbsp;046 équipements." in french.html
    assert "About 70% and 6,046: short" in catalog.module("demo-basics").lesson("welcome").html


def test_a_language_value_must_keep_the_numbers_of_the_value(tmp_path):
    """A translated value with another number (or a lost one) is an error at its line in facts.yaml."""
    changed = FACTS.replace('fr: "environ 70 %"', 'fr: "environ 75 %"')
    issues = issues_of(copy(tmp_path, ("facts.yaml", None, changed)))
    assert any(
        issue.startswith('facts.yaml:5: fact "share-in-vehicles": the fr value "environ 75 %" must keep the numbers')
        and "only in the value: ['70'], only in fr: ['75']" in issue
        for issue in issues
    ), issues


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ('    values: {en: "about 70%"}\n', 'must not repeat "en"'),
        ('    values: {french: "environ 70 %"}\n', 'two-letter language codes such as fr (found "french")'),
        ("    values: environ 70 %\n", 'field "values" must be the value in each other language'),
    ],
)
def test_badly_written_language_values_are_reported(tmp_path, values, expected):
    facts = FACTS.replace('    values:\n      fr: "environ 70 %"\n', values)
    issues = issues_of(copy(tmp_path, ("facts.yaml", None, facts)))
    assert any(issue.startswith("facts.yaml:4: ") and expected in issue for issue in issues), issues


def gap_root(tmp_path: Path, declare: bool) -> Path:
    """The fixture with a French lesson drawing a worded fact that has no French value."""
    edits = [
        ("facts.yaml", None, FACTS.replace('    values:\n      fr: "environ 70 %"\n', "")),
        (WELCOME_FR, "Des leçons courtes", "Soit {{fact:share-in-vehicles}} et {{fact:equipment}}. Des"),
    ]
    if declare:
        edits.append(("courses/demo.yaml", "languages: [en]", "languages: [en, fr]"))
    return copy(tmp_path, *edits)


def line_of(root: Path, rel: str, needle: str) -> int:
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def test_the_check_fails_for_a_declared_language_that_would_show_english_words(tmp_path):
    """A course declaring French complete: the French lesson drawing "about 70%" without a French value is an
    error at the placeholder's line (the digits-only fact is not)."""
    root = gap_root(tmp_path, declare=True)
    result = content_app(root).test_cli_runner().invoke(args=["content", "check", "--language", "fr"])
    assert result.exit_code == 1
    line = line_of(root, WELCOME_FR, "{{fact:share-in-vehicles}}")
    expected = (
        f"{WELCOME_FR}:{line}: lesson demo-basics/welcome draws {{{{fact:share-in-vehicles}}}}, whose value "
        '"about 70%" has words and no fr value: add it to the fact\'s values in facts.yaml (fr: ...)'
    )
    assert expected in result.output.splitlines(), result.output
    assert "fact:equipment" not in result.output


def test_the_check_reports_the_gap_for_a_language_no_course_declares(tmp_path):
    """Not declared: reported in the language's coverage (exit 0), like a missing translation."""
    root = gap_root(tmp_path, declare=False)
    result = content_app(root).test_cli_runner().invoke(args=["content", "check", "--language", "fr"])
    assert result.exit_code == 0, result.output
    line = line_of(root, WELCOME_FR, "{{fact:share-in-vehicles}}")
    assert "1 fact value(s) not in fr" in result.output
    assert (
        f"    fact value not in fr: lesson demo-basics/welcome ({WELCOME_FR}:{line}: {{{{fact:share-in-vehicles}}}})"
        in result.output.splitlines()
    )


@pytest.fixture(scope="module")
def content():
    return load_catalog(PROJECT)


_SOURCES = re.compile(r"<h2[^>]*>(?:Sources|Fuentes|المصادر)</h2>")


def translated_texts(catalog, language: str) -> list[tuple[str, str]]:
    """(id, plain text) of every lesson, question and glossary term of the catalog translated into `language`."""
    view = catalog.localized(language)
    found = [
        (lesson.id, _SOURCES.split(lesson.html)[0])  # a Sources list quotes its sources in their own language
        for module in view.modules.values()
        for lesson in module.lessons
        if lesson.language == language
    ]
    found += [
        (question.id, repr(question))
        for quiz in view.quizzes.values()
        for question in quiz.questions
        if question.language == language
    ]
    found += [(term.id, term.definition_html) for term in view.glossary.values() if term.language == language]
    return [(key, html.unescape(re.sub(r"<[^>]+>", "", text))) for key, text in found]


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_no_translated_text_of_the_real_content_shows_a_fact_in_english(content, language):
    """Every worded fact has a value in each translation language, and no rendered translated lesson, question
    or term contains an English worded value."""
    worded = [fact for fact in content.facts.values() if fact.worded]
    assert worded and not [fact.id for fact in worded if fact.missing_in(language)]
    texts = translated_texts(content, language)
    assert len(texts) > 100
    english = [(key, fact.value) for key, text in texts for fact in worded if fact.value.casefold() in text.casefold()]
    assert not english


def test_the_hs_heading_question_accepts_the_heading_with_or_without_its_dot(content):
    """seaport-risk-profiling-p03 asks for a four-digit heading: 8549, 85.49 and 85 49 are the same heading;
    a subheading or another heading is not."""
    question = content.quiz("seaport-risk-profiling-quiz").question("seaport-risk-profiling-p03")
    code_entry = get_type("code_entry")
    assert [code_entry.score(question, typed) for typed in ("8549", "85.49", "85 49", " 8549 ")] == [1.0] * 4
    assert code_entry.score(question, "8548") == 0.0
    assert code_entry.score(question, "8471") == 0.0
