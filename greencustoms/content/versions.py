"""Source versions: which version of the English source a translation translates (docs/translations.md).

A source version is the first 12 hex digits of the sha256 of the source's translatable part in canonical form:
for a lesson the whole file text with LF line ends; for a YAML item (course, module, quiz title, question,
glossary term) the JSON of its translatable fields (sort_keys, ensure_ascii=False, separators (",", ":")).
A translation declares it as `source_version`; `pending` means "not stamped yet" (`flask content stamp`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

PENDING = "pending"
VERSION_LENGTH = 12

# Fields that are never translated: they come from the source (structure, answer key, scoring, references).
# `id` is kept in the translatable part, since it says which option, pair or step a text belongs to.
NOT_TEXT = frozenset(
    {
        "type",
        "reference",
        "tags",
        "correct",
        "points",
        "next",
        "start",
        "scheme",
        "accept",
        "partial",
        "answer",
        "tolerance",
        "src",
        "width",
        "height",
        "x",
        "y",
        "form",
        "reason",
        "source_version",
        "belongs_to",
        "mea",
        "quiz",
        "modules",
        "languages",
        "completion",
        "certificate",
        "estimated_hours",
        "final_quiz",
        "minutes",
    }
)
# The translatable fields of each kind of YAML item that is not a question.
ITEM_FIELDS = {
    "course": ("title", "summary", "description"),
    "module": ("title", "summary"),
    "quiz": ("title",),
    "term": ("term", "definition"),
}


def text_version(text: str) -> str:
    """The version of a lesson: its whole text with LF line ends (a BOM dropped)."""
    canonical = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:VERSION_LENGTH]


def fields_version(fields: Any) -> str:
    """The version of a YAML item's translatable part (see `translatable` and `item_part`)."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:VERSION_LENGTH]


def translatable(value: Any) -> Any:
    """The text part of a question (or any nested value): strings, lists and mappings of them, `id`s kept, the
    NOT_TEXT fields and numbers dropped. None when nothing is left."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        kept = {key: translatable(item) for key, item in value.items() if key not in NOT_TEXT}
        kept = {key: item for key, item in kept.items() if item is not None}
        return kept if set(kept) - {"id"} else None
    if isinstance(value, list):
        items = [translatable(item) for item in value]
        return items if any(item is not None for item in items) else None
    return None


def item_part(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """The translatable fields of a course, module, quiz (its title) or glossary term that the source has."""
    return {name: values[name] for name in ITEM_FIELDS[kind] if isinstance(values.get(name), str)}


def question_version(raw: dict[str, Any]) -> str:
    """The version of a source question (its raw YAML mapping)."""
    return fields_version(translatable(raw))


def item_version(kind: str, values: dict[str, Any]) -> str:
    """The version of a course, module, quiz title or glossary term (raw YAML values)."""
    return fields_version(item_part(kind, values))
