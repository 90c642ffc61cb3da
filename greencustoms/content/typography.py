"""Typography applied to rendered content (greencustoms.content.render): no-break spaces where a line break would
mislead a reader on a phone."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import TYPE_CHECKING

import markdown
from markdown.treeprocessors import Treeprocessor

if TYPE_CHECKING:
    from .render import MarkdownRenderer

# Typography that keeps a reader on a phone from misreading a wrapped line: a number written with spaces between
# its groups of three ("15 400 t", the French and Spanish way) never breaks between them, in every language. In
# French, neither does the space before : ; ! ? », between a number and %, or after « (the punctuation would
# start a line). The space becomes a no-break space, which looks the same. Code is left exactly as written.
NBSP = "\u00a0"
_GROUP_SPACE = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
_FRENCH_SPACE = re.compile(r" (?=[:;!?»])|(?<=\d) (?=%)|(?<=«) ")
_VERBATIM = {"code", "pre"}


class Typography(Treeprocessor):
    """Turns the spaces described at NBSP into no-break spaces in the text of everything but code."""

    def __init__(self, md: markdown.Markdown, renderer: MarkdownRenderer) -> None:
        super().__init__(md)
        self.renderer = renderer

    def run(self, root: etree.Element) -> None:
        self._walk(root, is_french(self.renderer.locale))

    def _walk(self, element: etree.Element, french: bool) -> None:
        if element.tag not in _VERBATIM:
            element.text = no_break(element.text, french)
            for child in element:
                self._walk(child, french)
        element.tail = no_break(element.tail, french)


def is_french(locale: str) -> bool:
    """Whether texts in `locale` ("fr", "fr_CA"...) follow French punctuation spacing."""
    return locale.split("_")[0] == "fr"


def no_break(text: str | None, french: bool) -> str | None:
    """`text` with the spaces described at NBSP made no-break (French rules too when `french`)."""
    if not text or " " not in text:
        return text
    text = _GROUP_SPACE.sub(NBSP, text)
    return _FRENCH_SPACE.sub(NBSP, text) if french else text
