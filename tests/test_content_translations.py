"""Content translations: reading them beside their sources, their errors, `content stamp` and the check's report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from greencustoms.content import ContentError, load_catalog
from greencustoms.content.stamp import StampError, stamp_file
from greencustoms.content.versions import text_version
from tests.test_content_cli import content_app
from tests.test_content_loader import FIXTURE


def copy(tmp_path: Path, *edits: tuple[str, str | None, str | None]) -> Path:
    """The fixture tree WITH its translations, edited: (file, old, new); old None writes, both None delete."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    for rel, old, new in edits:
        path = root / rel
        if old is None and new is None:
            path.unlink()
        elif old is None:
            path.write_text(new or "", encoding="utf-8")
        else:
            text = path.read_text(encoding="utf-8")
            assert old in text, f"{old!r} not in {rel}"
            path.write_text(text.replace(old, new or "", 1), encoding="utf-8")
    return root


def issues(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_catalog(root)
    return [str(issue) for issue in caught.value.issues]


def test_translations_are_read_beside_their_sources():
    """French and Arabic lessons, module, course, quiz questions and terms replace the source texts in their
    language; ids, versions and answer keys stay the source's; an untranslated lesson is the source's."""
    catalog = load_catalog(FIXTURE)
    assert sorted(catalog.translations) == ["ar", "fr"]
    french = catalog.localized("fr")
    welcome, documents = french.modules["demo-basics"].lessons
    source = catalog.modules["demo-basics"].lessons[0]
    assert (welcome.title, welcome.language, welcome.id, welcome.version) == (
        "Bienvenue",
        "fr",
        source.id,
        source.version,
    )
    assert 'title="Convention de Bâle"' in welcome.html and "Conseil" in welcome.html
    assert documents.language == "en" and documents is catalog.modules["demo-basics"].lessons[1]
    assert french.course("demo").title.startswith("Cours de démonstration")
    assert french.modules["demo-basics"].title == "Les bases de la Convention de Bâle"
    question = french.quiz("demo-basics").question("basics-single")
    original = catalog.quiz("demo-basics").question("basics-single")
    assert "Quel document" in question.prompt_html and question.version == original.version
    assert [(o.id, o.correct) for o in question.options] == [(o.id, o.correct) for o in original.options]
    assert "prior informed consent" in french.quiz("demo-basics").question("basics-short-text").accept
    assert french.glossary["basel-convention"].term == "Convention de Bâle"
    assert catalog.localized("ar").glossary["basel-convention"].letter == "ا"
    assert catalog.localized("es") is catalog and catalog.localized("en") is catalog


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("modules/demo-basics/01-welcome.fr.md", "summary:", "sumary:"),
            'modules/demo-basics/01-welcome.fr.md:3: unknown field "sumary" (did you mean "summary"?)',
        ),
        (
            ("modules/demo-basics/07-nothing.fr.md", None, "---\ntitle: x\n---\n"),
            "modules/demo-basics/07-nothing.fr.md:1: this translates modules/demo-basics/07-nothing.md, which does "
            "not exist: name it after its source",
        ),
        (
            ("quizzes/demo-basics.fr.yaml", "id: basics-numeric", "id: basics-numerik"),
            'quizzes/demo-basics.fr.yaml:17: question "basics-numerik" is not in quizzes/demo-basics.yaml '
            '(did you mean "basics-numeric"?)',
        ),
        (
            ("quizzes/demo-basics.fr.yaml", "      - id: b\n", "      - id: c\n"),
            'quizzes/demo-basics.fr.yaml:13: question "basics-single": id "c" does not match the source\'s "b" here: '
            "keep the source's ids in the source's order",
        ),
        (
            (
                "quizzes/demo-basics.fr.yaml",
                "        text: Un document de mouvement\n",
                "        text: Un document de mouvement\n        correct: false\n",
            ),
            'quizzes/demo-basics.fr.yaml:13: question "basics-single": field "correct" is not translated: remove it '
            "(it comes from the source)",
        ),
        (
            ("quizzes/demo-basics.fr.yaml", "      - {left: Document de mouvement, right: Transporteur}\n", ""),
            'quizzes/demo-basics.fr.yaml:30: question "basics-matching": field "pairs" has 1 items; the source has 2: '
            "same items, same order",
        ),
        (
            ("glossary.fr.yaml", "id: hazardous-waste", "id: hazardous-wastes"),
            'glossary.fr.yaml:7: term "hazardous-wastes" is not in glossary.yaml: use its id',
        ),
        (
            ("modules/demo-basics/module.fr.yaml", None, "source_version: 12345\ntitle: x\nsummary: y\n"),
            'modules/demo-basics/module.fr.yaml:1: field "source_version" must be "pending" or the 12-digit version '
            "`flask content stamp` writes (found 12345)",
        ),
        (
            ("courses/demo.en.yaml", None, "title: x\n"),
            'courses/demo.en.yaml:1: "en" is the source language: the source file itself is the text',
        ),
    ],
)
def test_translation_errors_name_file_line_and_problem(tmp_path, edit, expected):
    """Unknown fields, a translation of nothing, unknown ids, a structure unlike the source's: errors at file:line."""
    found = issues(copy(tmp_path, edit))
    assert expected in found, found


