"""Dated facts: facts.yaml read once, drawn into lessons and questions, every author mistake reported at its line."""

from __future__ import annotations

from datetime import date

import pytest

from greencustoms.content import load_catalog
from tests.test_content_loader import BASICS, broken_copy, issues_of

FACTS = """\
facts:
  - id: basel-parties
    value: 191
    as_of: "2024-06"
    source: United Nations Treaty Collection
  - id: ban-in-force
    value: 5 December 2019
    as_of: 2019-12-05
    day_known: true
    source: United Nations Treaty Collection
"""
SENTENCE = "As of {{asof:basel-parties}}, the Convention had {{fact:basel-parties}} Parties."


def with_facts(tmp_path, *edits, facts: str = FACTS):
    return broken_copy(tmp_path, ("facts.yaml", None, facts), *edits)


def test_a_lesson_draws_the_value_and_its_date(tmp_path):
    """{{fact:ID}} becomes the value and {{asof:ID}} its month and year, written the UN way."""
    root = with_facts(tmp_path, (f"{BASICS}/02-documents.md", "No PIC, no shipment.", SENTENCE))
    lesson = load_catalog(root).module("demo-basics").lesson("documents")
    assert "As of June 2024, the Convention had 191 Parties." in lesson.html
    assert "{{" not in lesson.html


def test_a_question_draws_facts_too(tmp_path):
    """Quiz prompts are rendered through the same facts as lessons."""
    root = with_facts(
        tmp_path,
        ("quizzes/demo-basics.yaml", "prompt: Which are documents", "prompt: ({{fact:basel-parties}}) Which are"),
    )
    quiz = load_catalog(root).quiz("demo-basics")
    assert any("(191) Which are" in question.prompt_html for question in quiz.questions)


def test_the_catalog_keeps_every_fact_with_its_source(tmp_path):
    """The catalog lists the facts (for the sources page and reviewers), with dates in any language."""
    facts = load_catalog(with_facts(tmp_path)).facts
    assert set(facts) == {"basel-parties", "ban-in-force"}
    assert facts["basel-parties"].as_of == date(2024, 6, 1)
    assert facts["ban-in-force"].as_of_text("en") == "5 December 2019"
    assert facts["ban-in-force"].as_of_text("fr") == "5 décembre 2019"
    assert facts["basel-parties"].as_of_text("es") == "junio 2024"


def test_an_unknown_fact_is_reported_at_its_line(tmp_path):
    """A mistyped id stops the load with the lesson file and line, and names the id."""
    root = with_facts(tmp_path, (f"{BASICS}/02-documents.md", "No PIC, no shipment.", "{{fact:basel-partys}}"))
    issues = issues_of(root)
    assert len(issues) == 1
    assert issues[0].startswith(f"{BASICS}/02-documents.md:30: ")
    assert 'unknown fact "basel-partys"' in issues[0]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (FACTS.replace('as_of: "2024-06"', 'as_of: "June 2024"'), 'facts.yaml:4: fact "basel-parties": field "as_of"'),
        (FACTS.replace("ban-in-force", "basel-parties"), 'facts.yaml:6: fact id "basel-parties" is used twice'),
        (FACTS.replace("    source: United Nations Treaty Collection\n", "", 1), 'field "source" is required'),
        (FACTS.replace("value: 191", "value: [1, 2]"), 'facts.yaml:3: fact "basel-parties": field "value"'),
    ],
)
def test_a_broken_facts_file_is_reported(tmp_path, facts, expected):
    """Bad dates, repeated ids, missing sources and non-figures are author errors with their line."""
    issues = issues_of(with_facts(tmp_path, facts=facts))
    assert any(expected in issue for issue in issues), issues


@pytest.mark.parametrize("tag", ["math", "style", "script", "svg"])
def test_raw_html_that_would_swallow_the_lesson_is_reported(tmp_path, tag):
    """An unclosed <math> or <style> used to delete the rest of the lesson silently; now the check names it."""
    root = broken_copy(
        tmp_path, (f"{BASICS}/02-documents.md", "No PIC, no shipment.", f"Before <{tag}> the rest.\n\nAfter.")
    )
    issues = issues_of(root)
    assert any(f"{BASICS}/02-documents.md:30: raw HTML <{tag}> is not allowed" in issue for issue in issues), issues


def test_html_in_code_is_not_raw_html(tmp_path):
    """Writing about a tag inside backticks is fine: it is shown as text."""
    root = broken_copy(tmp_path, (f"{BASICS}/02-documents.md", "No PIC, no shipment.", "Never use `<style>` here."))
    lesson = load_catalog(root).module("demo-basics").lesson("documents")
    assert "&lt;style&gt;" in lesson.html
