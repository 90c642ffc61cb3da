"""Helpers for the translation tests: a pseudo-locale catalogue, the text a person reads on a page, the catalogues."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "greencustoms" / "translations"
OPEN, CLOSE = "\u27e6", "\u27e7"  # ⟦ and ⟧: every translated string is wrapped in them
_INNERMOST = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
_URL = re.compile(r"https?://\S+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
_NOT_TEXT = ("script", "style", "code", "pre", "kbd", "samp")
READABLE_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")


def write_pseudo_catalogue(folder: Path) -> Path:
    """Compile messages.pot into `folder`/en as a catalogue that wraps every message in ⟦ ⟧ (placeholders kept).
    Text that reaches a page without those marks did not go through gettext."""
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            message.string = tuple(f"{OPEN}{text}{CLOSE}" for text in message.id)
        else:
            message.string = f"{OPEN}{message.id}{CLOSE}"
    target = folder / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)
    return folder


class _Reader(HTMLParser):
    """Collects the text a person reads: text nodes (tags count as a space) and the readable attributes. Skips
    <script>, <style>, code (<code>, <pre>, <kbd>), rendered content (`class="prose"`) and what is marked
    `translate="no"` (identifiers), which are not interface text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.attributes: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if self._skip or tag in _NOT_TEXT or "prose" in classes or values.get("translate") == "no":
            if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
                self._skip.append(tag)
            return
        self.text.append(" ")
        for name in READABLE_ATTRIBUTES:
            if values.get(name):
                self.attributes.append(values[name])
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.attributes.append(values["value"])

    def handle_endtag(self, tag):
        if self._skip:
            if self._skip[-1] == tag:
                self._skip.pop()
            return
        self.text.append(" ")

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def readable_texts(html: str) -> list[str]:
    """The page's running text (one string) and each readable attribute value."""
    reader = _Reader()
    reader.feed(html)
    return ["".join(reader.text), *reader.attributes]


def strip_translated(text: str) -> str:
    """Remove every ⟦...⟧ span, innermost first (a translated date inside a translated sentence)."""
    while True:
        stripped = _INNERMOST.sub(" ", text)
        if stripped == text:
            return stripped
        text = stripped


def untranslated_words(html: str, data: Iterable[str], allowed: set[str]) -> list[str]:
    """Words of interface text that did not go through translation: what is left after removing translated spans,
    the given data strings (content, names, codes) and the allowed words (names of months, countries...)."""
    data = sorted({d for d in data if d and len(d) > 1}, key=len, reverse=True)
    leftovers = []
    for text in readable_texts(html):
        text = _URL.sub(" ", strip_translated(text))
        for value in data:
            if value in text:  # whole words only: the data "en" must not eat into "Green"
                text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", text)
        for word in _WORD.findall(text):
            if word.casefold() not in allowed:
                leftovers.append(word)
    return leftovers


def content_strings(catalog) -> Iterator[str]:
    """Every string held by the content catalog (titles, summaries, options, rendered HTML as text)."""
    seen: set[int] = set()

    def walk(value, depth=0):
        if depth > 8 or id(value) in seen:
            return
        seen.add(id(value))
        if isinstance(value, str):
            if "<" in value and ">" in value:
                for text in readable_texts(value):
                    yield from (part.strip() for part in re.split(r"\s{2,}", text) if part.strip())
            yield value.strip()
        elif dataclasses.is_dataclass(value):
            for item in dataclasses.fields(value):
                yield from walk(getattr(value, item.name), depth + 1)
        elif isinstance(value, dict) or hasattr(value, "items"):
            for key, item in value.items():
                yield from walk(key, depth + 1)
                yield from walk(item, depth + 1)
        elif isinstance(value, list | tuple | set | frozenset):
            for item in value:
                yield from walk(item, depth + 1)

    for name in ("courses", "modules", "quizzes", "glossary", "facts"):
        yield from walk(getattr(catalog, name))


def locale_words(code: str = "en") -> set[str]:
    """Names babel gives in `code`: months, days, countries, languages (formatted data, not interface text)."""
    locale = Locale.parse(code)
    names: list[str] = []
    for context in locale.months.values():
        for width in context.values():
            names.extend(width.values())
    for context in locale.days.values():
        for width in context.values():
            names.extend(width.values())
    names.extend(locale.territories.values())
    names.extend(locale.languages.values())
    names.extend(locale.periods["abbreviated"].values() if "abbreviated" in locale.periods else ())
    return {word.casefold() for name in names for word in _WORD.findall(name)}


def read_catalogue(language: str):
    """The .po catalogue of `language`."""
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)
