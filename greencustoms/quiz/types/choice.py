"""Choice questions: single choice, multiple choice (with partial credit) and true/false."""

from __future__ import annotations

import random
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from greencustoms.content import Question

from .base import UNKNOWN_OPTION, Entry, InvalidAnswer, QuestionType, Tokens, field_name, one_value, register, token_map


def _option_html(question: Question, option_id: str) -> Markup:
    option = next((option for option in question.options if option.id == option_id), None)
    if option is None:
        return escape(_("(an option that has since been removed)"))
    return Markup(option.html)  # noqa: S704 - sanitised when the catalog was built


class _Choice(QuestionType):
    """Options shown with per-attempt tokens; the response is the chosen option id(s)."""

    def present(self, question: Question, token: Tokens, rng: random.Random, shuffle: bool) -> dict[str, Any]:
        ids = [option.id for option in question.options]
        if shuffle:
            rng.shuffle(ids)
        return {"options": [[token(), option_id] for option_id in ids]}

    def _chosen(self, response: Any) -> set[str]:
        return {response} if isinstance(response, str) else set(response or ())

    def widget(self, question: Question, entry: Entry, response: Any) -> dict[str, Any]:
        chosen = self._chosen(response)
        known = {option.id: option for option in question.options}
        choices = [
            {"token": token, "html": Markup(known[option_id].html), "checked": option_id in chosen}  # noqa: S704
            for token, option_id in entry["options"]
            if option_id in known
        ]
        return {"choices": choices}

    def answer_lines(self, question: Question, response: Any) -> list[Markup]:
        return [_option_html(question, option_id) for option_id in sorted(self._chosen(response))]

    def key_lines(self, question: Question) -> list[Markup]:
        return [Markup(option.html) for option in question.options if option.correct]  # noqa: S704

    def feedback(self, question: Question, response: Any) -> list[Markup]:
        chosen = self._chosen(response)
        return [
            Markup(option.feedback_html)  # noqa: S704
            for option in question.options
            if option.id in chosen and option.feedback_html
        ]

    def tally(self, response: Any) -> list[str]:
        return sorted(self._chosen(response))


@register
class SingleChoice(_Choice):
    """One option is correct: full credit for choosing it, none otherwise."""

    name = "single"

    def parse(self, entry: Entry, form: MultiDict) -> str | None:
        token = one_value(entry, form)
        if token is None:
            return None
        options = token_map(entry["options"])
        if token not in options:
            raise InvalidAnswer(entry["id"], UNKNOWN_OPTION)
        return options[token]

    def score(self, question: Question, response: Any) -> float:
        return 1.0 if any(option.correct and option.id == response for option in question.options) else 0.0


@register
class MultipleChoice(_Choice):
    """Several options may be correct. Credit = (correct options chosen - wrong options chosen) / correct
    options, never below 0: choosing every option earns nothing more than guessing."""

    name = "multiple"

    def parse(self, entry: Entry, form: MultiDict) -> list[str] | None:
        options = token_map(entry["options"])
        tokens = {value.strip() for value in form.getlist(field_name(entry)) if value.strip()}
        if any(token not in options for token in tokens):
            raise InvalidAnswer(entry["id"], UNKNOWN_OPTION)
        return sorted(options[token] for token in tokens) or None

    def score(self, question: Question, response: Any) -> float:
        chosen = self._chosen(response)
        correct = {option.id for option in question.options if option.correct}
        wrong = {option.id for option in question.options if not option.correct}
        if not correct:
            return 0.0
        return max(0.0, (len(chosen & correct) - len(chosen & wrong)) / len(correct))

    def is_answered(self, entry: Entry, response: Any) -> bool:
        return bool(response)


@register
class TrueFalse(QuestionType):
    """A statement the learner marks true or false; the two choices also travel as opaque tokens."""

    name = "true_false"

    def present(self, question: Question, token: Tokens, rng: random.Random, shuffle: bool) -> dict[str, Any]:
        return {"options": [[token(), "true"], [token(), "false"]]}  # always in the order True, False

    def parse(self, entry: Entry, form: MultiDict) -> bool | None:
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

    def tally(self, response: Any) -> list[str]:
        return ["true" if response else "false"]
