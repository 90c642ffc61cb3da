"""The content loader: the fixture tree, every kind of author error with its line, versions, immutability."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from greencustoms.content import Catalog, ContentError, ContentIssue, load_catalog

FIXTURE = Path(__file__).parent / "fixtures" / "content"
BASICS = "modules/demo-basics"


def broken_copy(tmp_path: Path, *edits: tuple[str, str | None, str | None]) -> Path:
    """Copy the fixture tree without its translations (tests/test_content_translations.py has those) and apply
    (file, old, new) edits: replace old by new, write new if old is None, delete the file if both are None."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("*.??.md", "*.??.yaml"))
    for rel, old, new in edits:
        path = root / rel
        if old is None and new is None:
            path.unlink()
        elif old is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(new or "", encoding="utf-8")
        else:
            text = path.read_text(encoding="utf-8")
            assert old in text, f"{old!r} not in {rel}"
            path.write_text(text.replace(old, new or "", 1), encoding="utf-8")
    return root


def issues_of(root: Path) -> list[str]:
    """The issue lines load_catalog raises for `root` (fails the test if it loads)."""
    with pytest.raises(ContentError) as caught:
        load_catalog(root)
    return [str(issue) for issue in caught.value.issues]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(FIXTURE)


def test_fixture_loads_with_expected_counts(catalog):
    """The fixture tree loads into 2 courses (the demo course and a practice course of the practical types),
    3 modules, 6 lessons, 3 quizzes (7 + 7 + 4 questions), 4 terms."""
    assert catalog.stats() == {
        "courses": 2,
        "modules": 3,
        "lessons": 6,
        "quizzes": 3,
        "questions": 18,
        "glossary_terms": 4,
    }
    assert catalog.root == FIXTURE.resolve()


def test_items_come_in_file_order(catalog):
    """Modules follow folder names, lessons their NN prefix, glossary terms their term case-insensitively."""
    assert list(catalog.modules) == ["demo-basics", "demo-practice", "demo-waste"]
    assert [lesson.slug for lesson in catalog.modules["demo-waste"].lessons] == [
        "what-is-waste",
        "red-flags",
        "inspection",
    ]
    assert [lesson.number for lesson in catalog.modules["demo-waste"].lessons] == [1, 2, 3]
    assert list(catalog.glossary) == [
        "basel-convention",
        "hazardous-waste",
        "movement-document",
        "ozone-depleting-substance",
    ]


def test_every_question_type_is_in_each_quiz(catalog):
    """Each classic fixture quiz holds one question of every classic type, with the type's answer key; the
    practice quiz holds one of each practical type."""
    types = {"single", "multiple", "true_false", "numeric", "short_text", "matching", "ordering"}
    practical = {"document_check", "hotspot", "code_entry", "scenario"}
    for quiz in catalog.quizzes.values():
        expected = practical if quiz.slug == "demo-practice" else types
        assert {question.type for question in quiz.questions} == expected
    basics = catalog.quizzes["demo-basics"]
    assert basics.question("basics-true-false").answer is False
    assert basics.question("basics-numeric").answer == 60.0 and basics.question("basics-numeric").unit == "days"
    assert basics.question("basics-matching").pairs == (("Notification", "Exporter"), ("Movement document", "Carrier"))
    assert basics.question("basics-ordering").items[0] == "Notification"
    assert [option.correct for option in basics.question("basics-single").options] == [True, False]
    assert basics.question("nope") is None


def test_quiz_rules_and_defaults(catalog):
    """Quiz fields come from the file, with documented defaults for the ones left out."""
    basics, waste = catalog.quizzes["demo-basics"], catalog.quizzes["demo-waste"]
    assert (basics.module_slug, basics.course_slug, basics.pass_mark, basics.draw) == ("demo-basics", None, 70, 7)
    assert (basics.max_attempts, basics.wait_minutes, basics.time_limit_minutes, basics.grace_seconds) == (
        None,
        0,
        None,
        60,
    )
    assert (basics.review_show, basics.review_when) == ("explanations", "immediately")
    assert (waste.balance_by, waste.max_attempts, waste.time_limit_minutes, waste.grace_seconds) == (
        "difficulty",
        3,
        20,
        30,
    )
    assert (waste.review_show, waste.review_when) == ("wrong", "passed")


