"""Question types: the fields each type takes and the rules its answer key must follow."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from typing import Any

from .schema import (
    DIFFICULTIES,
    LEVELS,
    MEAS,
    Rule,
    boolean,
    check_fields,
    choice,
    listing,
    number,
    optional,
    slug,
    text,
)
from .yamlsource import Doc, KeyPath

COMMON = {
    "id": Rule("a stable slug such as basel-pic-01, unique in the quiz", slug, required=True),
    "type": Rule("the question type", required=True),
    "prompt": Rule("the question in Markdown", text, required=True),
    "explanation": Rule("Markdown explaining the right answer", text, required=True),
    "reference": Rule('the source, such as "Basel Convention, Art. 4(7)(c)"', text, required=True),
    "tags": Rule(
        "tags mea, topic and difficulty",
        required=True,
        fields={
            "mea": Rule(f"one of {', '.join(MEAS)}", choice(*MEAS), required=True),
            "topic": Rule("a short topic word, such as documents", text, required=True),
            "difficulty": Rule(f"one of {', '.join(DIFFICULTIES)}", choice(*DIFFICULTIES), required=True),
            "level": Rule(
                "recall (asks what a rule says) or apply (asks the learner to apply it to a case)",
                optional(choice(*LEVELS)),
            ),
        },
    ),
}

_OPTIONS = Rule("a list of at least 2 options, each with id and text", required=True)
TYPE_FIELDS: Mapping[str, Mapping[str, Rule]] = {
    "single": {"options": _OPTIONS},
    "multiple": {"options": _OPTIONS},
    "true_false": {"answer": Rule("true or false", boolean, required=True)},
    "numeric": {
        "answer": Rule("the correct number", number(), required=True),
        "tolerance": Rule("how far an answer may be from the correct number, 0 or more", number(low=0), default=0.0),
        "unit": Rule('the unit shown after the input, such as "kg"', optional(text)),
    },
    "short_text": {"accept": Rule("a list of accepted answers", listing(text, 1, unique=True), required=True)},
    "matching": {"pairs": Rule("a list of at least 2 pairs, each with left and right", required=True)},
    "ordering": {
        "items": Rule("the items in their correct order, at least 2", listing(text, 2, unique=True), required=True)
    },
}
TYPE_NAMES = {
    "single": "single-choice",
    "multiple": "multiple-choice",
    "true_false": "true/false",
    "numeric": "numeric",
    "short_text": "short-text",
    "matching": "matching",
    "ordering": "ordering",
}
OPTION = {
    "id": Rule("a short id such as a, b, c, unique in the question", slug, required=True),
    "text": Rule("the option text (Markdown)", text, required=True),
    "correct": Rule("true or false", boolean, default=False),
    "feedback": Rule("Markdown shown when a learner picks this option", text),
}
PAIR = {
    "left": Rule("the left-hand item", text, required=True),
    "right": Rule("the right-hand item it matches", text, required=True),
}


def check_question(doc: Doc, keypath: KeyPath, raw: Any, position: int) -> dict[str, Any] | None:
    """Check one question of a bank: common fields, its type's fields, and its answer key.

    Returns the normalised fields (options and pairs as lists of dicts), or None when the question
    cannot be used at all (not a mapping, or an unknown type).
    """
    where = f"question {position}: "
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        where = f'question "{raw["id"]}": '
    if not isinstance(raw, dict):
        check_fields(doc, keypath, raw, COMMON, where)
        return None
    kind = raw.get("type")
    if kind not in TYPE_FIELDS:
        if "type" not in raw:
            doc.error(keypath, f'{where}field "type" is required: one of {", ".join(TYPE_FIELDS)}')
        else:
            close = difflib.get_close_matches(str(kind), list(TYPE_FIELDS), n=1, cutoff=0.6)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            doc.error(
                keypath + ("type",), f'{where}unknown question type "{kind}"{hint}; use one of {", ".join(TYPE_FIELDS)}'
            )
        return None
    own = TYPE_FIELDS[kind]
    others = {name for fields in TYPE_FIELDS.values() for name in fields} - set(own)
    for name in raw:
        if name in others:
            doc.error(keypath + (name,), f'{where}field "{name}" does not apply to a {TYPE_NAMES[kind]} question')
    values = check_fields(doc, keypath, {k: v for k, v in raw.items() if k not in others}, {**COMMON, **own}, where)
    if values is None:
        return None
    extra = _TYPE_CHECKS.get(kind)
    if extra is not None and _key(own) in raw:
        extra(doc, keypath, raw, values, where)
    return values


def _key(fields: Mapping[str, Rule]) -> str:
    return next(iter(fields))


def _check_options(doc: Doc, keypath: KeyPath, raw: dict, values: dict, where: str) -> None:
    """single: exactly one correct option; multiple: at least one; option ids unique; at least 2 options."""
    options = raw["options"]
    path = keypath + ("options",)
    if not isinstance(options, list) or len(options) < 2:
        doc.error(path, f'{where}field "options" must be {_OPTIONS.help}')
        values["options"] = []
        return
    checked: list[dict] = []
    seen: set[str] = set()
    for index, option in enumerate(options):
        label = f'option "{option["id"]}": ' if isinstance(option, dict) and isinstance(option.get("id"), str) else ""
        label = label or f"option {index + 1}: "
        result = check_fields(doc, path + (index,), option, OPTION, where + label)
        if result is None:
            continue
        if result["id"] in seen:
            doc.error(
                path + (index, "id"), f'{where}option id "{result["id"]}" is used twice; option ids must be unique'
            )
        seen.add(result["id"])
        checked.append(result)
    values["options"] = checked
    correct = sum(1 for option in checked if option["correct"])
    if raw["type"] == "single" and correct != 1:
        doc.error(
            path, f"{where}a single-choice question needs exactly one option with correct: true (found {correct})"
        )
    if raw["type"] == "multiple" and correct == 0:
        doc.error(path, f"{where}a multiple-choice question needs at least one option with correct: true")


def _check_pairs(doc: Doc, keypath: KeyPath, raw: dict, values: dict, where: str) -> None:
    """matching: at least 2 pairs of left/right text; no left or right repeated."""
    pairs = raw["pairs"]
    path = keypath + ("pairs",)
    if not isinstance(pairs, list) or len(pairs) < 2:
        doc.error(path, f'{where}field "pairs" must be {TYPE_FIELDS["matching"]["pairs"].help}')
        values["pairs"] = []
        return
    checked = [
        check_fields(doc, path + (index,), pair, PAIR, f"{where}pair {index + 1}: ") for index, pair in enumerate(pairs)
    ]
    good = [pair for pair in checked if pair and pair["left"] and pair["right"]]
    for side in ("left", "right"):
        names = [pair[side] for pair in good]
        for repeated in sorted({name for name in names if names.count(name) > 1}):
            doc.error(path, f'{where}"{repeated}" appears twice on the {side}; each {side} item must be different')
    values["pairs"] = good


_TYPE_CHECKS: Mapping[str, Callable[[Doc, KeyPath, dict, dict, str], None]] = {
    "single": _check_options,
    "multiple": _check_options,
    "matching": _check_pairs,
}
