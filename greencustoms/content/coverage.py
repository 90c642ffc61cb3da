"""Translation coverage: per language and per course (and the glossary), what is translated, missing, out of date.

An item is translated when a translation of it exists in the language; it is out of date when the
`source_version` it declares is not the source's current version (`pending` included: not stamped yet). A
course's `languages:` lists the languages it declares complete: for those, anything missing or out of date is an
error of `flask content check` (the app still starts and falls back to the source); for any other language it is
only reported.

A translated text that draws a fact whose value has words ("about 70%") with no value in its language in
facts.yaml would show those English words in the middle of the translation: it is a gap of the same kind, an
error for a declared language and reported for the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalog import Catalog
from .facts import PLACEHOLDER, Fact
from .issues import ContentIssue
from .translations import SOURCE_LANGUAGE, Status, Translated


@dataclass
class Coverage:
    """One course (or "glossary") in one language."""

    group: str
    language: str
    total: int = 0
    missing: list[str] = field(default_factory=list)
    outdated: list[tuple[str, Translated]] = field(default_factory=list)
    declared: bool = False
    facts: list[FactGap] = field(default_factory=list)

    @property
    def translated(self) -> int:
        return self.total - len(self.missing)

    @property
    def percent(self) -> int:
        """Share of items translated, rounded down (100 only when nothing is missing)."""
        return 100 * self.translated // self.total if self.total else 100

    @property
    def complete(self) -> bool:
        return not self.missing and not self.outdated and not self.facts


@dataclass(frozen=True)
class FactGap:
    """A translated item that draws a worded fact with no value in the item's language."""

    key: str
    fact: Fact
    path: str
    line: int

    def message(self, language: str) -> str:
        return (
            f'{describe(self.key)} draws {{{{fact:{self.fact.id}}}}}, whose value "{self.fact.value}" has words and '
            f"no {language} value: add it to the fact's values in facts.yaml ({language}: ...)"
        )


def translation_languages(catalog: Catalog) -> list[str]:
    """Every language some content is translated into or some course declares, sorted."""
    status: Status | None = catalog.status
    if status is None:
        return []
    declared = {language for languages in status.declared.values() for language in languages}
    return sorted(set(status.translated) | declared)


def coverage(catalog: Catalog, group: str, language: str) -> Coverage:
    """The coverage of one course slug (or "glossary") in `language`."""
    status: Status | None = catalog.status
    result = Coverage(group, language)
    if status is None:
        return result
    result.declared = language in status.declared.get(group, ())
    own = status.translated.get(language, {})
    for key in status.groups.get(group, ()):
        result.total += 1
        item = own.get(key)
        if item is None:
            result.missing.append(key)
        else:
            if item.declared != status.sources[key][0]:
                result.outdated.append((key, item))
            result.facts.extend(fact_gaps(catalog, key, item, language))
    return result


def fact_gaps(catalog: Catalog, key: str, item: Translated, language: str) -> list[FactGap]:
    """Each worded fact the translated `item` draws without a value in `language`, once per fact, at its line (the
    placeholder's own line in a lesson file; the item's first line in a YAML file)."""
    gaps: dict[str, FactGap] = {}
    for match in PLACEHOLDER.finditer(item.text):
        fact = catalog.facts.get(match.group(2))
        if match.group(1) != "fact" or fact is None or not fact.missing_in(language) or fact.id in gaps:
            continue
        line = item.line + item.text.count("\n", 0, match.start()) if key.startswith("lesson:") else item.line
        gaps[fact.id] = FactGap(key, fact, item.path, line)
    return list(gaps.values())


def report(catalog: Catalog, languages: list[str] | None = None) -> list[Coverage]:
    """Coverage of every course and the glossary in each language (all translation languages by default)."""
    status: Status | None = catalog.status
    if status is None:
        return []
    wanted = languages if languages is not None else translation_languages(catalog)
    return [
        coverage(catalog, group, language)
        for language in wanted
        if language != SOURCE_LANGUAGE
        for group in status.groups
    ]


def declared_errors(catalog: Catalog, rows: list[Coverage]) -> list[ContentIssue]:
    """A course that declares a language complete while something is missing or out of date in it, and each of its
    translated items that would show a fact's English words (at the item's line)."""
    errors = []
    for row in rows:
        if not row.declared or row.complete:
            continue
        for gap in row.facts:  # a lesson shared by two courses is reported once
            issue = ContentIssue(gap.path, gap.line, gap.message(row.language))
            errors.extend([issue] if issue not in errors else [])
        if not row.missing and not row.outdated:
            continue
        path = catalog.courses[row.group].path
        errors.append(
            ContentIssue(
                path,
                1,
                f'languages lists "{row.language}" (complete) but {len(row.missing)} item(s) are missing and '
                f"{len(row.outdated)} out of date in it: translate and stamp them, or remove it from languages",
            )
        )
    return errors


def course_languages(catalog: Catalog, course_slug: str, offered: list[str]) -> list[tuple[str, int]]:
    """(language, percent translated) a learner can study the course in: the source, then every `offered`
    language with at least one translated item of the course."""
    rows = [(SOURCE_LANGUAGE, 100)]
    status: Status | None = catalog.status
    if status is None:
        return rows
    for language in offered:
        if language == SOURCE_LANGUAGE or language not in status.translated:
            continue
        key = (course_slug, language)
        if key not in status.percents:  # the catalog never changes: count once, not on every page
            row = coverage(catalog, course_slug, language)
            status.percents[key] = row.percent if row.translated else None
        percent = status.percents[key]
        if percent is not None:
            rows.append((language, percent))
    return rows


def describe(key: str) -> str:
    """'lesson demo-basics/welcome' from 'lesson:demo-basics/welcome'."""
    kind, _sep, name = key.partition(":")
    return f"{kind} {name}"
