"""Choice questions: single choice and multiple choice (with partial credit, or Moodle-style weights)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from greencustoms.content.quizbank import Option, Question
from greencustoms.content.schema import Invalid, Rule, boolean, check_fields, number, optional, slug, text
from greencustoms.content.yamlsource import Doc, KeyPath

from .base import (
    UNKNOWN_OPTION,
    Builder,
    Entry,
    InvalidAnswer,
    QuestionType,
    Tokens,
    one_value,
    register,
    token_map,
    tokens_chosen,
)


def percent(value: Any) -> float:
    """A percentage from -100 to 100."""
    result = number(low=-100)(value)
    if result > 100:
        raise Invalid
    return result


OPTIONS = Rule("a list of at least 2 options, each with id and text", required=True)
OPTION = {
    "id": Rule("a short id such as a, b, c, unique in the question", slug, required=True),
    "text": Rule("the option text (Markdown)", text, required=True),
    "correct": Rule("true or false", boolean, default=False),
    "feedback": Rule("Markdown shown when a learner picks this option", text),
    "weight": Rule("the percentage of the credit this option earns, from -100 to 100", optional(percent)),
}


def _option_html(question: Question, option_id: str) -> Markup:
    option = next((option for option in question.options if option.id == option_id), None)
    if option is None:
        return escape(_("(an option that has since been removed)"))
    return Markup(option.html)  # noqa: S704 - sanitised when the catalog was built


class _Choice(QuestionType):
    """Options shown with per-attempt tokens; the response is the chosen option id(s)."""

    fields = {"options": OPTIONS}
    template = "quiz/types/choice.html"

    def check(self, doc: Doc, keypath: KeyPath, raw: dict, values: dict, where: str) -> None:
        """At least 2 options with unique ids; the number of correct options is the subclass's rule."""
        options = raw.get("options")
        path = keypath + ("options",)
        values["options"] = []
        if options is None:
            return
        if not isinstance(options, list) or len(options) < 2:
            doc.error(path, f'{where}field "options" must be {OPTIONS.help}')
            return
        seen: set[str] = set()
        for index, option in enumerate(options):
            label = (
                f'option "{option["id"]}": ' if isinstance(option, dict) and isinstance(option.get("id"), str) else ""
            )
            result = check_fields(doc, path + (index,), option, OPTION, where + (label or f"option {index + 1}: "))
            if result is None:
                continue
            if result["id"] in seen:
                doc.error(
                    path + (index, "id"), f'{where}option id "{result["id"]}" is used twice; option ids must be unique'
                )
            seen.add(result["id"])
            values["options"].append(result)
        self.check_key(doc, path, sum(1 for option in values["options"] if option["correct"]), where)
        if any(option.get("weight") is not None for option in values["options"]):
            self.check_weights(doc, path, values["options"], where)

    def check_key(self, doc: Doc, path: KeyPath, correct: int, where: str) -> None:
        raise NotImplementedError

    def check_weights(self, doc: Doc, path: KeyPath, options: list[dict[str, Any]], where: str) -> None:
        """The subclass's rule for option weights (partial credit), reported with doc.error."""
        raise NotImplementedError

    def build(self, values: dict[str, Any], builder: Builder) -> dict[str, Any]:
        options = tuple(
            Option(
                id=option["id"],
                html=builder.render(("options", number, "text"), option["text"], inline=True),
                correct=option["correct"],
                feedback_html=builder.render(("options", number, "feedback"), option.get("feedback")),
                weight=option.get("weight"),
            )
            for number, option in enumerate(values.get("options") or ())
        )
        return {"options": options}

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

    def analysis(self, question: Question, distribution: Mapping[str, int]) -> list[tuple[Markup, int, bool | None]]:
        """Every option in bank order, including those nobody chose."""
        return [(Markup(o.html), distribution.get(o.id, 0), o.correct) for o in question.options]  # noqa: S704