def test_a_translation_must_not_make_the_key_the_longest_option(tmp_path):
    """The assessment lint's length-cue rule runs on the bank as read in each language."""
    questions = "".join(
        f"""  - id: q{n}
    type: single
    prompt: Question {n}?
    options:
      - {{id: a, text: Alpha, correct: true}}
      - {{id: b, text: Bravo, feedback: No.}}
    explanation: Because.
    reference: Basel Convention
    tags: {{mea: basel, topic: t, difficulty: easy}}
"""
        for n in range(5)
    )
    translated = "".join(
        f"""  - id: q{n}
    source_version: pending
    options:
      - {{id: a, text: Alpha mais beaucoup plus long}}
      - {{id: b, text: Bravo}}
"""
        for n in range(5)
    )
    root = copy(
        tmp_path,
        ("quizzes/demo-basics.fr.yaml", None, f"questions:\n{translated}"),
        ("quizzes/demo-basics.ar.yaml", None, None),
        (
            "quizzes/demo-basics.yaml",
            None,
            f"title: T\nbelongs_to: {{module: demo-basics}}\npass_mark: 50\ndraw: 5\nquestions:\n{questions}",
        ),
    )
    found = issues(root)
    assert any(
        line.startswith("quizzes/demo-basics.fr.yaml:1: in this language the correct option is the longest in 5 of 5")
        for line in found
    ), found


def test_stamp_fills_pending_only_and_keeps_the_rest(tmp_path):
    """`content stamp` writes the source's current version into `pending` lines, nothing else; a version already
    written is kept even when the source has changed since."""
    root = copy(tmp_path)
    lesson = root / "modules/demo-basics/01-welcome.fr.md"
    stamped = lesson.read_text(encoding="utf-8")
    lesson.write_text(stamped.replace(stamped.split("source_version: ")[1][:12], "pending"), encoding="utf-8")
    assert stamp_file(root, lesson) == 1
    version = text_version((root / "modules/demo-basics/01-welcome.md").read_text(encoding="utf-8"))
    assert lesson.read_text(encoding="utf-8") == stamped and f"source_version: {version}" in stamped
    source = root / "modules/demo-basics/01-welcome.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    assert stamp_file(root, lesson) == 0 and lesson.read_text(encoding="utf-8") == stamped
    quiz = root / "quizzes/demo-basics.fr.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace(version, "x"), encoding="utf-8")
    with pytest.raises(StampError, match="not a translation"):
        stamp_file(root, source)


