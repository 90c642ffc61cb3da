"""The assessment lint: rules that keep a quiz from being passed by test-taking tricks or by reading the key.

Run by the loader on every quiz (so `flask --app app content check` reports them at `file:line`):

- a bank whose single-choice keys are the strictly longest option in more than 40% of its single-choice
  items (at least 5 of them) is an error: "pick the longest" must not pass;
- a final (a quiz that belongs to a course) whose pool is smaller than twice its draw is an error: retakes
  must be able to draw questions the learner has not seen;
- a final whose review shows answers (`wrong` or `explanations`) `immediately` is an error: the key must stay
  hidden until the learner passes or has no attempt left;
- a multiple-choice question with weights where ticking every option earns credit is an error: guessing must
  not pay (give the wrong options negative weights);
- a wrong option without `feedback` is a warning.
"""

from __future__ import annotations

from typing import Any

from .files import Parsed

LONGEST_KEY_LIMIT = 0.40
LONGEST_KEY_MIN_ITEMS = 5


def longest_key_share(bank: list[tuple[int, dict[str, Any]]]) -> tuple[int, int]:
    """(single-choice items whose correct option is strictly the longest, single-choice items)."""
    longest = total = 0
    for _index, fields in bank:
        options = fields.get("options") or []
        if fields.get("type") != "single" or len(options) < 2:
            continue
        total += 1
        key = [len(option["text"]) for option in options if option["correct"]]
        others = [len(option["text"]) for option in options if not option["correct"]]
        if key and others and key[0] > max(others):
            longest += 1
    return longest, total


def tick_everything_share(fields: dict[str, Any]) -> float:
    """The percentage a learner earns by ticking every option of a weighted multiple-choice question (0 for any
    other question: without weights, each wrong option ticked takes back what a right one gave)."""
    options = fields.get("options") or []
    if fields.get("type") != "multiple" or all(option.get("weight") is None for option in options):
        return 0.0
    return max(0.0, min(100.0, sum(option.get("weight") or 0.0 for option in options)))


def lint_quiz(quiz: Parsed, bank: list[tuple[int, dict[str, Any]]], warn) -> None:
    """Report the assessment rules above on `quiz.doc` (errors) and through `warn(keypath, message)`."""
    doc, values = quiz.doc, quiz.values
    longest, total = longest_key_share(bank)
    if total >= LONGEST_KEY_MIN_ITEMS and longest > LONGEST_KEY_LIMIT * total:
        doc.error(
            ("questions",),
            f"in {longest} of {total} single-choice questions ({100 * longest / total:.0f}%) the correct option is "
            f"the longest; at most {LONGEST_KEY_LIMIT:.0%} may be, or picking the longest option passes: "
            "make some wrong options as long and as precise as the key",
        )
    if (values.get("belongs_to") or {}).get("course"):
        draw = values.get("draw") or 0
        if isinstance(draw, int) and len(bank) < 2 * draw:
            doc.error(
                ("draw",),
                f"a final needs a pool at least twice its draw so that a retake draws unseen questions: "
                f"draw {draw} needs {2 * draw} questions, the bank has {len(bank)}",
            )
        review = values.get("review") or {}
        if review.get("show", "explanations") != "score" and review.get("when", "immediately") == "immediately":
            doc.error(
                ("review",),
                'a final must not show answers immediately: use review.when "passed_or_last_attempt" '
                "(the key stays hidden until the learner passes or has no attempt left)",
            )
    for index, fields in bank:
        everything = tick_everything_share(fields)
        if everything > 0:
            doc.error(
                ("questions", index, "options"),
                f'question "{fields.get("id")}": ticking every option earns {everything:g}% of it; give the wrong '
                "options negative weights so that the weights of all options add up to 0 or less",
            )
        for number, option in enumerate(fields.get("options") or []):
            if fields.get("type") in ("single", "multiple") and not option["correct"] and not option.get("feedback"):
                warn(
                    ("questions", index, "options", number),
                    f'question "{fields.get("id")}": wrong option "{option["id"]}" has no feedback: '
                    "say why it is wrong",
                )