@register
class SingleChoice(_Choice):
    """One option is correct: full credit for choosing it, none otherwise."""

    name = "single"
    label = "single-choice"
    gift = "{=right ~wrong ~wrong}"

    def check_key(self, doc: Doc, path: KeyPath, correct: int, where: str) -> None:
        if correct != 1:
            doc.error(
                path, f"{where}a single-choice question needs exactly one option with correct: true (found {correct})"
            )

    def check_weights(self, doc: Doc, path: KeyPath, options: list[dict[str, Any]], where: str) -> None:
        """Weights give partial credit to other options (above 0, up to 100); the correct option earns 100; no
        option may take marks away (that needs a multiple-choice question)."""
        for option in options:
            weight = option.get("weight")
            if option["correct"] and weight not in (None, 100):
                doc.error(path, f'{where}option "{option["id"]}" is the correct one: its weight must be 100')
            elif weight is not None and weight < 0:
                doc.error(
                    path,
                    f'{where}option "{option["id"]}": a single-choice option cannot take marks away (weight '
                    f"{weight:g}); use a multiple-choice question for negative weights",
                )

    def key_response(self, question: Question) -> Any:
        return next((option.id for option in question.options if option.correct), None)

    def parse(self, entry: Entry, form: MultiDict, saved: Any = None) -> str | None:
        token = one_value(entry, form)
        if token is None:
            return None
        options = token_map(entry["options"])
        if token not in options:
            raise InvalidAnswer(entry["id"], UNKNOWN_OPTION)
        return options[token]

    def score(self, question: Question, response: Any) -> float:
        """Full credit for the correct option; an option with a weight earns that share of the credit."""
        chosen = next((option for option in question.options if option.id == response), None)
        if chosen is None:
            return 0.0
        if chosen.correct:
            return 1.0
        return max(0.0, min(1.0, (chosen.weight or 0.0) / 100))

    def key_lines(self, question: Question) -> list[Markup]:
        """The correct option, then every other option that earns full or partial credit, with its share."""
        lines = super().key_lines(question)
        for option in question.options:
            if not option.correct and option.weight and option.weight > 0:
                share = escape(_("(%(weight)s%% of the credit)", weight=f"{option.weight:g}"))
                lines.append(Markup("{} {}").format(Markup(option.html), share))  # noqa: S704
        return lines


@register
class MultipleChoice(_Choice):
    """Several options may be correct. Credit = (correct options chosen - wrong options chosen) / correct
    options, never below 0: choosing every option earns nothing more than guessing.

    With weights (Moodle's percentages), credit is what Moodle gives: the sum of the weights of the chosen
    options, kept between 0 and 100%. The correct options' weights add up to 100."""

    name = "multiple"
    label = "multiple-choice"
    gift = "{~%50%right ~%50%right ~%-100%wrong}"

    def check_key(self, doc: Doc, path: KeyPath, correct: int, where: str) -> None:
        if correct == 0:
            doc.error(path, f"{where}a multiple-choice question needs at least one option with correct: true")

    def check_weights(self, doc: Doc, path: KeyPath, options: list[dict[str, Any]], where: str) -> None:
        """Every correct option has a positive weight, no wrong option has one, and the positive weights add up
        to 100 (as Moodle requires)."""
        for option in options:
            weight = option.get("weight") or 0.0
            if option["correct"] != (weight > 0):
                doc.error(
                    path,
                    f'{where}option "{option["id"]}": with weights, the correct options (and only they) have a '
                    f"weight above 0 (found correct: {str(option['correct']).lower()}, weight {weight:g})",
                )
        total = sum(option.get("weight") or 0.0 for option in options if (option.get("weight") or 0.0) > 0)
        if abs(total - 100) > 0.01:
            doc.error(path, f"{where}the positive weights must add up to 100 (found {total:g})")

    def key_response(self, question: Question) -> Any:
        return sorted(option.id for option in question.options if option.correct)

    def parse(self, entry: Entry, form: MultiDict, saved: Any = None) -> list[str] | None:
        return sorted(tokens_chosen(entry, form, entry["options"])) or None

    def score(self, question: Question, response: Any) -> float:
        chosen = self._chosen(response)
        if any(option.weight is not None for option in question.options):
            total = sum(option.weight or 0.0 for option in question.options if option.id in chosen)
            return max(0.0, min(1.0, total / 100))
        correct = {option.id for option in question.options if option.correct}
        wrong = {option.id for option in question.options if not option.correct}
        if not correct:
            return 0.0
        return max(0.0, (len(chosen & correct) - len(chosen & wrong)) / len(correct))

    def is_answered(self, entry: Entry, response: Any) -> bool:
        return bool(response)