def test_stamp_command_and_check_report(tmp_path):
    """After a source edit the check lists the translation as out of date (exit 0: the course does not declare
    the language); stamping a `pending` translation and `--language` filter work from the command line."""
    root = copy(tmp_path, ("modules/demo-basics/01-welcome.md", "Short lessons", "Short lessons (edited)"))
    runner = content_app(root).test_cli_runner()
    result = runner.invoke(args=["content", "check", "--language", "fr"])
    assert result.exit_code == 0, result.output
    assert "Translations into fr:" in result.output and "Translations into ar:" not in result.output
    assert "  demo: 8/24 translated (33%), 16 missing, 1 out of date" in result.output
    assert "    missing: lesson demo-basics/documents" in result.output
    assert (
        "    out of date: lesson demo-basics/welcome (modules/demo-basics/01-welcome.fr.md:1: the source changed since)"
        in result.output
    )
    assert "  glossary: 2/4 translated (50%), 2 missing, 0 out of date" in result.output
    module = root / "modules/demo-basics/module.fr.yaml"
    module.write_text("source_version: pending\ntitle: Bases\nsummary: Résumé.\n", encoding="utf-8")
    report = runner.invoke(args=["content", "check", "--language", "fr"]).output
    assert "out of date: module demo-basics (modules/demo-basics/module.fr.yaml:1: not stamped (pending))" in report
    stamped = runner.invoke(args=["content", "stamp", str(module)])
    assert stamped.exit_code == 0 and "1 source version(s) stamped" in stamped.output
    assert "module demo-basics" not in runner.invoke(args=["content", "check", "--language", "fr"]).output
    assert runner.invoke(args=["content", "stamp", str(root / "courses/demo.yaml")]).exit_code == 1


def test_a_course_declaring_a_language_complete_fails_the_check_until_it_is(tmp_path):
    """`languages: [en, fr]` with untranslated items is an error of the check (exit 1), naming the course file."""
    root = copy(tmp_path, ("courses/demo.yaml", "languages: [en]", "languages: [en, fr]"))
    result = content_app(root).test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert (
        'courses/demo.yaml:1: languages lists "fr" (complete) but 16 item(s) are missing and 0 out of date in it'
        in result.output
    )


def test_terminology_table_warns_where_the_official_term_is_missing(tmp_path):
    """Where the source says "movement document", the French text should say "document de mouvement"."""
    root = copy(
        tmp_path,
        ("quizzes/demo-basics.fr.yaml", "text: Un document de mouvement", "text: Un bordereau de suivi"),
        ("quizzes/demo-basics.fr.yaml", "Le **document de mouvement**", "Le **bordereau**"),
    )
    output = content_app(root).test_cli_runner().invoke(args=["content", "check"]).output
    assert (
        'quizzes/demo-basics.fr.yaml:4: demo-basics/basics-single: the source says "movement document": use '
        '"document de mouvement" (fr.yaml) (warning)' in output
    )
    assert "demo-basics/basics-matching: the source says" not in output


def test_a_non_text_field_copied_from_the_source_is_ignored(tmp_path):
    """A translator who copies `accept` or `correct` unchanged does no harm; changing it is the error above."""
    root = copy(
        tmp_path,
        ("quizzes/demo-basics.fr.yaml", "    unit: jours\n", "    unit: jours\n    answer: 60\n    tolerance: 0\n"),
    )
    assert load_catalog(root).localized("fr").quiz("demo-basics").question("basics-numeric").unit == "jours"


def test_terminology_matching_folds_arabic_forms():
    """The Arabic definite article, vowel marks and alef forms do not hide an official term."""
    from greencustoms.content.terminology import Term

    term = Term("illegal traffic", "الاتجار غير المشروع")
    assert term.found_in("وهذا اتجارٌ غير مشروع بموجب المادة 9")
    assert not term.found_in("نقل غير قانوني")
    assert Term("illegal traffic", "trafic illicite", ("trafic illégal",)).found_in("Un TRAFIC illégal")
