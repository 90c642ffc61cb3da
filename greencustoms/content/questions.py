"""Checking one question: the fields every question has, then the fields and checks its type module owns."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from .schema import (
    DIFFICULTIES,
    LEVELS,
    MEAS,
    Rule,
    check_fields,
    choice,
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


def _registry() -> Mapping[str, Any]:
    # Imported late: the question types (greencustoms.quiz.types) build on this package's catalog and schema.
    from greencustoms.quiz.types import REGISTRY

    return REGISTRY


def translated_answers(kind: Any) -> tuple[str, ...]:
    """The answer lists a translation may extend for a question of type `kind` (QuestionType.translated_answers),
    () for an unknown type."""
    handler = _registry().get(kind) if isinstance(kind, str) else None
    return tuple(handler.translated_answers) if handler is not None else ()


def check_question(doc: Doc, keypath: KeyPath, raw: Any, position: int) -> dict[str, Any] | None:
    """Check one question of a bank: common fields, its type's fields (the type's `fields`) and the type's own
    checks (`check`: the answer key above all).

    Returns the normalised fields, or None when the question cannot be used at all (not a mapping, or an
    unknown type).
    """
    registry = _registry()
    where = f"question {position}: "
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        where = f'question "{raw["id"]}": '
    if not isinstance(raw, dict):
        check_fields(doc, keypath, raw, COMMON, where)
        return None
    kind: Any = raw.get("type")  # the raw YAML value; only a registered type name passes the check below
    if kind not in registry:
        if "type" not in raw:
            doc.error(keypath, f'{where}field "type" is required: one of {", ".join(registry)}')
        else:
            close = difflib.get_close_matches(str(kind), list(registry), n=1, cutoff=0.6)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            doc.error(
                keypath + ("type",), f'{where}unknown question type "{kind}"{hint}; use one of {", ".join(registry)}'
            )
        return None
    handler = registry[kind]
    own = handler.fields
    others = {name for other in registry.values() for name in other.fields} - set(own) - set(COMMON)
    for name in raw:
        if name in others:
            doc.error(keypath + (name,), f'{where}field "{name}" does not apply to a {handler.label} question')
    checked = check_fields(doc, keypath, {k: v for k, v in raw.items() if k not in others}, {**COMMON, **own}, where)
    if checked is None:
        return None
    handler.check(doc, keypath, raw, checked, where)
    return checked
