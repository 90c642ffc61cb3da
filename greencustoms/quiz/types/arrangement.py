"""Questions with several parts: matching (pairs) and ordering (a sequence), each with credit per part."""

from __future__ import annotations

import random
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from greencustoms.content.quizbank import Question
from greencustoms.content.schema import Rule, check_fields, listing, text
from greencustoms.content.yamlsource import Doc, KeyPath

from .base import (
    UNKNOWN_OPTION,
    Builder,
    Entry,
    InvalidAnswer,
    QuestionType,
    Tokens,
    field_name,
    one_value,
    register,
    token_map,
)

PAIRS = Rule("a list of at least 2 pairs, each with left and right", required=True)
PAIR = {
    "left": Rule("the left-hand item", text, required=True),
    "right": Rule("the right-hand item it matches", text, required=True),
}


def _random_order(values: list[str], rng: random.Random) -> list[str]:
    # Always a true shuffle: never avoiding the correct order, or the one order never shown would give it away.
    shuffled = list(values)
    rng.shuffle(shuffled)
    return shuffled


@register
class Matching(QuestionType):
    """Each left item is matched with one right item from a list. Credit = correct pairs / pairs. The right
    items are always shuffled; the left items follow the quiz's shuffle_options."""

    name = "matching"
    label = "matching"
    gift = "{=left -> right =left -> right = -> extra right}"
    fields = {
        "pairs": PAIRS,
        "distractors": Rule("right-hand items that match nothing, offered as wrong choices", listing(text, 1, True)),
    }

    def check(self, doc: Doc, keypath: KeyPath, raw: dict, values: dict, where: str) -> None:
        """At least 2 pairs of left/right text; no left or right repeated."""
        pairs = raw.get("pairs")
        path = keypath + ("pairs",)
        values["pairs"] = []
        if pairs is None:
            return
        if not isinstance(pairs, list) or len(pairs) < 2:
            doc.error(path, f'{where}field "pairs" must be {PAIRS.help}')
            return
        checked = [
            check_fields(doc, path + (index,), pair, PAIR, f"{where}pair {index + 1}: ")
            for index, pair in enumerate(pairs)
        ]
        good = [pair for pair in checked if pair and pair["left"] and pair["right"]]
        for side in ("left", "right"):
            names = [pair[side] for pair in good]
            for repeated in sorted({name for name in names if names.count(name) > 1}):
                doc.error(path, f'{where}"{repeated}" appears twice on the {side}; each {side} item must be different')
        values["pairs"] = good
        rights = {pair["right"] for pair in good}
        for extra in values.get("distractors") or ():
            if extra in rights:
                doc.error(keypath + ("distractors",), f'{where}distractor "{extra}" is also a right-hand item')

    def build(self, values: dict[str, Any], builder: Builder) -> dict[str, Any]:
        return {
            "pairs": tuple((pair["left"], pair["right"]) for pair in values.get("pairs") or ()),
            "data": {"distractors": tuple(values.get("distractors") or ())},
        }

    def key_response(self, question: Question) -> Any:
        return dict(question.pairs)

    def present(self, question: Question, token: Tokens, rng: random.Random, shuffle: bool) -> dict[str, Any]:
        lefts = [left for left, _right in question.pairs]
        if shuffle:
            rng.shuffle(lefts)
        extras = list(question.data.get("distractors", ()))
        rights = _random_order([right for _left, right in question.pairs] + extras, rng)
        return {"rows": [[token(), left] for left in lefts], "choices": [[token(), right] for right in rights]}

    def field_names(self, entry: Entry) -> set[str]:
        return {field_name(entry, token) for token, _left in entry["rows"]}

    def parse(self, entry: Entry, form: MultiDict, saved: Any = None) -> dict[str, str] | None:
        choices = token_map(entry["choices"])
        response = {}
        for token, left in entry["rows"]:
            chosen = one_value(entry, form, field_name(entry, token))
            if chosen is None:
                continue
            if chosen not in choices:
                raise InvalidAnswer(entry["id"], UNKNOWN_OPTION)
            response[left] = choices[chosen]
        return response or None

    def score(self, question: Question, response: Any) -> float:
        if not response or not question.pairs:
            return 0.0
        return sum(1 for left, right in question.pairs if response.get(left) == right) / len(question.pairs)

    def widget(self, question: Question, entry: Entry, response: Any) -> dict[str, Any]:
        response = response or {}
        by_text = {right: token for token, right in entry["choices"]}
        rows = [
            {"token": token, "text": left, "selected": by_text.get(response.get(left, ""))}
            for token, left in entry["rows"]
        ]
        return {"rows": rows, "choices": [{"token": token, "text": right} for token, right in entry["choices"]]}

    def is_answered(self, entry: Entry, response: Any) -> bool:
        return bool(response) and len(response) == len(entry["rows"])

    def answer_lines(self, question: Question, response: Any) -> list[Markup]:
        return [escape(f"{left} → {right}") for left, right in (response or {}).items()]

    def key_lines(self, question: Question) -> list[Markup]:
        return [escape(f"{left} → {right}") for left, right in question.pairs]

    def tally(self, response: Any) -> list[str]:
        return [f"{left} → {right}" for left, right in sorted((response or {}).items())]


