"""Content checks of the practical types and the assessment lint, each reported at `file:line`."""

from __future__ import annotations

from pathlib import Path

import pytest

from greencustoms.content import ContentError
from greencustoms.content.loader import load_catalog

PRACTICE = "quizzes/demo-practice.yaml"


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_catalog(root)
    return [str(issue) for issue in caught.value.issues]


def line_of(root: Path, text: str, rel: str = PRACTICE) -> int:
    """The 1-based line where `text` first appears in the edited file."""
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if line.lstrip().startswith(text.lstrip()))


CASES = {
    "a document check without a flaw": (
        [
            (
                '            flaw: "Untested CRT monitors are A1180 (hazardous), not B1110."\n'
                "            reason: invalid\n",
                "",
            ),
            (
                '            flaw: "The container number differs from the movement document (MSKU 1234565)."\n'
                "            reason: mismatch\n",
                "",
            ),
        ],
        "    documents:",
        "a document check needs at least one field with a flaw",
    ),
    "a flaw whose reason is not one of the question's": (
        [("            reason: invalid", "            reason: wrongish")],
        "          - id: waste-code",
        "this flaw needs reason: one of the question's reasons (invalid, mismatch)",
    ),
    "a hotspot without a right marker": (
        [("        correct: true\n        feedback: The orange", "        feedback: The orange")],
        "    markers:",
        "a hotspot question needs at least one marker with correct: true",
    ),
    "a hotspot image that is not shipped": (
        [("src: img/container-door.svg", "src: img/nowhere.svg")],
        "src: img/nowhere.svg",
        'image "img/nowhere.svg" not found',
    ),
    "a marker outside the image": (
        [("        x: 260", "        x: 360")],
        "      - id: panel",
        "marker 4 reaches outside the image (400 x 240)",
    ),
    "a code level as long as the code": (
        [("{length: 4, credit: 0.5}", "{length: 9, credit: 0.5}")],
        "- {length: 9",
        "partial level 1 (length 9) must be shorter than the shortest accepted code (6 characters)",
    ),
    "a code level without its credit": (
        [("{length: 4, credit: 0.5}", "{length: 4}")],
        "    partial:",
        "needs exactly length and credit",
    ),
    "a scenario step that leads nowhere": (
        [("            next: seized", "            next: seize")],
        "            next: seize",
        'next: no step "seize"',
    ),
    "a scenario that loops": (
        [
            (
                "            next: released\n            consequence: A fine",
                "            next: arrival\n            consequence: A fine",
            )
        ],
        "    steps:",
        'the steps loop back to "arrival"',
    ),
    "a scenario step nobody reaches": (
        [
            (
                "            next: released\n            consequence: Worn",
                "            next: opened\n            consequence: Worn",
            ),
            (
                "            next: released\n            consequence: A fine",
                "            next: seized\n            consequence: A fine",
            ),
        ],
        "      - id: released",
        'step "released" cannot be reached from the start',
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_practical_type_checks_name_file_and_line(edited_content, case):
    """Each broken practical item is reported as file:line: question "id": message, at the offending line."""
    edits, anchor, message = CASES[case]
    root = edited_content({PRACTICE: edits})
    found = problems(root)
    line = line_of(root, anchor)
    assert any(issue.startswith(f"{PRACTICE}:{line}: question ") and message in issue for issue in found), found


def cued_items(count: int) -> str:
    """Single-choice items whose key is always the longest option."""
    return "".join(
        f"""  - id: cued-{n}
    type: single
    prompt: Cued question {n}?
    options:
      - {{id: a, text: "The long and precise right answer {n}", correct: true}}
      - {{id: b, text: "Short", feedback: "No."}}
      - {{id: c, text: "Shorter", feedback: "No."}}
    explanation: Because.
    reference: "Test"
    tags: {{mea: basel, topic: cues, difficulty: easy}}
"""
        for n in range(count)
    )


def test_a_bank_whose_keys_are_the_longest_option_fails(edited_content):
    """More than 40% of single-choice keys strictly longest (here 5 of 5) fails at the questions line."""
    root = edited_content({PRACTICE: [("questions:\n", "questions:\n" + cued_items(5))]})
    expected = (
        f"{PRACTICE}:{line_of(root, 'questions:')}: in 5 of 5 single-choice questions (100%) the correct option "
        "is the longest"
    )
    assert any(issue.startswith(expected) for issue in problems(root))


def test_a_bank_below_the_threshold_passes(edited_content):
    """Two cued items among five single-choice questions (40%) are allowed: the rule is "more than 40%"."""
    fair = (
        cued_items(3)
        .replace('"The long and precise right answer', '"Right')
        .replace('"Short"', '"A much longer wrong option"')
    )
    root = edited_content(
        {PRACTICE: [("questions:\n", "questions:\n" + cued_items(2) + fair.replace("cued-", "fair-"))]}
    )
    assert load_catalog(root).quiz("demo-practice")


def as_final(extra: list[tuple[str, str]]) -> dict:
    """Edits making demo-practice the demo course's final (keeping its module quiz-less)."""
    return {
        "courses/demo.yaml": [("completion:", "final_quiz: demo-practice\ncompletion:")],
        "modules/demo-practice/module.yaml": [("quiz: demo-practice\n", "")],
        PRACTICE: [("  module: demo-practice", "  course: demo"), *extra],
    }


def test_a_final_with_a_small_pool_or_an_open_key_fails(edited_content):
    """A final drawing 4 of 4 and showing answers immediately fails twice: at draw and at review."""
    root = edited_content(as_final([]))
    found = problems(root)
    assert f"{PRACTICE}:{line_of(root, 'draw:')}: a final needs a pool at least twice its draw" in " ".join(found)
    assert any(
        issue.startswith(f"{PRACTICE}:{line_of(root, 'review:')}: a final must not show answers immediately")
        for issue in found
    )


def test_a_final_with_the_certifying_rules_passes(edited_content):
    """Drawing 2 of 4, 3 attempts, key withheld until passed or no attempt left: no problem."""
    root = edited_content(
        as_final(
            [
                ("draw: 4", "draw: 2\nmax_attempts: 3\nwait_minutes: 1440"),
                ("max_attempts: null\n", ""),
                ("  when: immediately", "  when: passed_or_last_attempt"),
            ]
        )
    )
    quiz = load_catalog(root).quiz("demo-practice")
    assert (quiz.draw, quiz.max_attempts, quiz.wait_minutes, quiz.review_when) == (2, 3, 1440, "passed_or_last_attempt")


def test_wrong_options_without_feedback_are_warnings_only(edited_content):
    """The catalog loads and carries a warning at the option's line."""
    root = edited_content(
        {PRACTICE: [("questions:\n", "questions:\n" + cued_items(1).replace(', feedback: "No."', ""))]}
    )
    warnings = [str(w) for w in load_catalog(root).warnings if PRACTICE in w.path]
    line = line_of(root, "- {id: b")
    assert f'{PRACTICE}:{line}: question "cued-0": wrong option "b" has no feedback: say why it is wrong' in warnings