def test_sequence_and_neighbours_cross_module_boundaries(catalog):
    """Lessons run in course order; the next lesson after a module's last is the next module's first."""
    sequence = [lesson.id for _module, lesson in catalog.lesson_sequence("demo")]
    assert sequence == [
        "demo-basics/welcome",
        "demo-basics/documents",
        "demo-waste/what-is-waste",
        "demo-waste/red-flags",
        "demo-waste/inspection",
    ]
    previous, following = catalog.neighbours("demo", "demo-basics", "documents")
    assert previous.id == "demo-basics/welcome" and following.id == "demo-waste/what-is-waste"
    assert catalog.neighbours("demo", "demo-waste", "inspection")[1] is None
    assert catalog.neighbours("nope", "demo-waste", "inspection") == (None, None)
    assert [quiz.slug for quiz in catalog.quizzes_of("demo")] == ["demo-basics", "demo-waste"]


def test_course_completion_and_hours_are_resolved(catalog):
    """completion "all" expands to every lesson id and module quiz; hours round lesson minutes up to 0.5."""
    course = catalog.course("demo")
    assert course.completion.lessons == tuple(lesson.id for _m, lesson in catalog.lesson_sequence("demo"))
    assert course.completion.quizzes == ("demo-basics", "demo-waste")
    assert course.completion.final_quiz is False
    assert course.certificate.enabled is True and course.certificate.validity_years == 3
    minutes = sum(lesson.minutes for _m, lesson in catalog.lesson_sequence("demo"))
    assert minutes <= 30 and course.estimated_hours == 0.5


def test_reading_minutes_come_from_header_or_word_count(catalog):
    """`minutes` in the header wins; otherwise one minute per 200 words, at least 1."""
    basics = catalog.modules["demo-basics"]
    assert basics.lesson("welcome").minutes == 3
    documents = basics.lesson("documents")
    assert documents.words > 0 and documents.minutes == 1


def test_lesson_fields(catalog):
    """A lesson carries its header fields, rendered HTML, headings and the glossary terms it links to."""
    lesson = catalog.modules["demo-basics"].lesson("welcome")
    assert lesson.id == "demo-basics/welcome" and lesson.path == f"{BASICS}/01-welcome.md"
    assert lesson.objectives == ("Describe what the course covers", "Find the glossary")
    assert lesson.glossary_ids == ("basel-convention", "hazardous-waste")
    assert [entry.id for entry in lesson.toc] == ["what-you-will-learn", "summary", "sources"]


