"""True/false questions: a statement marked true or false, with feedback for a right and for a wrong answer."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from greencustoms.content.quizbank import Question
from greencustoms.content.schema import Rule, boolean

from .base import UNKNOWN_OPTION, Builder, Entry, InvalidAnswer, QuestionType, Tokens, one_value, register, token_map
from .outcome import FEEDBACK_FIELDS, build_outcome, outcome_feedback


@register
class TrueFalse(QuestionType):
    """A statement the learner marks true or false; the two choices also travel as opaque tokens."""

    name = "true_false"
    label = "true/false"
    fields = {"answer": Rule("true or false", boolean, required=True), **FEEDBACK_FIELDS}
    gift = "{T} or {F}, feedback as {F#if wrong#if right}"
    template = "quiz/types/choice.html"

    def build(self, values: dict[str, Any], builder: Builder) -> dict[str, Any]:
        return {"answer": values.get("answer"), "data": build_outcome(values, builder, keep=())}

    def key_response(self, question: Question) -> Any:
        return question.answer

    def present(self, question: Question, token: Tokens, rng: random.Random, shuffle: bool) -> dict[str, Any]:
        return {"options": [[token(), "true"], [token(), "false"]]}  # always in the order True, False

    def parse(self, entry: Entry, form: MultiDict, saved: Any = None) -> bool | None:
        token = one_value(entry, form)
        if token is None:
            return None
        options = token_map(entry["options"])
        if token not in options:
            raise InvalidAnswer(entry["id"], UNKNOWN_OPTION)
        return options[token] == "true"

    def score(self, question: Question, response: Any) -> float:
        return 1.0 if response is not None and response == question.answer else 0.0

    def widget(self, question: Question, entry: Entry, response: Any) -> dict[str, Any]:
        labels = {"true": _("True"), "false": _("False")}
        choices = [
            {"token": token, "html": labels[value], "checked": response is not None and (value == "true") == response}
            for token, value in entry["options"]
        ]
        return {"choices": choices}

    def answer_lines(self, question: Question, response: Any) -> list[Markup]:
        return [escape(_("True") if response else _("False"))]

    def key_lines(self, question: Question) -> list[Markup]:
        return [escape(_("True") if question.answer else _("False"))]

    def feedback(self, question: Question, response: Any) -> list[Markup]:
        if response is None:
            return []
        return outcome_feedback(question, full_credit=self.score(question, response) == 1.0)

    def tally(self, response: Any) -> list[str]:
        return ["true" if response else "false"]

    def analysis(self, question: Question, distribution: Mapping[str, int]) -> list[tuple[Markup, int, bool | None]]:
        """Both answers, true first."""
        labels = {"true": _("True"), "false": _("False")}
        return [
            (escape(labels[value]), distribution.get(value, 0), (value == "true") == bool(question.answer))
            for value in ("true", "false")
        ]
