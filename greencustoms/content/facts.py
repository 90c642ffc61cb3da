"""Dated facts: figures that change over time (Parties, amendments in force, operation results), each kept once in
facts.yaml and drawn into lessons, questions and the glossary with `{{fact:ID}}` and `{{asof:ID}}`.

`{{fact:ID}}` becomes the fact's value ("198"); `{{asof:ID}}` becomes its date in the text's language ("October
2024", "octobre 2024"). The sentence around them is the author's (or translator's), so the wording stays natural in
every language while the figure and its date live in one place: the next update is one edit in facts.yaml.

A value with words ("about 70%", "more than 17,486") is written once per language beside the English one
(`values: {fr: "environ 70 %"}`), since a qualifier or a currency cannot be translated word by word; a value without
words ("6,046", "48%") is written once and shown with the number style of the text's language ("6 046", "48 %").
A value that opens a sentence, a paragraph, a list item, a table cell or an answer option starts with a capital, so
"about 70%" reads "About 70% of it arrived" without a second, capitalised copy of the figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_date

from .schema import SOURCE_LANGUAGE, Invalid, Rule, boolean, check_fields, language, optional, slug, text
from .tokens import difference
from .yamlsource import Doc

PLACEHOLDER = re.compile(r"\{\{\s*(fact|asof)\s*:\s*([^}\s]*)\s*\}\}")
_LETTER = re.compile(r"[^\W\d_]")
# A placeholder that opens a text, a paragraph, a sentence, a heading, a quote, a list item ("- " or "1. ", with
# its space: a line that starts with "**" only continues a wrapped sentence) or a table cell; spaces, Markdown
# emphasis or opening punctuation may stand before it ("**{{fact:x}}**", "«{{fact:x}}", "¿{{fact:x}}").
_OPENING = re.compile(r"(?:\A|[.!?]|\n[ \t]*\n|(?:\A|\n)[ \t]*(?:[-*+>]|#{1,6}|\d+[.)])[ \t]|\|)[\s*_\"'«¿¡(]*\Z")


@dataclass(frozen=True)
class NumberStyle:
    """How a language writes a figure: thousands separator, decimal mark, and what comes before "%"."""

    group: str
    decimal: str
    percent: str


# The style the translated lessons themselves use (a figure from facts.yaml must look like the numbers typed
# around it), not Babel's CLDR data: CLDR writes French groups with a narrow no-break space and leaves Spanish
# four-digit numbers ungrouped ("6046"), while the lessons write "6 046" in both. Arabic lessons use Western
# digits written the English way. A language not listed keeps the English writing.
NUMBER_STYLES = {
    "fr": NumberStyle(group=" ", decimal=",", percent=" %"),
    "es": NumberStyle(group=" ", decimal=",", percent="%"),
    "ar": NumberStyle(group=",", decimal=".", percent="%"),
}
_ENGLISH_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d,])")


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


def has_words(value: str) -> bool:
    """True when a value holds a word ("about 70%", "US$12.5 billion"): it then needs its own wording in each
    language; a value of digits and signs only ("6,046", "48%") is written for every language by `localize`."""
    return bool(_LETTER.search(value))


def localize(value: str, locale: str) -> str:
    """A value without words in the number style of `locale`: "17,486" -> "17 486", "12.5%" -> "12,5 %" in French."""
    style = NUMBER_STYLES.get(locale)
    if style is None:
        return value

    def number(match: re.Match[str]) -> str:
        whole, fraction = match.group(1), match.group(2) or ""
        return whole.replace(",", style.group) + (style.decimal + fraction[1:] if fraction else "")

    shown = _ENGLISH_NUMBER.sub(number, value)
    return re.sub(r"(?<=\d)\s*%", style.percent, shown)


def _values(value: Any) -> dict[str, str]:
    """The value in other languages: {fr: "environ 70 %", es: "alrededor del 70%"}."""
    if not isinstance(value, dict) or not value:
        raise Invalid('must be the value in each other language, such as {fr: "environ 70 %", es: "..."}')
    result = {}
    for key, shown in value.items():
        try:
            code = language(key)
        except Invalid:
            raise Invalid(f'must be keyed by two-letter language codes such as fr (found "{key}")') from None
        if code == SOURCE_LANGUAGE:
            raise Invalid('must not repeat "en": the English value is the field "value"')
        try:
            result[code] = _value(shown)
        except Invalid as exc:
            raise Invalid(f"{code}: {exc or 'must be a short figure or phrase on one line'}") from None
    return result


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
    "values": Rule(
        'the value in each other language when it has words, such as {fr: "environ 70 %", es: "alrededor del 70%"}',
        _values,
    ),
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
    values: tuple[tuple[str, str], ...] = ()  # (language, value) pairs, sorted

    @property
    def worded(self) -> bool:
        """The English value has words, so each language needs its own (see `missing_in`)."""
        return has_words(self.value)

    def value_in(self, locale: str) -> str:
        """The value as written in `locale`: its own wording there, else the English value (its numbers in the
        locale's style when it has no words; as it is when it has words, which `content check` reports)."""
        own = dict(self.values).get(locale)
        if own is not None:
            return own
        if locale == SOURCE_LANGUAGE or self.worded:
            return self.value
        return localize(self.value, locale)

    def missing_in(self, locale: str) -> bool:
        """True when a text in `locale` would show the English words of this value."""
        return locale != SOURCE_LANGUAGE and self.worded and locale not in dict(self.values)

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
        values = checked.get("values") or {}
        for code, shown in values.items():
            only_english, only_translated = difference(checked["value"], shown)
            if only_english or only_translated:
                doc.error(
                    ("facts", index, "values", code),
                    f'{label}the {code} value "{shown}" must keep the numbers of the value "{checked["value"]}" '
                    f"(only in the value: {sorted(only_english.elements())}, "
                    f"only in {code}: {sorted(only_translated.elements())})",
                )
        facts[checked["id"]] = Fact(
            id=checked["id"],
            value=checked["value"],
            as_of=checked["as_of"],
            source=checked["source"],
            url=checked.get("url"),
            day_known=checked.get("day_known") is True,
            values=tuple(sorted(values.items())),
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
        if kind == "asof":
            return fact.as_of_text(locale)
        shown = fact.value_in(locale)
        if shown[:1].islower() and _OPENING.search(source[: match.start()]):
            return shown[0].upper() + shown[1:]
        return shown

    return PLACEHOLDER.sub(replace, source) if "{{" in source else source


def _date_locale(locale: str) -> str:
    """English content follows UN style ("4 May 2024"), not the US default of Babel's plain "en"."""
    return "en_GB" if locale == "en" else locale
