"""Typed-in answers: numeric (with a tolerance) and short text (accepted answers, forgiving comparison)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from greencustoms.content.quizbank import Question
from greencustoms.content.schema import Rule, listing, number, optional, text
from greencustoms.content.yamlsource import Doc, KeyPath

from .base import TEXT_LIMIT, Builder, Entry, InvalidAnswer, QuestionType, register
from .outcome import ANSWER_FEEDBACK, CREDIT, FEEDBACK_FIELDS, build_outcome, check_credited, outcome_feedback

CREDITED_NUMBER = {
    "answer": Rule("a number", number(), required=True),
    "tolerance": Rule("how far an answer may be from it, 0 or more", number(low=0), default=0.0),
    "credit": CREDIT,
    "feedback": ANSWER_FEEDBACK,
}
CREDITED_TEXT = {"text": Rule("an answer", text, required=True), "credit": CREDIT, "feedback": ANSWER_FEEDBACK}
CREDITED_HELP = "other answers, each with its credit (0 to 100) and feedback"

NUMBER_LIMIT = 50
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009_']+")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$")
_AMBIGUOUS_COMMA = re.compile(r"^[+-]?\d{1,3},\d{3}$")
_WHITESPACE = re.compile(r"\s+")


def format_number(value: float) -> str:
    """A number as a person writes it: 12500, 12.5, 0.001 (no trailing .0, no float noise)."""
    return format(value, ".15g")


def parse_number(text: str, question_id: str | None = None) -> float:
    """Read a typed number: spaces and apostrophes as thousands separators are ignored, and one comma may stand
    for the decimal point ("12,5"). Raises InvalidAnswer for anything else, for "12,500" (12500 or 12.5?) and
    for a number that is not finite."""
    compact = _SPACES.sub("", text.strip())
    if len(compact) > NUMBER_LIMIT:
        raise InvalidAnswer(question_id, _l("This number is too long."))
    if "," in compact:
        if "." in compact or compact.count(",") > 1:
            raise InvalidAnswer(question_id, _l("Write the number without thousands separators, e.g. 12500 or 12.5."))
        if _AMBIGUOUS_COMMA.match(compact):
            raise InvalidAnswer(
                question_id,
                _l("“%(text)s” could mean two numbers: write it without the comma or with a decimal point.", text=text),
            )
        compact = compact.replace(",", ".")
    if not _NUMBER.match(compact):
        raise InvalidAnswer(question_id, _l("Enter a number, using digits and at most one decimal point (e.g. 12.5)."))
    value = float(compact)
    if not math.isfinite(value):
        raise InvalidAnswer(question_id, _l("Enter a number, using digits and at most one decimal point (e.g. 12.5)."))
    return value


def normalise_text(text: str) -> str:
    """The form in which short-text answers are compared: Unicode-normalised (NFKC), case-folded, runs of spaces
    collapsed, and punctuation and spaces around the answer removed. Accents are kept: "resume" is not "résumé"."""
    folded = _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold())
    start, end = 0, len(folded)
    while start < end and (folded[start] == " " or unicodedata.category(folded[start]).startswith("P")):
        start += 1
    while end > start and (folded[end - 1] == " " or unicodedata.category(folded[end - 1]).startswith("P")):
        end -= 1
    return folded[start:end]


@register
class Numeric(QuestionType):
    """A number; full credit when it is within `tolerance` of the answer (both ends included)."""

    name = "numeric"
    label = "numeric"
    gift = "{#3.5:0.5} or {#1..5}"
    fields = {
        "answer": Rule("the correct number", number(), required=True),
        "tolerance": Rule("how far an answer may be from the correct number, 0 or more", number(low=0), default=0.0),
        "unit": Rule('the unit shown after the input, such as "kg"', optional(text)),
        "credited": Rule(CREDITED_HELP + ": answer, tolerance, credit, feedback"),
        **FEEDBACK_FIELDS,
    }

    def check(self, doc: Doc, keypath: KeyPath, raw: dict, values: dict, where: str) -> None:
        check_credited(doc, keypath, raw, values, where, CREDITED_NUMBER)

    def build(self, values: dict[str, Any], builder: Builder) -> dict[str, Any]:
        return {
            "answer": values.get("answer"),
            "tolerance": float(values.get("tolerance") or 0.0),
            "unit": values.get("unit"),
            "data": build_outcome(values, builder, keep=("answer", "tolerance")),
        }

    @staticmethod
    def _within(response: Any, answer: Any, tolerance: float) -> bool:
        # A tiny allowance so that 0.1 + 0.2 style float noise never turns a right answer wrong.
        return abs(float(response) - float(answer)) <= float(tolerance) + 1e-9

    def _credited(self, question: Question, response: Any) -> dict[str, Any] | None:
        """The credited answer with the most credit that `response` falls within, if any."""
        hits = [entry for entry in question.data.get("credited", ()) if self._within(response, *_number(entry))]
        return max(hits, key=lambda entry: entry["credit"], default=None)

    def key_response(self, question: Question) -> Any:
        return question.answer

    def parse(self, entry: Entry, form: MultiDict, saved: Any = None) -> float | None:
        values = [value for value in form.getlist(f"a-{entry['id']}") if value.strip()]
        if len(values) > 1:
            raise InvalidAnswer(entry["id"], _l("Enter one number only."))
        return parse_number(values[0], entry["id"]) if values else None

    def score(self, question: Question, response: Any) -> float:
        """Full credit within the tolerance of the answer, else the best credited answer's share, else 0."""
        if response is None or question.answer is None:
            return 0.0
        if self._within(response, question.answer, question.tolerance):
            return 1.0
        best = self._credited(question, response)
        return best["credit"] if best else 0.0

    def feedback(self, question: Question, response: Any) -> list[Markup]:
        if response is None or question.answer is None:
            return []
        if self._within(response, question.answer, question.tolerance):
            return outcome_feedback(question, full_credit=True)
        return outcome_feedback(question, full_credit=False, matched=self._credited(question, response))

    def widget(self, question: Question, entry: Entry, response: Any) -> dict[str, Any]:
        return {"value": "" if response is None else format_number(float(response)), "unit": question.unit or ""}

    def answer_lines(self, question: Question, response: Any) -> list[Markup]:
        return [escape(" ".join(filter(None, [format_number(float(response)), question.unit])))]

    def key_lines(self, question: Question) -> list[Markup]:
        shown = " ".join(filter(None, [format_number(float(question.answer or 0)), question.unit]))
        if question.tolerance:
            shown = _("%(answer)s (± %(tolerance)s)", answer=shown, tolerance=format_number(question.tolerance))
        lines = [escape(shown)]
        for entry in question.data.get("credited", ()):
            if entry["credit"] > 0:
                value = (
                    _(
                        "%(answer)s (± %(tolerance)s)",
                        answer=format_number(entry["answer"]),
                        tolerance=format_number(entry["tolerance"]),
                    )
                    if entry["tolerance"]
                    else format_number(entry["answer"])
                )
                lines.append(escape(_share(value, entry["credit"])))
        return lines

    def tally(self, response: Any) -> list[str]:
        return [format_number(float(response))]


