"""GIFT import: the parser (pure) and `flask content import-gift` writing a quiz the catalog accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from greencustoms.content import load_catalog
from greencustoms.quiz.gift import parse_gift

REALISTIC = Path(__file__).resolve().parent.parent / "fixtures" / "gift" / "realistic.gift"


def only(text: str) -> dict:
    result = parse_gift(text)
    assert len(result.questions) == 1, result.problems
    return result.questions[0].fields


def test_choice_questions_with_feedback_and_weights():
    """= and ~ make a single choice with per-answer feedback; positive %weights make a multiple choice."""
    single = only("::t::Pick one {=right#Yes. ~wrong#No, because. ####Because.}")
    assert single["type"] == "single" and single["explanation"] == "Because."
    assert single["options"] == [
        {"id": "a", "text": "right", "correct": True, "feedback": "Yes."},
        {"id": "b", "text": "wrong", "feedback": "No, because."},
    ]
    multiple = only("Pick two {~%50%a ~%50%b ~%-100%c}")
    assert multiple["type"] == "multiple"
    assert [option.get("correct", False) for option in multiple["options"]] == [True, True, False]


@pytest.mark.parametrize("body, answer", [("T", True), ("TRUE", True), ("F", False), ("false", False)])
def test_true_false_forms(body, answer):
    """{T} {TRUE} {F} {FALSE} (any case) are true/false questions."""
    assert only(f"Statement {{{body}}}") == {"type": "true_false", "answer": answer, "prompt": "Statement"}


def test_numeric_tolerance_and_range():
    """{#3.5:0.5} keeps answer and tolerance; {#1..5} becomes its midpoint with half the width as tolerance."""
    assert only("N {#3.5:0.5}")["answer"] == 3.5 and only("N {#3.5:0.5}")["tolerance"] == 0.5
    assert (only("N {#1..5}")["answer"], only("N {#1..5}")["tolerance"]) == (3, 2)
    assert only("N {#-2}")["answer"] == -2 and only("N {#-2}")["tolerance"] == 0


def test_short_answer_matching_and_missing_word():
    """{=a =b} is a short answer; {=a -> b} matching; text after the braces makes a missing-word question."""
    assert only("Q {=one =One =two}")["accept"] == ["one", "One", "two"]
    assert only("Q {=a -> 1 =b -> 2}")["pairs"] == [{"left": "a", "right": "1"}, {"left": "b", "right": "2"}]
    gap = only("The {=Basel ~Rotterdam} Convention controls waste.")
    assert gap["prompt"] == "The \\_\\_\\_\\_\\_ Convention controls waste." and gap["type"] == "single"


def test_escapes_comments_and_formats():
    """\\= \\~ \\# \\{ \\} \\: are literal; // lines are comments; [html] and [plain] become Markdown."""
    result = parse_gift(
        "// a comment\n::a\\:b::Is 1 \\= 1 \\{yes\\}?{T}\n\n[html]<p>A <b>bold</b> ask</p>{F}\n\n[plain]Use *stars*{T}"
    )
    prompts = [question.fields["prompt"] for question in result.questions]
    assert prompts == ["Is 1 = 1 {yes}?", "A **bold** ask", "Use \\*stars\\*"]
    assert result.questions[0].title == "a:b" and result.questions[0].line == 2


def test_unsupported_constructs_are_reported_by_line():
    """Essays, descriptions, missing braces and unreadable answers are reported at their line and skipped."""
    text = "::e::Essay {}\n\nJust a description.\n\n\nBroken {=a\n\nOdd {?x}\n\nGood {T}"
    result = parse_gift(text)
    assert [q.fields["prompt"] for q in result.questions] == ["Good"]
    lines = {problem.line: problem.message for problem in result.problems}
    assert set(lines) == {1, 3, 6, 8}
    assert "essay" in lines[1] and "description" in lines[3] and "closing }" in lines[6] and "cannot read" in lines[8]


@pytest.fixture
def content_copy(edited_content, other_app):
    root = edited_content({})
    return root, other_app(CONTENT_ROOT=str(root))


def test_import_realistic_file_into_the_catalog(content_copy):
    """The realistic file converts (every supported kind), reports what it dropped by FILE:LINE, and the written
    quiz passes the content check and loads in the catalog."""
    root, app = content_copy
    result = app.test_cli_runner().invoke(
        args=["content", "import-gift", str(REALISTIC), "--quiz", "demo-basics", "--module", "demo-basics", "--force"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f"{REALISTIC}:58: essay questions ({{}}) are not supported (question skipped)" in lines
    assert any(line.startswith(f"{REALISTIC}:60: a description") for line in lines)
    assert any(line.startswith(f"{REALISTIC}:4: category") for line in lines)
    assert any(line.startswith(f'{REALISTIC}:53: question "no-feedback" has no general feedback') for line in lines)
    assert "Content check: OK." in lines
    quiz = load_catalog(root).quizzes["demo-basics"]
    assert len(quiz.questions) == 18 and quiz.draw == 18
    assert {q.type for q in quiz.questions} == {"single", "multiple", "true_false", "numeric", "short_text", "matching"}
    escaped = quiz.question("escapes")
    assert "{waste}" in escaped.prompt_html and "85:49 = e-waste" in escaped.prompt_html
    assert quiz.question("no-feedback").explanation_html == "<p>(no explanation in the GIFT source)</p>"
    assert quiz.question("red-flags").tags == {"mea": "basel", "topic": "basel-basics", "difficulty": "medium"}
    written = (root / "quizzes" / "demo-basics.yaml").read_text(encoding="utf-8")
    assert written.startswith("# Imported from the GIFT file realistic.gift")


def test_import_refuses_to_overwrite_without_force(content_copy):
    """An existing quiz file is kept unless --force is given."""
    root, app = content_copy
    before = (root / "quizzes" / "demo-waste.yaml").read_text(encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["content", "import-gift", str(REALISTIC), "--quiz", "demo-waste"])
    assert result.exit_code == 1 and "use --force" in result.output
    assert (root / "quizzes" / "demo-waste.yaml").read_text(encoding="utf-8") == before


def test_import_finds_the_owner_and_reports_a_failing_check(content_copy, tmp_path):
    """Without --module the owner is the module naming the quiz; a file no module names fails the check (exit 1)."""
    root, app = content_copy
    runner = app.test_cli_runner()
    found = runner.invoke(args=["content", "import-gift", str(REALISTIC), "--quiz", "demo-waste", "--force"])
    assert found.exit_code == 0 and "belongs_to:\n  module: demo-waste" in (
        root / "quizzes" / "demo-waste.yaml"
    ).read_text(encoding="utf-8")
    unknown = runner.invoke(args=["content", "import-gift", str(REALISTIC), "--quiz", "orphan"])
    assert unknown.exit_code != 0 and "give --module M or --course C" in unknown.output
    orphan = runner.invoke(
        args=["content", "import-gift", str(REALISTIC), "--quiz", "orphan", "--module", "demo-waste"]
    )
    assert orphan.exit_code == 1 and 'already names the quiz "demo-waste"' in orphan.output
    assert "--quiz demo-waste --force" in orphan.output
    assert not (root / "quizzes" / "orphan.yaml").exists()


def test_import_with_nothing_convertible_exits_1(content_copy, tmp_path):
    """A file with only unsupported items writes nothing and exits 1."""
    root, app = content_copy
    source = tmp_path / "essays.gift"
    source.write_text("Describe the port {}\n\nJust text.\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=[
            "content",
            "import-gift",
            str(source),
            "--quiz",
            "essays",
            "--module",
            "demo-basics",
            "--output",
            str(tmp_path / "out.yaml"),
        ]
    )
    assert result.exit_code == 1 and f"{source}:1: essay" in result.output
    assert not (tmp_path / "out.yaml").exists()


def test_import_gift_is_listed_in_the_content_group(app):
    """`flask content --help` lists import-gift next to check and list."""
    output = app.test_cli_runner().invoke(args=["content", "--help"]).output
    assert "import-gift" in output and "check" in output