@register
class Ordering(QuestionType):
    """The learner gives each item its position (1, 2, ...); the items are always shown shuffled. Credit = share
    of items in their correct position. A position used twice simply leaves one of the two items wrong."""

    name = "ordering"
    label = "ordering"
    gift = None  # GIFT has no ordering question
    fields = {
        "items": Rule("the items in their correct order, at least 2", listing(text, 2, unique=True), required=True)
    }

    def build(self, values: dict[str, Any], builder: Builder) -> dict[str, Any]:
        return {"items": tuple(values.get("items") or ())}

    def key_response(self, question: Question) -> Any:
        return {item: index for index, item in enumerate(question.items, start=1)}

    def present(self, question: Question, token: Tokens, rng: random.Random, shuffle: bool) -> dict[str, Any]:
        return {"items": [[token(), item] for item in _random_order(list(question.items), rng)]}

    def field_names(self, entry: Entry) -> set[str]:
        return {field_name(entry, token) for token, _item in entry["items"]}

    def parse(self, entry: Entry, form: MultiDict, saved: Any = None) -> dict[str, int] | None:
        count = len(entry["items"])
        response = {}
        for token, item in entry["items"]:
            position = one_value(entry, form, field_name(entry, token))
            if position is None:
                continue
            if not position.isdigit() or not 1 <= int(position) <= count:
                raise InvalidAnswer(entry["id"], _l("Choose a position from 1 to %(n)d.", n=count))
            response[item] = int(position)
        return response or None

    def score(self, question: Question, response: Any) -> float:
        if not response or not question.items:
            return 0.0
        return sum(1 for index, item in enumerate(question.items) if response.get(item) == index + 1) / len(
            question.items
        )

    def widget(self, question: Question, entry: Entry, response: Any) -> dict[str, Any]:
        response = response or {}
        items = [{"token": token, "text": item, "position": response.get(item)} for token, item in entry["items"]]
        return {"items": items, "positions": list(range(1, len(items) + 1))}

    def is_answered(self, entry: Entry, response: Any) -> bool:
        return bool(response) and len(response) == len(entry["items"])

    def answer_lines(self, question: Question, response: Any) -> list[Markup]:
        ordered = sorted((response or {}).items(), key=lambda pair: (pair[1], pair[0]))
        return [escape(f"{position}. {item}") for item, position in ordered]

    def key_lines(self, question: Question) -> list[Markup]:
        return [escape(f"{index}. {item}") for index, item in enumerate(question.items, start=1)]

    def tally(self, response: Any) -> list[str]:
        ordered = sorted((response or {}).items(), key=lambda pair: (pair[1], pair[0]))
        return [" > ".join(item for item, _position in ordered)]
