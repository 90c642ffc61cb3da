"""GIFT import as faithful as Moodle's: every construct of Moodle's fixture and documentation that has a type
here keeps its meaning (weights, feedback, partial credit, distractors, formats), or is refused by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from greencustoms.content import load_catalog
from greencustoms.quiz.gift import parse_gift
from greencustoms.quiz.types import get_type

CONSTRUCTS = Path(__file__).resolve().parent.parent / "fixtures" / "gift" / "moodle-constructs.gift"


@pytest.fixture(scope="module")
def parsed():
    result = parse_gift(CONSTRUCTS.read_text(encoding="utf-8"))
    return {question.title: question.fields for question in result.questions}, result.problems


def test_refusals_are_reported_by_line(parsed):
    """The essay and the single answer with a negative weight are refused at their line, with the reason."""
    _questions, problems = parsed
    lines = {problem.line: problem.message for problem in problems}
    assert "essay" in lines[5]
    assert "takes marks away (-50%)" in lines[63] and "single-answer" in lines[63]
    assert "ticking every option earns 100%" in lines[69]
    assert len(parsed[0]) == 8


def test_format_markers_are_read_and_removed(parsed):
    """[html], [plain], [markdown] and [moodle] before a prompt, answer, feedback or general feedback are
    applied to that piece and never left in the text."""
    questions, _problems = parsed
    matching = questions["Agreements"]
    assert matching["prompt"] == "Match the **agreement** to what it controls."
    assert [pair["left"] for pair in matching["pairs"]] == [
        "Trade in hazardous wastes",
        "Ozone-depleting substances",
        "Mercury and mercury compounds",
        "Endangered species",
    ]
    single = questions["Q2"]["options"]
    assert single[1]["feedback"] == "wrong, that is for **species**"
    assert single[2]["text"] == "The \\*phytosanitary\\* certificate"
    assert questions["TF1"]["explanation"] == "Minamata covers **mercury** from mine to waste."
    flat = repr(questions)
    assert "[html]" not in flat and "[plain]" not in flat and "[markdown]" not in flat


def test_each_construct_keeps_its_meaning(parsed):
    """Distractors, negative weights, feedback for any other answer, partial credit and both true/false
    feedbacks are all kept; text after the closing brace leaves a gap where the block was."""
    questions, _problems = parsed
    assert questions["Agreements"]["distractors"] == ["Cartagena"]
    assert [option["weight"] for option in questions["weights"]["options"]] == [50, -100, 50, -100]
    numeric = questions["Q5"]
    assert (numeric["answer"], numeric["tolerance"], numeric["feedback_incorrect"]) == (3, 2, "Completely wrong")
    assert numeric["prompt"].endswith("\\_\\_\\_\\_\\_ (count them).")
    short = questions["Short"]
    assert short["accept"] == ["Basel"] and short["feedback_correct"] == "Good!"
    assert short["credited"] == [
        {"text": "Basel Convention on waste", "credit": 50, "feedback": "Close, the short name is enough."}
    ]
    assert short["feedback_incorrect"] == "Look at the Basel module again."
    tf = questions["TF1"]
    assert tf["answer"] is False
    assert tf["feedback_incorrect"] == "It is controlled by the Minamata Convention too."
    assert tf["feedback_correct"] == "You gave the right answer."
    year = questions["Numerical"]
    assert year["credited"] == [
        {
            "answer": 1989,
            "tolerance": 2,
            "credit": 50,
            "feedback": "It was adopted in 1989.\nHalf credit for being close.",
        }
    ]
    weighted = questions["Weighted single"]
    assert weighted["type"] == "single" and [o.get("weight") for o in weighted["options"]] == [0, 50, 100]


@pytest.fixture
def imported(edited_content, other_app):
    """The constructs file imported into the demo-basics module of a content copy, and the loaded quiz."""
    root = edited_content({})
    app = other_app(CONTENT_ROOT=str(root))
    result = app.test_cli_runner().invoke(
        args=["content", "import-gift", str(CONSTRUCTS), "--quiz", "demo-basics", "--module", "demo-basics", "--force"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        yield load_catalog(root).quizzes["demo-basics"]


def _by_title(quiz, words):
    return next(question for question in quiz.questions if question.id.startswith(words))


def _grade(question, response):
    handler = get_type(question.type)
    return handler.score(question, response), [str(text) for text in handler.feedback(question, response)]


def test_weights_are_scored_as_moodle_scores_them(imported):
    """Multiple answer: the sum of the chosen weights, between 0 and 100%; single answer: the chosen share."""
    weights = _by_title(imported, "weights")
    assert _grade(weights, ["a"])[0] == 0.5
    assert _grade(weights, ["a", "c"])[0] == 1.0
    assert _grade(weights, ["a", "b"])[0] == 0.0
    assert _grade(weights, ["a", "b", "c", "d"])[0] == 0.0  # ticking everything earns nothing
    single = _by_title(imported, "weighted-single")
    assert [_grade(single, option)[0] for option in ("a", "b", "c")] == [0.0, 0.5, 1.0]


def test_typed_answers_keep_credit_and_feedback(imported):
    """Numeric and short answers: full credit with its feedback, partial credit with the answer's own feedback,
    and the feedback for any other answer."""
    number = _by_title(imported, "q5")
    assert _grade(number, 4.5) == (1.0, [])
    assert _grade(number, 6.0) == (0.0, ["<p>Completely wrong</p>"])
    year = _by_title(imported, "numerical")
    assert _grade(year, 1989.0) == (1.0, ["<p>Correct! Full credit.</p>"])
    score, feedback = _grade(year, 1991.0)
    assert score == 0.5 and "Half credit" in feedback[0]
    assert _grade(year, 2001.0) == (0.0, [])
    short = _by_title(imported, "short")
    assert _grade(short, " basel ") == (1.0, ["<p>Good!</p>"])
    assert _grade(short, "Basel Convention on waste")[0] == 0.5
    assert _grade(short, "Rotterdam") == (0.0, ["<p>Look at the Basel module again.</p>"])


def test_true_false_feedback_follows_the_outcome(imported):
    """The statement is false: answering true shows the wrong-answer feedback, false the right-answer one."""
    statement = _by_title(imported, "tf1")
    assert _grade(statement, True) == (0.0, ["<p>It is controlled by the Minamata Convention too.</p>"])
    assert _grade(statement, False) == (1.0, ["<p>You gave the right answer.</p>"])


def test_a_distractor_is_offered_but_matches_nothing(imported):
    """The extra right-hand item is among the choices; choosing it for a row earns nothing for that row."""
    import random

    matching = _by_title(imported, "agreements")
    layout = get_type("matching").present(matching, iter(f"t{n}" for n in range(99)).__next__, random.Random(1), False)
    assert "Cartagena" in [text for _token, text in layout["choices"]]
    perfect = dict(matching.pairs)
    assert _grade(matching, perfect)[0] == 1.0
    assert _grade(matching, {**perfect, "Trade in hazardous wastes": "Cartagena"})[0] == 0.75


def test_import_into_a_module_without_a_quiz_names_it(edited_content, other_app):
    """A module with no quiz yet gets "quiz: <slug>" written into its module.yaml, keeping its other lines."""
    root = edited_content({"modules/demo-waste/module.yaml": [("quiz: demo-waste", "")]})
    (root / "quizzes" / "demo-waste.yaml").unlink()
    app = other_app(CONTENT_ROOT=str(root))
    result = app.test_cli_runner().invoke(
        args=["content", "import-gift", str(CONSTRUCTS), "--quiz", "waste-bank", "--module", "demo-waste"]
    )
    assert result.exit_code == 0, result.output
    module_text = (root / "modules" / "demo-waste" / "module.yaml").read_text(encoding="utf-8")
    assert "quiz: waste-bank" in module_text and "title:" in module_text
    assert load_catalog(root).module("demo-waste").quiz_slug == "waste-bank"


def test_a_failing_import_writes_nothing(edited_content, other_app, tmp_path):
    """A converted question that fails the content check (an unknown glossary term) stops the import before
    any file is written or changed."""
    root = edited_content({"modules/demo-waste/module.yaml": [("quiz: demo-waste", "")]})
    (root / "quizzes" / "demo-waste.yaml").unlink()
    module_before = (root / "modules" / "demo-waste" / "module.yaml").read_text(encoding="utf-8")
    source = tmp_path / "bad.gift"
    source.write_text("See [this term](glossary:no-such-term). {T}\n", encoding="utf-8")
    app = other_app(CONTENT_ROOT=str(root))
    result = app.test_cli_runner().invoke(
        args=["content", "import-gift", str(source), "--quiz", "waste-bank", "--module", "demo-waste"]
    )
    assert result.exit_code == 1 and "nothing was written" in result.output
    assert "no-such-term" in result.output
    assert not (root / "quizzes" / "waste-bank.yaml").exists()
    assert (root / "modules" / "demo-waste" / "module.yaml").read_text(encoding="utf-8") == module_before
    assert not list((root / "quizzes").glob(".*"))