@register
class ShortText(QuestionType):
    """A few words; full credit when the answer matches an accepted answer after normalise_text()."""

    name = "short_text"
    label = "short-text"
    gift = "{=answer =other answer}"
    fields = {
        "accept": Rule("a list of accepted answers", listing(text, 1, unique=True), required=True),
        "credited": Rule(CREDITED_HELP + ": text, credit, feedback"),
        **FEEDBACK_FIELDS,
    }
    translated_answers = ("accept",)  # "prior informed consent" is also right as "consentement préalable..."

    def check(self, doc: Doc, keypath: KeyPath, raw: dict, values: dict, where: str) -> None:
        check_credited(doc, keypath, raw, values, where, CREDITED_TEXT)

    def build(self, values: dict[str, Any], builder: Builder) -> dict[str, Any]:
        return {
            "accept": tuple(values.get("accept") or ()),
            "data": build_outcome(values, builder, keep=("text",)),
        }

    def _credited(self, question: Question, response: Any) -> dict[str, Any] | None:
        """The credited answer with the most credit that `response` matches, if any."""
        given = normalise_text(response)
        hits = [entry for entry in question.data.get("credited", ()) if normalise_text(entry["text"]) == given]
        return max(hits, key=lambda entry: entry["credit"], default=None)

    def key_response(self, question: Question) -> Any:
        return question.accept[0] if question.accept else None

    def parse(self, entry: Entry, form: MultiDict, saved: Any = None) -> str | None:
        values = [value for value in form.getlist(f"a-{entry['id']}") if value.strip()]
        if len(values) > 1:
            raise InvalidAnswer(entry["id"], _l("Enter one answer only."))
        if not values:
            return None
        text = "".join(char for char in values[0] if unicodedata.category(char) != "Cc" or char in " \t").strip()
        if len(text) > TEXT_LIMIT:
            raise InvalidAnswer(entry["id"], _l("Keep the answer under %(n)d characters.", n=TEXT_LIMIT))
        return text or None

    def _accepted(self, question: Question, response: Any) -> bool:
        return normalise_text(response) in {normalise_text(text) for text in question.accept}

    def score(self, question: Question, response: Any) -> float:
        """Full credit for an accepted answer, else the best credited answer's share, else 0."""
        if not response:
            return 0.0
        if self._accepted(question, response):
            return 1.0
        best = self._credited(question, response)
        return best["credit"] if best else 0.0

    def feedback(self, question: Question, response: Any) -> list[Markup]:
        if not response:
            return []
        if self._accepted(question, response):
            return outcome_feedback(question, full_credit=True)
        return outcome_feedback(question, full_credit=False, matched=self._credited(question, response))

    def widget(self, question: Question, entry: Entry, response: Any) -> dict[str, Any]:
        return {"value": response or ""}

    def key_lines(self, question: Question) -> list[Markup]:
        lines = [escape(text) for text in question.accept]
        credited = question.data.get("credited", ())
        return lines + [escape(_share(entry["text"], entry["credit"])) for entry in credited if entry["credit"] > 0]

    def tally(self, response: Any) -> list[str]:
        return [normalise_text(response)]


def _number(entry: Mapping[str, Any]) -> tuple[float, float]:
    return entry["answer"], entry["tolerance"]


def _share(answer: str, credit: float) -> str:
    """An answer that earns part of the credit, as the review shows it: "1822 (± 2): 50% of the credit"."""
    if credit >= 1:
        return answer
    return _("%(answer)s: %(share)s%% of the credit", answer=answer, share=format_number(round(credit * 100, 2)))
