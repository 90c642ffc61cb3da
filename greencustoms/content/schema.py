"""Field rules for each kind of content file, and the checker that turns rule breaks into author messages."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .yamlsource import Doc, KeyPath

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 64
MEAS = ("general", "montreal", "basel", "rotterdam", "stockholm", "cites", "cartagena", "cwc", "minamata")
GLOSSARY_MEAS = (*MEAS, "other")
DIFFICULTIES = ("easy", "medium", "hard")
LEVELS = ("recall", "apply")  # what a question asks of the learner: to remember a rule, or to use it on a case
REVIEW_SHOW = ("score", "wrong", "explanations")
SOURCE_LANGUAGE = "en"  # the language content is written in; translations sit beside it
REVIEW_WHEN = ("immediately", "passed", "last_attempt", "passed_or_last_attempt")


class Invalid(Exception):
    """A value breaks its rule; the message (if any) replaces the generic "must be ..." wording."""


class BadItem(Invalid):
    """One item of a list breaks the item rule; reported after the list's own help text."""


@dataclass(frozen=True)
class Rule:
    """How one field is checked: `help` describes a good value in an author's words."""

    help: str
    check: Callable[[Any], Any] | None = None
    required: bool = False
    default: Any = None
    fields: Mapping[str, Rule] | None = None  # a nested set of fields, e.g. `review:`


def is_slug(value: object) -> bool:
    """True for lowercase words of letters and digits joined by single dashes, at most 64 characters."""
    return isinstance(value, str) and len(value) <= SLUG_MAX and bool(SLUG_RE.match(value))


