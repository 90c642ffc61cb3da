"""Markdown to sanitised HTML, once at load: extensions, link rewriting, callout checks, nh3 allow-list."""

from __future__ import annotations

import html as html_lib
import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

from .catalog import TocEntry
from .facts import Fact, substitute
from .links import LinkPolicy
from .rendercache import RenderCache, key_of, pack, unpack_toc
from .typography import Typography, is_french, no_break

CALLOUT_KINDS = ("red-flag", "safety", "tip", "note")
CALLOUT_TITLES = {"red-flag": "Red flag", "safety": "Safety", "tip": "Tip", "note": "Note"}

EXTENSIONS = ["tables", "footnotes", "toc", "admonition", "fenced_code", "def_list", "abbr", "sane_lists", "smarty"]
EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}, "toc": {"toc_depth": "2-3"}}

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
ALLOWED_TAGS = _HEADINGS | {
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "abbr",
    "a",
    "img",
    "div",
    "sup",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    **{tag: {"id"} for tag in _HEADINGS},
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "sup": {"id"},
    "li": {"id"},
    "ol": {"start"},
}
ALLOWED_VALUES = {
    "img": {"loading": {"lazy"}},
    "th": {"align": {"left", "center", "right"}},
    "td": {"align": {"left", "center", "right"}},
}
ALLOWED_CLASSES = {
    "a": {"glossary-term", "footnote-ref", "footnote-backref"},
    "div": {"admonition", "footnote", *CALLOUT_KINDS},
    "p": {"admonition-title"},
}
REMOVED_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "template",
    "noscript",
    "svg",
    "math",
    "textarea",
}
URL_SCHEMES = {"http", "https", "mailto"}
# Raw HTML elements that the sanitiser removes together with everything inside them: an unclosed one would silently
# swallow the rest of the text, so the content check reports each one at its line.
_REMOVED_ELEMENT = re.compile(r"<(" + "|".join(sorted(REMOVED_WITH_CONTENT)) + r")\b", re.IGNORECASE)
_TABLE = re.compile(r"<table>.*?</table>", re.DOTALL)
_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def sanitize(html: str) -> str:
    """Keep only the allow-listed tags, attributes, classes and URL schemes (http, https, mailto, relative URLs)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=ALLOWED_VALUES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
    )


@dataclass(frozen=True)
class Problem:
    """A problem found in Markdown text, with the 1-based line in its file."""

    line: int
    message: str


@dataclass(frozen=True)
class Rendered:
    """The result of rendering one text."""

    html: str
    toc: tuple[TocEntry, ...]
    words: int
    glossary_ids: tuple[str, ...]
    problems: tuple[Problem, ...]


class _Rewriter(Treeprocessor):
    """Rewrites links and images through the current LinkPolicy and checks callout kinds, noting problems."""

    def __init__(self, md: markdown.Markdown, renderer: MarkdownRenderer) -> None:
        super().__init__(md)
        self.renderer = renderer

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a" and element.get("href") is not None:
                self._link(element)
            elif element.tag == "img":
                self._image(element)
            elif element.tag == "div" and "admonition" in element.get("class", "").split():
                self._callout(element)

    def _link(self, element: etree.Element) -> None:
        href = element.get("href", "")
        resolved = self.renderer.policy.link(href)
        if resolved.problem:
            self.renderer.note(href, resolved.problem)
        if resolved.glossary_id and resolved.glossary_id not in self.renderer.glossary_ids:
            self.renderer.glossary_ids.append(resolved.glossary_id)
        self._apply(element, "href", resolved.url, resolved.attrs)

    def _image(self, element: etree.Element) -> None:
        src = element.get("src", "")
        resolved = self.renderer.policy.image(src, element.get("alt", ""))
        if resolved.problem:
            self.renderer.note(src, resolved.problem)
        self._apply(element, "src", resolved.url, resolved.attrs)

    @staticmethod
    def _apply(element: etree.Element, attr: str, url: str | None, extra: Mapping[str, str]) -> None:
        if url is None:
            element.attrib.pop(attr, None)
        else:
            element.set(attr, url)
        for name, value in extra.items():
            element.set(name, value)

    def _callout(self, element: etree.Element) -> None:
        classes = element.get("class", "").split()
        kind = classes[1] if len(classes) > 1 else ""
        if kind not in CALLOUT_KINDS:
            self.renderer.note(
                f"!!! {kind}", f'unknown callout kind "{kind}"; use one of {", ".join(CALLOUT_KINDS)} (as in !!! tip)'
            )
            return
        title = element.find("p")
        if title is not None and title.get("class") == "admonition-title" and title.text == kind.capitalize():
            title.text = CALLOUT_TITLES[kind]


class MarkdownRenderer:
    """One configured python-markdown instance, reused for every text of a load (not thread-safe)."""

    def __init__(self, cache: RenderCache | None = None) -> None:
        self._md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
        self._md.treeprocessors.register(_Rewriter(self._md, self), "greencustoms_links", 8)
        self._md.treeprocessors.register(Typography(self._md, self), "greencustoms_typography", 7)
        self.cache = cache if cache is not None else RenderCache()
        self.policy = LinkPolicy(glossary={})
        self._facts: Mapping[str, Fact] = {}
        self._facts_key = ""
        self.locale = "en"  # the language of the texts being rendered (dates of facts are written in it)
        self.glossary_ids: list[str] = []
        self._notes: list[tuple[str, str]] = []

    @property
    def facts(self) -> Mapping[str, Fact]:
        """The dated facts that {{fact:...}} placeholders draw from."""
        return self._facts

    @facts.setter
    def facts(self, facts: Mapping[str, Fact]) -> None:
        self._facts = facts
        self._facts_key = key_of(*sorted(repr(fact) for fact in facts.values()))

    def note(self, needle: str, message: str) -> None:
        """Remember a problem; `needle` is source text used afterwards to find its line."""
        self._notes.append((needle, message))

    def render(self, text: str, policy: LinkPolicy, first_line: int = 1, inline: bool = False) -> Rendered:
        """Render Markdown `text` (which starts on file line `first_line`) with `policy` deciding links and images.

        `inline` drops the paragraph around a one-paragraph text (answer options). Problems carry file lines.
        A text rendered before under the same policy, facts and language comes from the cache.
        """
        key = key_of(policy.fingerprint, self._facts_key, self.locale, inline, first_line, text)
        packed = self.cache.get(key)
        if packed is None:
            packed = pack(self._render(text, policy, first_line, inline))
            self.cache.put(key, packed)
        html, toc, words, glossary_ids, problems = packed
        return Rendered(
            html, unpack_toc(toc), words, tuple(glossary_ids), tuple(Problem(line, msg) for line, msg in problems)
        )

    def _render(self, text: str, policy: LinkPolicy, first_line: int, inline: bool) -> Rendered:
        self.policy, self.glossary_ids, self._notes = policy, [], []
        self._md.reset()
        raw = self._md.convert(substitute(text, self.facts, self.locale, self.note))
        for match in _REMOVED_ELEMENT.finditer(raw):
            tag = match.group(1).lower()
            self.note(
                match.group(0),
                f"raw HTML <{tag}> is not allowed: it would be removed with everything after it up to </{tag}>; "
                "write it in Markdown, or use an image",
            )
        clean = sanitize(raw)
        if inline and clean.startswith("<p>") and clean.endswith("</p>") and clean.count("<p>") == 1:
            clean = clean[3:-4]
        # A wide table scrolls inside its own box, which the keyboard can reach, instead of widening the page.
        clean = _TABLE.sub(lambda m: f'<div class="table-scroll" tabindex="0">{m.group(0)}</div>', clean)
        toc = tuple(_flatten(getattr(self._md, "toc_tokens", []), is_french(self.locale)))
        words = len(_WORD.findall(html_lib.unescape(nh3.clean(raw, tags=set()))))
        problems = tuple(_locate(text, self._notes, first_line))
        return Rendered(clean, toc, words, tuple(self.glossary_ids), problems)


def _flatten(tokens: list[dict], french: bool) -> list[TocEntry]:
    """The table of contents' h2 and h3 entries, their titles with the same no-break spaces as the headings (the
    toc extension reads the titles with their spaces collapsed)."""
    entries: list[TocEntry] = []
    for token in tokens:
        if token["level"] in (2, 3):
            title = html_lib.unescape(nh3.clean(token["name"], tags=set()))
            entries.append(TocEntry(token["level"], token["id"], no_break(title, french) or ""))
        entries.extend(_flatten(token.get("children", []), french))
    return entries


def _locate(source: str, notes: list[tuple[str, str]], first_line: int) -> list[Problem]:
    """Map each note to the line of its needle in `source`, searching on from the previous hit of the same needle."""
    cursor: dict[str, int] = {}
    problems = []
    for needle, message in notes:
        index = source.find(needle, cursor.get(needle, 0))
        if index < 0:
            index = source.find(needle)
        if index >= 0:
            cursor[needle] = index + 1
        line = first_line + (source.count("\n", 0, index) if index >= 0 else 0)
        problems.append(Problem(line, message))
    return problems
