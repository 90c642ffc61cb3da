"""The question-type contract and the registry that maps a type name to its class.

A type knows how to present a question for one attempt (opaque option tokens), read a submitted response,
score it in [0, 1], and describe answers for the review page. Adding a type is one new class decorated with
@register, plus a macro of the same name in templates/quiz/_questions.html.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from greencustoms.content import Question

TEXT_LIMIT = 500  # characters accepted in a text answer
Entry = Mapping[str, Any]  # one question of an attempt's stored layout
Tokens = Callable[[], str]  # returns a new opaque token, unique within the attempt


class InvalidAnswer(ValueError):
    """A submitted response that cannot be accepted (tampered token, not a number, too long): a 400.

    `question_id` names the question it concerns (None for a field no question owns); `message` is for the user.
    """

    def __init__(self, question_id: str | None, message: Any):
        super().__init__(str(question_id))
        self.question_id = question_id
        self.message = message


UNKNOWN_OPTION = _l("An answer option was not recognised. Reload the page and answer again.")


class QuestionType:
    """Base class: the behaviour every question type provides. Responses are stored in content terms
    (option ids, texts, numbers), never as tokens, so that they outlive the attempt's page."""

    name: ClassVar[str]

    def present(self, question: Question, token: Tokens, rng: random.Random, shuffle: bool) -> dict[str, Any]:
        """The type-specific part of the attempt layout (e.g. option tokens in the order shown)."""
        return {}

    def field_names(self, entry: Entry) -> set[str]:
        """Every form field name this question may submit."""
        return {field_name(entry)}

    def parse(self, entry: Entry, form: MultiDict) -> Any:
        """The response read from the form, or None when unanswered. Raises InvalidAnswer for bad input."""
        raise NotImplementedError

    def score(self, question: Question, response: Any) -> float:
        """The credit for a response, from 0 to 1 (an unanswered question scores 0)."""
        raise NotImplementedError

    def widget(self, question: Question, entry: Entry, response: Any) -> dict[str, Any]:
        """What the input macro needs to show the question with the saved response filled in."""
        return {}

    def is_answered(self, entry: Entry, response: Any) -> bool:
        """True when the learner has given a complete answer (every part of it, for matching and ordering)."""
        return response is not None

    def answer_lines(self, question: Question, response: Any) -> list[Markup]:
        """The learner's answer as lines of safe HTML for the review page."""
        return [escape(str(response))]

    def key_lines(self, question: Question) -> list[Markup]:
        """The correct answer as lines of safe HTML (only shown when the review policy allows)."""
        raise NotImplementedError

    def feedback(self, question: Question, response: Any) -> list[Markup]:
        """Feedback the author wrote for what the learner chose (choice questions only)."""
        return []

    def tally(self, response: Any) -> list[str]:
        """The keys this response adds to an answer distribution (item statistics)."""
        return [str(response)]


REGISTRY: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    """Class decorator: make `cls` the handler of questions whose type is `cls.name`."""
    REGISTRY[cls.name] = cls()
    return cls


def get_type(name: str) -> QuestionType:
    """The handler of a question type. Raises KeyError for a type nobody registered."""
    return REGISTRY[name]


def field_name(entry: Entry, suffix: str = "") -> str:
    """The form field name of a question (or of one part of it, such as a matching row)."""
    return f"a-{entry['id']}" + (f"-{suffix}" if suffix else "")


def one_value(entry: Entry, form: MultiDict, name: str | None = None) -> str | None:
    """The single value of a field, stripped; None when absent or empty. Raises InvalidAnswer when repeated."""
    values = [value for value in form.getlist(name or field_name(entry)) if value.strip()]
    if len(values) > 1:
        raise InvalidAnswer(entry["id"], _l("Choose only one answer for this question."))
    return values[0].strip() if values else None


def token_map(pairs: list[list[str]]) -> dict[str, str]:
    """{token: value} from a stored [[token, value], ...] list."""
    return {token: value for token, value in pairs}