def test_catalog_is_immutable(catalog):
    """Assigning to any item raises, and the catalog's mappings are read-only."""
    lesson = catalog.modules["demo-basics"].lessons[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        lesson.title = "changed"
    with pytest.raises(dataclasses.FrozenInstanceError):
        catalog.version = "x"
    for mapping in (catalog.courses, catalog.modules, catalog.quizzes, catalog.glossary):
        with pytest.raises(TypeError):
            mapping["new"] = None
    with pytest.raises(TypeError):
        catalog.quizzes["demo-basics"].questions[0].tags["mea"] = "cites"
    assert isinstance(catalog.modules["demo-basics"].lessons, tuple)


def test_versions_are_stable_and_follow_edits(tmp_path):
    """Loading twice gives the same versions; editing one lesson changes it, its module, course and catalog only."""
    before = load_catalog(FIXTURE)
    assert load_catalog(FIXTURE).version == before.version
    root = broken_copy(tmp_path, (f"{BASICS}/02-documents.md", "Two documents, two moments.", "Two documents."))
    after = load_catalog(root)
    assert after.version != before.version
    old, new = before.modules["demo-basics"], after.modules["demo-basics"]
    assert new.lesson("documents").version != old.lesson("documents").version
    assert new.lesson("welcome").version == old.lesson("welcome").version
    assert new.version != old.version
    assert after.modules["demo-waste"].version == before.modules["demo-waste"].version
    assert after.course("demo").version != before.course("demo").version
    assert all(len(v) == 16 for v in (new.version, after.version, after.quizzes["demo-basics"].version))


def test_question_version_changes_only_for_the_edited_question(tmp_path):
    """Editing one question changes that question's version and the quiz's, not its neighbours'."""
    before = load_catalog(FIXTURE).quizzes["demo-basics"]
    root = broken_copy(tmp_path, ("quizzes/demo-basics.yaml", "Consent must be given in writing first.", "In writing."))
    after = load_catalog(root).quizzes["demo-basics"]
    assert after.question("basics-true-false").version != before.question("basics-true-false").version
    assert after.question("basics-single").version == before.question("basics-single").version
    assert after.version != before.version


def test_issue_prints_as_file_line_message():
    """str(ContentIssue) is "path:line: message"."""
    assert str(ContentIssue("courses/a.yaml", 7, "bad")) == "courses/a.yaml:7: bad"


WELCOME = f"{BASICS}/01-welcome.md"
DOCUMENTS = f"{BASICS}/02-documents.md"
ERROR_CASES = {
    "invalid YAML in a lesson header": (
        [(WELCOME, "summary: What", "summary: [What")],
        f"{WELCOME}:4: invalid YAML: expected ',' or ']', but got ':'",
    ),
    "an unquoted colon in a header value": (
        [(WELCOME, "title: Welcome", "title: Welcome: start here")],
        f"{WELCOME}:2: invalid YAML: mapping values are not allowed here "
        "(if a value contains ': ', put the whole value in quotes)",
    ),
    "a header that is never closed": (
        [(WELCOME, "minutes: 3\n---", "minutes: 3\n")],
        f"{WELCOME}:1: the header opened with --- on line 1 is never closed: "
        "add a line with only --- after the last header field",
    ),
    "a missing required field": (
        [
            (
                DOCUMENTS,
                "objectives:\n  - Name the notification and the movement document\n  - Say who signs each one\n",
                "",
            )
        ],
        f'{DOCUMENTS}:2: field "objectives" is required: a list of what the learner will be able to do',
    ),
    "an unknown field": (
        [(WELCOME, "minutes: 3", "minutes: 3\nsumary: x")],
        f'{WELCOME}:8: unknown field "sumary" (did you mean "summary"?)',
    ),
    "a course naming a missing module": (
        [("courses/demo.yaml", "  - demo-waste", "  - demo-wast")],
        'courses/demo.yaml:9: modules[1]: no module named "demo-wast" (folder modules/demo-wast/ does not exist) '
        '(did you mean "demo-waste"?)',
    ),
    "a single-choice question with no correct answer": (
        [
            (
                "quizzes/demo-basics.yaml",
                "        correct: true\n      - id: b\n        text: A CITES",
                "      - id: b\n        text: A CITES",
            )
        ],
        'quizzes/demo-basics.yaml:15: question "basics-single": a single-choice question needs exactly one option '
        "with correct: true (found 0)",
    ),
    "a multiple-choice question with no correct answer": (
        [
            ("quizzes/demo-basics.yaml", "text: Movement document\n        correct: true", "text: Movement document"),
            ("quizzes/demo-basics.yaml", "text: Notification\n        correct: true", "text: Notification"),
        ],
        'quizzes/demo-basics.yaml:28: question "basics-multiple": a multiple-choice question needs at least one '
        "option with correct: true",
    ),
    "an image that does not exist": (
        [(DOCUMENTS, "img/flow.svg", "img/flows.svg")],
        f'{DOCUMENTS}:16: image "img/flows.svg" not found: there is no file {BASICS}/img/flows.svg',
    ),
    "an image without alt text": (
        [(DOCUMENTS, "![Notification flow from exporter to importer]", "![]")],
        f'{DOCUMENTS}:16: image "img/flow.svg" needs alt text describing it: ![what the image shows](img/flow.svg)',
    ),
    "a lesson link to a missing lesson": (
        [(WELCOME, "lesson:documents", "lesson:documnts")],
        f'{WELCOME}:18: link "lesson:documnts": module "demo-basics" has no lesson "documnts" '
        '(did you mean "documents"?)',
    ),
    "a glossary link to a missing term": (
        [(WELCOME, "glossary:hazardous-waste", "glossary:hazard")],
        f'{WELCOME}:13: link "glossary:hazard": no term "hazard" in glossary.yaml',
    ),
    "duplicate question ids": (
        [("quizzes/demo-basics.yaml", "id: basics-multiple", "id: basics-single")],
        'quizzes/demo-basics.yaml:25: question id "basics-single" is used twice (first on line 9); '
        "question ids must be unique in a quiz",
    ),
    "a bank smaller than the draw": (
        [("quizzes/demo-basics.yaml", "draw: 7", "draw: 9")],
        'quizzes/demo-basics.yaml:5: field "draw" asks for 9 questions per attempt but the bank has only 7: '
        "lower draw or add questions",
    ),
    "an unknown question type": (
        [("quizzes/demo-basics.yaml", "type: ordering", "type: order")],
        'quizzes/demo-basics.yaml:73: question "basics-ordering": unknown question type "order" (did you mean '
        '"ordering"?); use one of single, multiple, true_false, numeric, short_text, matching, ordering, '
        "document_check, hotspot, code_entry, scenario",
    ),
    "an unknown callout kind": (
        [(WELCOME, "!!! tip", "!!! warning")],
        f'{WELCOME}:15: unknown callout kind "warning"; use one of red-flag, safety, tip, note (as in !!! tip)',
    ),
    "a lesson file name that is not NN-slug.md": (
        [(f"{BASICS}/3-Bad_Name.md", None, "---\ntitle: x\n---\n")],
        f"{BASICS}/3-Bad_Name.md:1: a lesson file name must be NN-<slug>.md: two digits, a dash, then lowercase "
        "letters, digits and single dashes, such as 01-introduction.md",
    ),
    "two lessons with the same number": (
        [(f"{BASICS}/02-other.md", None, "---\ntitle: x\nsummary: y\nobjectives: [a]\n---\nbody\n")],
        f"{BASICS}/02-other.md:1: lesson number 02 is already used by 02-documents.md; give each lesson its own number",
    ),
    "two lessons with the same slug": (
        [(f"{BASICS}/03-welcome.md", None, "---\ntitle: x\nsummary: y\nobjectives: [a]\n---\nbody\n")],
        f'{BASICS}/03-welcome.md:1: lesson name "welcome" is already used by 01-welcome.md; '
        "lesson names must be unique in a module",
    ),
    "a quiz whose belongs_to does not match its module": (
        [("quizzes/demo-waste.yaml", "module: demo-waste", "module: demo-basics")],
        "modules/demo-waste/module.yaml:4: quiz: quizzes/demo-waste.yaml must say belongs_to: {module: demo-waste}",
    ),
    "a duplicated glossary id": (
        [("glossary.yaml", "id: ozone-depleting-substance", "id: basel-convention")],
        'glossary.yaml:15: glossary id "basel-convention" is used twice (first on line 2)',
    ),
    "a wrongly typed value": (
        [("quizzes/demo-waste.yaml", "pass_mark: 60", "pass_mark: sixty")],
        'quizzes/demo-waste.yaml:4: field "pass_mark" must be the percentage needed to pass, a whole number '
        'from 0 to 100 (found "sixty")',
    ),
    "a field of another question type": (
        [("quizzes/demo-waste.yaml", "    answer: true\n", "    answer: true\n    options: []\n")],
        'quizzes/demo-waste.yaml:41: question "waste-true-false": field "options" does not apply to a '
        "true/false question",
    ),
    "a javascript: link": (
        [(WELCOME, "## Summary", "[x](javascript:alert(1))\n\n## Summary")],
        f'{WELCOME}:20: link "javascript:alert(1)": "javascript:" links are not allowed; use https://, mailto:, '
        "lesson: or glossary:",
    ),
    "a missing module.yaml": (
        [(f"{BASICS}/module.yaml", None, None)],
        f"{BASICS}/module.yaml:1: file missing: every module folder needs a module.yaml with title and summary",
    ),
}


@pytest.mark.parametrize("case", list(ERROR_CASES), ids=list(ERROR_CASES))
def test_each_kind_of_error_names_file_line_and_field(tmp_path, case):
    """Each kind of broken content is reported as file:line: message, at the line of the offending text."""
    edits, expected = ERROR_CASES[case]
    assert expected in issues_of(broken_copy(tmp_path, *edits))


def test_all_errors_are_collected_at_once(tmp_path):
    """Problems in several files come back together in one ContentError, sorted by path and line."""
    root = broken_copy(
        tmp_path,
        ("courses/demo.yaml", "  - demo-waste", "  - demo-wast"),
        ("quizzes/demo-basics.yaml", "draw: 7", "draw: 9"),
        (WELCOME, "!!! tip", "!!! warning"),
        (WELCOME, "minutes: 3", "minutes: 3\nauthor: me"),
    )
    lines = issues_of(root)
    assert [line.split(":")[0] for line in lines] == [
        "courses/demo.yaml",
        WELCOME,
        WELCOME,
        "quizzes/demo-basics.yaml",
    ]
    assert lines[1].startswith(f"{WELCOME}:8: ") and lines[2].startswith(f"{WELCOME}:16: ")


def test_lesson_link_to_a_module_outside_the_course_is_an_error(tmp_path):
    """A lesson may link only to modules that every course containing its own module also contains."""
    load_catalog(broken_copy(tmp_path / "a", ("courses/demo.yaml", "  - demo-waste\n", "")))  # in no course: free
    root = broken_copy(
        tmp_path / "b",
        ("courses/demo.yaml", "  - demo-basics\n", ""),
        ("courses/demo.yaml", "lesson:demo-basics/welcome", "lesson:demo-waste/red-flags"),
    )
    assert issues_of(root) == [
        'modules/demo-waste/01-what-is-waste.md:11: link "lesson:demo-basics/documents#two-documents": course '
        '"demo" does not include module "demo-basics", so its learners could not open this lesson'
    ]


def test_a_module_in_no_course_is_not_an_error(tmp_path):
    """A module folder that no course lists still loads (authors may stage modules)."""
    root = broken_copy(
        tmp_path,
        ("modules/spare/module.yaml", None, "title: Spare\nsummary: Not used yet.\n"),
        ("modules/spare/01-draft.md", None, "---\ntitle: Draft\nsummary: A draft.\nobjectives: [Read]\n---\nText.\n"),
    )
    catalog = load_catalog(root)
    assert "spare" in catalog.modules and catalog.courses_with_module("spare") == ()


def test_a_missing_content_root_is_reported():
    """A CONTENT_ROOT that does not exist is one clear issue, not a traceback."""
    with pytest.raises(ContentError) as caught:
        load_catalog("/nonexistent/content/root")
    assert "does not exist" in str(caught.value.issues[0])


def test_a_question_says_whether_it_asks_to_recall_or_to_apply(tmp_path):
    """tags.level is optional; recall and apply are kept in the catalog, anything else is an author error."""
    text = (FIXTURE / "quizzes" / "demo-basics.yaml").read_text(encoding="utf-8")
    first_tags = text[text.index("tags:") : text.index("\n", text.index("tags:"))]
    root = broken_copy(tmp_path, ("quizzes/demo-basics.yaml", first_tags, first_tags.replace("}", ", level: apply}")))
    assert load_catalog(root).quiz("demo-basics").questions[0].tags["level"] == "apply"
    bad = broken_copy(
        tmp_path / "bad", ("quizzes/demo-basics.yaml", first_tags, first_tags.replace("}", ", level: know}"))
    )
    assert any('field "tags.level"' in issue and "recall, apply" in issue for issue in issues_of(bad))
