"""Dated facts: figures that change over time (Parties, amendments in force, operation results), each kept once in
facts.yaml and drawn into lessons, questions and the glossary with `{{fact:ID}}` and `{{asof:ID}}`.

`{{fact:ID}}` becomes the fact's value ("198"); `{{asof:ID}}` becomes its date in the text's language ("October
2024", "octobre 2024"). The sentence around them is the author's (or translator's), so the wording stays natural in
every language while the figure and its date live in one place: the next update is one edit in facts.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_date

from .schema import Invalid, Rule, boolean, check_fields, optional, slug, text
from .yamlsource import Doc

PLACEHOLDER = re.compile(r"\{\{\s*(fact|asof)\s*:\s*([^}\s]*)\s*\}\}")


def _as_of(value: Any) -> date:
    """A date written as YYYY-MM-DD (YAML reads it as a date) or "YYYY-MM" (the first of that month)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value.strip()):
        year, month = (int(part) for part in value.strip().split("-"))
        if 1 <= month <= 12:
            return date(year, month, 1)
    raise Invalid('must be a date written YYYY-MM-DD, or "YYYY-MM" when only the month is known')


def _value(value: Any) -> str:
    """A short figure or phrase: a number or one line of text."""
    if isinstance(value, bool) or not isinstance(value, int | float | str) or not str(value).strip():
        raise Invalid
    shown = str(value).strip()
    if "\n" in shown or len(shown) > 80:
        raise Invalid("must be a short figure or phrase on one line (at most 80 characters)")
    return shown


FACTS = {"facts": Rule("the list of dated facts", required=True)}
FACT = {
    "id": Rule("a slug such as basel-parties", slug, required=True),
    "value": Rule('the figure, such as 191 or "more than 40,900"', _value, required=True),
    "as_of": Rule("the date the figure was true, YYYY-MM-DD or YYYY-MM", _as_of, required=True),
    "day_known": Rule(
        "true when the day of as_of matters (a treaty date); default: month and year", boolean, default=False
    ),
    "source": Rule("who published the figure, and where", text, required=True),
    "url": Rule("the address of the source", optional(text)),
}


@dataclass(frozen=True)
class Fact:
    """One dated figure and where it comes from."""

    id: str
    value: str
    as_of: date
    source: str
    url: str | None = None
    day_known: bool = False

    def as_of_text(self, locale: str = "en") -> str:
        """The date in `locale`: "October 2024", or "6 September 2019" when the day is known."""
        if self.day_known:
            return format_date(self.as_of, format="long", locale=_date_locale(locale))
        return format_date(self.as_of, format="LLLL y", locale=_date_locale(locale))


def check_facts(doc: Doc) -> list[Fact]:
    """Every well-formed fact of facts.yaml; ids unique. Problems go to the document's issues."""
    values = check_fields(doc, (), doc.data if doc.data is not None else {}, FACTS)
    raw = (values or {}).get("facts")
    if raw is None:
        return []
    if not isinstance(raw, list):
        doc.error(("facts",), 'field "facts" must be a list of facts, each with id, value, as_of and source')
        return []
    facts: dict[str, Fact] = {}
    for index, item in enumerate(raw):
        label = f'fact "{item["id"]}": ' if isinstance(item, dict) and isinstance(item.get("id"), str) else ""
        checked = check_fields(doc, ("facts", index), item, FACT, label or f"fact {index + 1}: ")
        if not checked or not checked.get("id"):
            continue
        if checked["id"] in facts:
            doc.error(("facts", index, "id"), f'fact id "{checked["id"]}" is used twice; fact ids must be unique')
            continue
        if None in (checked.get("value"), checked.get("as_of"), checked.get("source")):
            continue
        facts[checked["id"]] = Fact(
            id=checked["id"],
            value=checked["value"],
            as_of=checked["as_of"],
            source=checked["source"],
            url=checked.get("url"),
            day_known=checked.get("day_known") is True,
        )
    return list(facts.values())


def substitute(source: str, facts: Mapping[str, Fact], locale: str, note: Callable[[str, str], None]) -> str:
    """Replace every `{{fact:ID}}` and `{{asof:ID}}` in Markdown `source`; an unknown id is noted and left as is."""

    def replace(match: re.Match[str]) -> str:
        kind, fact_id = match.group(1), match.group(2)
        fact = facts.get(fact_id)
        if fact is None:
            note(match.group(0), f'unknown fact "{fact_id}" in {match.group(0)}: add it to facts.yaml or fix the id')
            return match.group(0)
        return fact.value if kind == "fact" else fact.as_of_text(locale)

    return PLACEHOLDER.sub(replace, source) if "{{" in source else source


def _date_locale(locale: str) -> str:
    """English content follows UN style ("4 May 2024"), not the US default of Babel's plain "en"."""
    return "en_GB" if locale == "en" else locale