def _show(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 40 else text[:37] + "..."


def text(value: Any) -> str:
    """Non-empty text on one or more lines."""
    if not isinstance(value, str) or not value.strip():
        raise Invalid
    return value.strip()


def slug(value: Any) -> str:
    """A slug: lowercase letters, digits and single dashes."""
    if not is_slug(value):
        raise Invalid
    return value


def boolean(value: Any) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise Invalid
    return value


def integer(low: int | None = None, high: int | None = None) -> Callable[[Any], int]:
    """A whole number within [low, high] (either bound may be open)."""

    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid
        if (low is not None and value < low) or (high is not None and value > high):
            raise Invalid
        return value

    return check


def number(low: float | None = None, above: float | None = None) -> Callable[[Any], float]:
    """A number, at least `low` or strictly above `above`."""

    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Invalid
        if (low is not None and value < low) or (above is not None and value <= above):
            raise Invalid
        return float(value)

    return check


def choice(*allowed: str) -> Callable[[Any], str]:
    """One of the listed words."""

    def check(value: Any) -> str:
        if value not in allowed:
            raise Invalid(f"must be one of {', '.join(allowed)} (found {_show(value)})")
        return value

    return check


def optional(inner: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """null (no value) or a value accepted by `inner`."""
    return lambda value: None if value is None else inner(value)


def listing(item: Callable[[Any], Any], min_items: int = 0, unique: bool = False) -> Callable[[Any], tuple]:
    """A YAML list whose items each pass `item`; at least `min_items`; no repeats if `unique`."""

    def check(value: Any) -> tuple:
        if not isinstance(value, list) or len(value) < min_items:
            raise Invalid
        items = []
        for index, entry in enumerate(value):
            try:
                items.append(item(entry))
            except Invalid as exc:
                raise BadItem(f"item {index + 1} ({_show(entry)}) {str(exc) or 'does not fit'}") from None
        if unique and len(set(items)) != len(items):
            repeated = next(entry for entry in items if items.count(entry) > 1)
            raise Invalid(f'lists "{repeated}" more than once')
        return tuple(items)

    return check


def all_or(inner: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The word "all" or a value accepted by `inner`."""
    return lambda value: "all" if value == "all" else inner(value)


def check_fields(
    doc: Doc, keypath: KeyPath, value: Any, rules: Mapping[str, Rule], where: str = "", label: str = ""
) -> dict[str, Any] | None:
    """Check a mapping against `rules`: required fields, unknown fields (typos), each value's rule.

    Every problem is reported on `doc` at the field's line, prefixed by `where` (e.g. 'question "x": ').
    Returns the normalised values (defaults filled in, bad values left as their default), or None when
    `value` is not a mapping at all.
    """
    if not isinstance(value, dict):
        what = f'field "{label.rstrip(".")}"' if label else "this file"
        doc.error(keypath, f"{where}{what} must be a set of fields written as name: value (found {_show(value)})")
        return None
    result: dict[str, Any] = {}
    for key in value:
        if key not in rules:
            doc.error(keypath + (key,), f"{where}{unknown_field_message(key, rules, label)}")
    for name, rule in rules.items():
        shown = f"{label}{name}"
        if name not in value:
            if rule.required:
                doc.error(keypath, f'{where}field "{shown}" is required: {rule.help}')
            result[name] = defaults(rule)
            continue
        result[name] = defaults(rule)
        if rule.fields is not None:
            if value[name] is not None or rule.required:
                result[name] = check_fields(doc, keypath + (name,), value[name], rule.fields, where, f"{shown}.")
            continue
        try:
            result[name] = rule.check(value[name]) if rule.check else value[name]
        except Invalid as exc:
            if isinstance(exc, BadItem):
                detail = f"must be {rule.help}: {exc}"
            else:
                detail = str(exc) or f"must be {rule.help} (found {_show(value[name])})"
            doc.error(keypath + (name,), f'{where}field "{shown}" {detail}')
    return result


def defaults(rule: Rule) -> Any:
    """The value of a field that is absent: its default, or a mapping of defaults for a nested set of fields."""
    if rule.fields is None:
        return rule.default
    return {name: defaults(inner) for name, inner in rule.fields.items()}


def unknown_field_message(key: object, rules: Mapping[str, Rule], label: str = "") -> str:
    """'unknown field "titel" (did you mean "title"?)', or the list of allowed fields when nothing is close."""
    close = difflib.get_close_matches(str(key), list(rules), n=1, cutoff=0.6)
    if close:
        return f'unknown field "{label}{key}" (did you mean "{label}{close[0]}"?)'
    return f'unknown field "{label}{key}"; allowed fields: {", ".join(rules)}'


LESSON_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$")


def lesson_id(value: Any) -> str:
    """A "module/lesson" id."""
    if not isinstance(value, str) or not LESSON_ID.match(value):
        raise Invalid
    return value


def language(value: Any) -> str:
    """A two-letter ISO 639-1 language code."""
    if not isinstance(value, str) or not re.fullmatch(r"[a-z]{2}", value):
        raise Invalid
    return value


COURSE = {
    "title": Rule("the course name shown in the catalogue", text, required=True),
    "summary": Rule("one or two sentences shown in the course list", text, required=True),
    "description": Rule("Markdown text shown on the course page", text),
    "languages": Rule(
        "a list of two-letter language codes, such as [en]", listing(language, 1, unique=True), required=True
    ),
    "estimated_hours": Rule("a number of hours above 0, such as 6 or 1.5", optional(number(above=0))),
    "modules": Rule(
        "the ordered list of module folder names, such as [introduction, basel]",
        listing(slug, 1, unique=True),
        required=True,
    ),
    "final_quiz": Rule("the name of a quiz file in quizzes/ (without .yaml)", optional(slug)),
    "completion": Rule(
        "what a learner must finish",
        fields={
            "lessons": Rule(
                '"all" or a list of "module/lesson" ids', all_or(listing(lesson_id, unique=True)), default="all"
            ),
            "quizzes": Rule('"all", [] or a list of quiz names', all_or(listing(slug, unique=True)), default="all"),
            "final_quiz": Rule("true or false", boolean, default=True),
        },
    ),
    "certificate": Rule(
        "certificate settings",
        fields={
            "enabled": Rule("true or false", boolean, default=True),
            "validity_years": Rule("null (never expires) or a whole number from 1 to 20", optional(integer(1, 20))),
        },
    ),
}

MODULE = {
    "title": Rule("the module name", text, required=True),
    "summary": Rule("one sentence on what the module covers", text, required=True),
    "mea": Rule(f"one of {', '.join(MEAS)}", optional(choice(*MEAS))),
    "quiz": Rule("the name of a quiz file in quizzes/ (without .yaml)", optional(slug)),
}

LESSON = {
    "title": Rule("the lesson title", text, required=True),
    "summary": Rule("one sentence shown in lesson lists", text, required=True),
    "objectives": Rule("a list of what the learner will be able to do", listing(text, 1), required=True),
    "minutes": Rule("reading time as a whole number of minutes from 1 to 600", optional(integer(1, 600))),
}

QUIZ = {
    "title": Rule("the quiz title", text, required=True),
    "belongs_to": Rule(
        "either module: <module name> or course: <course name>",
        required=True,
        fields={
            "module": Rule("a module folder name", optional(slug)),
            "course": Rule("a course file name (without .yaml)", optional(slug)),
        },
    ),
    "pass_mark": Rule("the percentage needed to pass, a whole number from 0 to 100", integer(0, 100), required=True),
    "draw": Rule("how many questions each attempt shows, a whole number of at least 1", integer(1), required=True),
    "balance_by": Rule("a tag name: mea, topic or difficulty", optional(choice("mea", "topic", "difficulty"))),
    "shuffle_questions": Rule("true or false", boolean, default=True),
    "shuffle_options": Rule("true or false", boolean, default=True),
    "max_attempts": Rule("null (unlimited) or a whole number of at least 1", optional(integer(1))),
    "wait_minutes": Rule("minutes between attempts, a whole number of at least 0", integer(0), default=0),
    "time_limit_minutes": Rule("null (untimed) or a whole number of minutes of at least 1", optional(integer(1))),
    "grace_seconds": Rule(
        "seconds of grace after the time limit, a whole number of at least 0", integer(0), default=60
    ),
    "review": Rule(
        "what learners see after an attempt",
        fields={
            "show": Rule(f"one of {', '.join(REVIEW_SHOW)}", choice(*REVIEW_SHOW), default="explanations"),
            "when": Rule(f"one of {', '.join(REVIEW_WHEN)}", choice(*REVIEW_WHEN), default="immediately"),
        },
    ),
    "questions": Rule("the list of questions in the bank", required=True),
}

GLOSSARY = {"terms": Rule("the list of glossary terms", required=True)}

GLOSSARY_TERM = {
    "id": Rule("a slug such as prior-informed-consent", slug, required=True),
    "term": Rule("the term as shown to learners", text, required=True),
    "mea": Rule(f"one of {', '.join(GLOSSARY_MEAS)}", choice(*GLOSSARY_MEAS), required=True),
    "definition": Rule("a Markdown definition of one to three sentences", text, required=True),
}
