"""Feedback by outcome (right / wrong) and extra answers that earn a share of the credit, for the types whose
answer is not a list of options: true/false, numeric and short text. These are what Moodle (and its GIFT
format) keeps for those types, so that an imported question loses nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from greencustoms.content.quizbank import Question
from greencustoms.content.schema import Invalid, Rule, check_fields, number, text
from greencustoms.content.yamlsource import Doc, KeyPath

from .base import Builder, sanitised


def credit_percent(value: Any) -> float:
    """A share of the credit, from 0 to 100 percent."""
    result = number(low=0)(value)
    if result > 100:
        raise Invalid
    return result


FEEDBACK_FIELDS: Mapping[str, Rule] = {
    "feedback_correct": Rule("Markdown shown when the answer earns full credit", text),
    "feedback_incorrect": Rule("Markdown shown when the answer earns no credit", text),
}
CREDIT = Rule("the percentage of the credit this answer earns, from 0 to 100", credit_percent, required=True)
ANSWER_FEEDBACK = Rule("Markdown shown when a learner gives this answer", text)


def check_credited(doc: Doc, keypath: KeyPath, raw: dict, values: dict, where: str, rules: Mapping[str, Rule]) -> None:
    """Check the optional `credited` list (other answers, each with its credit and feedback) against `rules`;
    the checked entries go to values["credited"]."""
    entries = raw.get("credited")
    values["credited"] = []
    if entries is None:
        return
    path = keypath + ("credited",)
    if not isinstance(entries, list):
        doc.error(path, f'{where}field "credited" must be a list of answers, each with its credit')
        return
    for index, entry in enumerate(entries):
        checked = check_fields(doc, path + (index,), entry, rules, f"{where}credited answer {index + 1}: ")
        if checked is not None:
            values["credited"].append(checked)


def build_outcome(values: dict[str, Any], builder: Builder, keep: tuple[str, ...]) -> dict[str, Any]:
    """What the catalog keeps in Question.data: the two outcome feedbacks as HTML and the credited answers
    (their `keep` fields, credit as a fraction, feedback as HTML)."""
    credited = tuple(
        {
            **{name: entry[name] for name in keep},
            "credit": float(entry["credit"]) / 100,
            "feedback_html": builder.render(("credited", index, "feedback"), entry.get("feedback")),
        }
        for index, entry in enumerate(values.get("credited") or ())
    )
    return {
        "feedback_correct_html": builder.render(("feedback_correct",), values.get("feedback_correct")),
        "feedback_incorrect_html": builder.render(("feedback_incorrect",), values.get("feedback_incorrect")),
        "credited": credited,
    }


def outcome_feedback(question: Question, full_credit: bool, matched: Mapping[str, Any] | None = None) -> list[Markup]:
    """The feedback for an answer: the matched credited answer's own feedback, else the right or wrong one."""
    if matched is not None:
        html = matched.get("feedback_html", "")
    else:
        html = question.data.get("feedback_correct_html" if full_credit else "feedback_incorrect_html", "")
    return [sanitised(html)] if html else []
