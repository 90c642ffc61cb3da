"""Terminology tables (docs/terminology/<lang>.yaml): where the English source uses a listed term, the translation
should use the official term of that language (or a listed variant). Checked by `flask content check` as
warnings, one per item and term, at the translated item's file and line.

Table format: `language: fr` and `terms:`, a list of `en`, `term`, `source` (where the official text says it),
optional `variants` (other accepted forms) and `note`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .catalog import Catalog
from .issues import ContentIssue
from .translations import Status

FOLDER = Path("docs") / "terminology"


@dataclass(frozen=True)
class Term:
    """One entry of a table: the English term, the official term and its accepted variants."""

    en: str
    term: str
    variants: tuple[str, ...] = ()

    def pattern(self) -> re.Pattern[str]:
        return re.compile(rf"(?<!\w){re.escape(self.en)}(?!\w)", re.IGNORECASE)

    def found_in(self, text: str) -> bool:
        folded = fold(text)
        return any(fold(form) in folded for form in (self.term, *self.variants))


_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")  # short vowels, shadda, sukun, dagger alef, tatweel
_LETTERS = str.maketrans("أإآىة", "ااايه")  # alef forms, alef maqsura, taa marbuta
_ARABIC_ARTICLE = re.compile(r"(?<!\w)(?:و|ف|ب|ل|ك)?ال(?=\w)")


def fold(text: str) -> str:
    """Text for a lenient comparison: case and spacing folded; in Arabic also the vowel marks, the forms of alef
    and the definite article (with a clinging و ف ب ل ك), so "الاتجار غير المشروع" is found in "باتجار غير مشروع"."""
    text = _ARABIC_MARKS.sub("", text.casefold())
    text = text.translate(_LETTERS)
    return " ".join(_ARABIC_ARTICLE.sub("", text).split())


def read_table(path: Path) -> tuple[list[Term], list[ContentIssue]]:
    """The terms of one table, and its problems (a table that cannot be used is an error)."""
    rel = path.as_posix()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return [], [ContentIssue(rel, 1, f"cannot read the terminology table: {exc}")]
    entries = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(entries, list) or data.get("language") != path.stem:
        message = f'a terminology table needs "language: {path.stem}" and a list "terms" of en, term, source'
        return [], [ContentIssue(rel, 1, message)]
    terms, problems = [], []
    for number, entry in enumerate(entries, start=1):
        good = isinstance(entry, dict) and all(isinstance(entry.get(k), str) and entry[k] for k in ("en", "term"))
        variants = entry.get("variants") or [] if isinstance(entry, dict) else []
        if not good or not isinstance(variants, list):
            problems.append(ContentIssue(rel, 1, f"term {number}: give en and term (text), variants as a list"))
            continue
        terms.append(Term(entry["en"], entry["term"], tuple(str(v) for v in variants)))
    return terms, problems


def check_terminology(catalog: Catalog, base: Path, languages: list[str]) -> list[ContentIssue]:
    """Warnings for translated items that do not use the official term; table problems first."""
    status: Status | None = catalog.status
    issues: list[ContentIssue] = []
    for language in languages:
        path = base / FOLDER / f"{language}.yaml"
        if status is None or not path.is_file():
            continue
        terms, problems = read_table(path)
        issues += problems
        patterns = [(term, term.pattern()) for term in terms]
        for key, item in sorted(status.translated.get(language, {}).items()):
            source_text = status.sources[key][3]
            for term, pattern in patterns:
                if pattern.search(source_text) and not term.found_in(item.text):
                    message = f'{key.partition(":")[2]}: the source says "{term.en}": use "{term.term}" ({path.name})'
                    issues.append(ContentIssue(item.path, item.line, message))
    return issues
