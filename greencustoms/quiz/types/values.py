"""Typed-in answers: numeric (with a tolerance) and short text (accepted answers, forgiving comparison)."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from greencustoms.content.catalog import Question
from greencustoms.content.schema import Rule, listing, number, optional, text

from .base import TEXT_LIMIT, Builder, Entry, InvalidAnswer, QuestionType, register

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
    }

    def build(self, values: dict[str, Any], builder: Builder) -> dict[str, Any]:
        return {
            "answer": values.get("answer"),
            "tolerance": float(values.get("tolerance") or 0.0),
            "unit": values.get("unit"),
        }

    def key_response(self, question: Question) -> Any:
        return question.answer

    def parse(self, entry: Entry, form: MultiDict, saved: Any = None) -> float | None:
        values = [value for value in form.getlist(f"a-{entry['id']}") if value.strip()]
        if len(values) > 1:
            raise InvalidAnswer(entry["id"], _l("Enter one number only."))
        return parse_number(values[0], entry["id"]) if values else None

    def score(self, question: Question, response: Any) -> float:
        if response is None or question.answer is None:
            return 0.0
        # A tiny allowance so that 0.1 + 0.2 style float noise never turns a right answer wrong.
        return 1.0 if abs(float(response) - float(question.answer)) <= question.tolerance + 1e-9 else 0.0

    def widget(self, question: Question, entry: Entry, response: Any) -> dict[str, Any]:
        return {"value": "" if response is None else format_number(float(response)), "unit": question.unit or ""}

    def answer_lines(self, question: Question, response: Any) -> list[Markup]:
        return [escape(" ".join(filter(None, [format_number(float(response)), question.unit])))]

    def key_lines(self, question: Question) -> list[Markup]:
        shown = " ".join(filter(None, [format_number(float(question.answer or 0)), question.unit]))
        if question.tolerance:
            shown = _("%(answer)s (± %(tolerance)s)", answer=shown, tolerance=format_number(question.tolerance))
        return [escape(shown)]

    def tally(self, response: Any) -> list[str]:
        return [format_number(float(response))]


@register
class ShortText(QuestionType):
    """A few words; full credit when the answer matches an accepted answer after normalise_text()."""

    name = "short_text"
    label = "short-text"
    gift = "{=answer =other answer}"
    fields = {"accept": Rule("a list of accepted answers", listing(text, 1, unique=True), required=True)}
    translated_answers = ("accept",)  # "prior informed consent" is also right as "consentement préalable..."

    def build(self, values: dict[str, Any], builder: Builder) -> dict[str, Any]:
        return {"accept": tuple(values.get("accept") or ())}

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

    def score(self, question: Question, response: Any) -> float:
        if not response:
            return 0.0
        return 1.0 if normalise_text(response) in {normalise_text(text) for text in question.accept} else 0.0

    def widget(self, question: Question, entry: Entry, response: Any) -> dict[str, Any]:
        return {"value": response or ""}

    def key_lines(self, question: Question) -> list[Markup]:
        return [escape(text) for text in question.accept]

    def tally(self, response: Any) -> list[str]:
        return [normalise_text(response)]
