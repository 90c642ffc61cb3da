"""The question-type contract and the registry that maps a type name to its class.

A question type is ONE module in this package (plus its widget template, templates/quiz/types/<name>.html).
It owns, in one class: its YAML fields and their checks (`fields`, `check`), what the catalog keeps of it
(`build`), how it is drawn and presented (`present`), how an answer is parsed and graded (`parse`, `score`),
its widget (`widget` + the template's `widget` macro), its review lines (`answer_lines`, `key_lines`,
`feedback`), its item-analysis tally (`tally`, `analysis`) and its GIFT mapping (`gift`). Registering it with
@register is the only other step; tests/quiz/test_type_contract.py proves every registered type has each part.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Protocol

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from greencustoms.content.quizbank import Question
from greencustoms.content.schema import Rule
from greencustoms.content.yamlsource import Doc, KeyPath

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


class Builder(Protocol):
    """What `QuestionType.build` may use while the catalog is built (content/quizload.py provides it)."""

    def render(self, keypath: KeyPath, text: str | None, inline: bool = False) -> str:
        """Markdown at `keypath` (relative to the question) as sanitised HTML; problems reported at its line."""

    def image(self, keypath: KeyPath, src: str, alt: str) -> str:
        """The URL of an image shipped in quizzes/img/; "" (and a file:line problem) when it is missing."""


class QuestionType:
    """Base class: the behaviour every question type provides. Responses are stored in content terms
    (option ids, texts, numbers), never as tokens, so that they outlive the attempt's page."""

    name: ClassVar[str]
    label: ClassVar[str]  # in author messages: 'does not apply to a <label> question'
    fields: ClassVar[Mapping[str, Rule]]  # the YAML fields of this type (besides id, type, prompt, ...)
    gift: ClassVar[str | None] = None  # the GIFT syntax `flask content import-gift` maps to this type, if any
    template: ClassVar[str] = ""  # the widget template; "" means templates/quiz/types/<name>.html
    autosave: ClassVar[bool] = True  # False: the answer is only sent with the page (a scenario step)
    # Answer lists a translation may extend with answers in its language (accepted besides the source's, never
    # instead: content/quizmerge.py); every other answer field comes from the source only.
    translated_answers: ClassVar[tuple[str, ...]] = ()

    @property
    def template_name(self) -> str:
        return self.template or f"quiz/types/{self.name}.html"

    # --- content: YAML fields, checks, catalog data -----------------------------------------------------------
    def check(self, doc: Doc, keypath: KeyPath, raw: dict, values: dict, where: str) -> None:
        """Checks beyond each field's rule (the answer key above all), reported with doc.error at the line."""

    def build(self, values: dict[str, Any], builder: Builder) -> dict[str, Any]:
        """What the catalog keeps: keyword arguments of Question (most types fill `data`)."""
        return {}

    def key_response(self, question: Question) -> Any:
        """A response that earns full credit; the loader refuses a question whose key does not score 1."""
        raise NotImplementedError

    # --- an attempt: drawing, presenting, parsing, grading ----------------------------------------------------
    def present(self, question: Question, token: Tokens, rng: random.Random, shuffle: bool) -> dict[str, Any]:
        """The type-specific part of the attempt layout (e.g. option tokens in the order shown)."""
        return {}

    def field_names(self, entry: Entry) -> set[str]:
        """Every form field name this question may submit."""
        return {field_name(entry)}

    def parse(self, entry: Entry, form: MultiDict, saved: Any = None) -> Any:
        """The response read from the form (`saved` is the response stored before), or None when unanswered.
        Raises InvalidAnswer for bad input."""
        raise NotImplementedError

    def score(self, question: Question, response: Any) -> float:
        """The credit for a response, from 0 to 1 (an unanswered question scores 0)."""
        raise NotImplementedError

    def widget(self, question: Question, entry: Entry, response: Any) -> dict[str, Any]:
        """What the template's `widget` macro needs to show the question with the saved response filled in."""
        return {}

    def is_answered(self, entry: Entry, response: Any) -> bool:
        """True when the learner has given a complete answer (every part of it, for matching and ordering)."""
        return response is not None

    def holds_page(self, entry: Entry, response: Any) -> bool:
        """True when saving should show the same page again (a scenario with a next step to play)."""
        return False

    # --- review and analysis ----------------------------------------------------------------------------------
    def answer_lines(self, question: Question, response: Any) -> list[Markup]:
        """The learner's answer as lines of safe HTML for the review page."""
        return [escape(str(response))]

    def key_lines(self, question: Question) -> list[Markup]:
        """The correct answer as lines of safe HTML (only shown when the review policy allows)."""
        raise NotImplementedError

    def feedback(self, question: Question, response: Any) -> list[Markup]:
        """Feedback the author wrote for what the learner chose."""
        return []

    def tally(self, response: Any) -> list[str]:
        """The keys this response adds to an answer distribution (item statistics)."""
        return [str(response)]

    def analysis(self, question: Question, distribution: Mapping[str, int]) -> list[tuple[Markup, int, bool | None]]:
        """The answer rows of the trainer's question analysis: (label, count, correct or None when it is not a
        fixed answer). By default every tallied key, most frequent first."""
        ranked = sorted(distribution.items(), key=lambda pair: (-pair[1], pair[0]))
        return [(escape(key), count, None) for key, count in ranked]


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


def sanitised(html: str) -> Markup:
    """HTML that the catalog sanitised when it was built, marked safe for templates."""
    return Markup(html)  # noqa: S704 - rendered by the content package through its nh3 allow-list


def token_map(pairs: list[list[str]]) -> dict[str, str]:
    """{token: value} from a stored [[token, value], ...] list."""
    return {token: value for token, value in pairs}


def tokens_chosen(entry: Entry, form: MultiDict, pairs: list[list[str]], name: str | None = None) -> set[str]:
    """The values behind every token ticked in a checkbox field. Raises InvalidAnswer for an unknown token."""
    known = token_map(pairs)
    tokens = {value.strip() for value in form.getlist(name or field_name(entry)) if value.strip()}
    if any(token not in known for token in tokens):
        raise InvalidAnswer(entry["id"], UNKNOWN_OPTION)
    return {known[token] for token in tokens}
