"""The immutable, fully rendered Catalog of courses, modules, lessons, quizzes and glossary terms."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .facts import Fact
from .frozen import EMPTY, freeze
from .quizbank import Quiz

MEA_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "general": "General",
        "montreal": "Montreal Protocol",
        "basel": "Basel Convention",
        "rotterdam": "Rotterdam Convention",
        "stockholm": "Stockholm Convention",
        "cites": "CITES",
        "cartagena": "Cartagena Protocol",
        "cwc": "Chemical Weapons Convention",
        "minamata": "Minamata Convention",
        "other": "Other",
    }
)


# A lesson with this many `##` and `###` headings or more shows its table of contents above the text; a short one
# needs none.
TOC_MIN_HEADINGS = 4


@dataclass(frozen=True)
class TocEntry:
    """A heading of a lesson (h2 or h3) with the id the page can link to."""

    level: int
    id: str
    title: str


@dataclass(frozen=True)
class Lesson:
    """One lesson, rendered to sanitised HTML; `version` changes whenever its file changes."""

    slug: str
    module_slug: str
    number: int
    title: str
    summary: str
    objectives: tuple[str, ...]
    minutes: int
    words: int
    html: str
    toc: tuple[TocEntry, ...]
    version: str
    path: str
    glossary_ids: tuple[str, ...] = ()
    language: str = "en"  # the language this text is written in (a translation's, or the source's on fallback)

    @property
    def id(self) -> str:
        """The stable "module/lesson" id stored in progress rows."""
        return f"{self.module_slug}/{self.slug}"

    @property
    def sections(self) -> tuple[TocEntry, ...]:
        """The table of contents of a long lesson (TOC_MIN_HEADINGS or more headings), else nothing."""
        if len(self.toc) < TOC_MIN_HEADINGS:
            return ()
        return self.toc


@dataclass(frozen=True)
class Module:
    """A module folder: its lessons in file-number order and its optional quiz."""

    slug: str
    title: str
    summary: str
    mea: str | None
    quiz_slug: str | None
    lessons: tuple[Lesson, ...]
    version: str
    path: str = ""
    language: str = "en"
    _by_slug: Mapping[str, Lesson] = field(default_factory=lambda: EMPTY, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        freeze(self, "_by_slug", MappingProxyType({lesson.slug: lesson for lesson in self.lessons}))

    def lesson(self, slug: str) -> Lesson | None:
        """The lesson with this slug, or None."""
        return self._by_slug.get(slug)

    @property
    def minutes(self) -> int:
        """Total reading time of the module's lessons."""
        return sum(lesson.minutes for lesson in self.lessons)


@dataclass(frozen=True)
class CompletionRule:
    """What completes a course, resolved: explicit lesson ids and quiz slugs, and whether the final quiz counts."""

    lessons: tuple[str, ...]
    quizzes: tuple[str, ...]
    final_quiz: bool


@dataclass(frozen=True)
class CertificateSettings:
    """Whether the course issues a certificate and for how many years it stays valid (None: no expiry)."""

    enabled: bool
    validity_years: int | None


@dataclass(frozen=True)
class Course:
    """A course: ordered module slugs, its final quiz, completion rule and certificate settings."""

    slug: str
    title: str
    summary: str
    description_html: str
    languages: tuple[str, ...]
    estimated_hours: float
    module_slugs: tuple[str, ...]
    final_quiz_slug: str | None
    completion: CompletionRule
    certificate: CertificateSettings
    version: str
    path: str = ""
    language: str = "en"


@dataclass(frozen=True)
class GlossaryTerm:
    """A glossary entry; `id` is the anchor on /glossary."""

    id: str
    term: str
    mea: str
    definition_html: str
    language: str = "en"

    @property
    def letter(self) -> str:
        """The A-Z group of the term (accents dropped; a letter of another script is its own group), or "#" for
        terms not starting with a letter."""
        first = unicodedata.normalize("NFKD", self.term[:1]).encode("ascii", "ignore").decode().upper()
        if not first and self.term[:1].isalpha():
            first = self.term[:1]
        return first if first.isalpha() else "#"


@dataclass(frozen=True)
class Catalog:
    """All content, read once and never changed; lookups and course sequences are precomputed."""

    courses: Mapping[str, Course]
    modules: Mapping[str, Module]
    quizzes: Mapping[str, Quiz]
    glossary: Mapping[str, GlossaryTerm]
    version: str
    root: Path
    facts: Mapping[str, Fact] = field(default_factory=lambda: EMPTY)
    warnings: tuple = ()  # ContentIssue warnings of the assessment lint, shown by `flask content check`
    language: str = "en"  # the language of this view of the content (see `localized`)
    # The translated views of the catalog by language (content/translations.py) and what each translation covers.
    translations: Mapping[str, Catalog] = field(default_factory=lambda: EMPTY)
    status: Any = None  # a translations.Status: source versions and the translated items of each language
    _sequences: Mapping[str, tuple] = field(default_factory=lambda: EMPTY, init=False, repr=False, compare=False)
    _neighbours: Mapping[tuple[str, str, str], tuple] = field(
        default_factory=lambda: EMPTY, init=False, repr=False, compare=False
    )
    _glossary_index: tuple = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("courses", "modules", "quizzes", "glossary", "facts"):
            value = getattr(self, name)
            if not isinstance(value, MappingProxyType):
                freeze(self, name, MappingProxyType(dict(value)))
        sequences: dict[str, tuple[tuple[Module, Lesson], ...]] = {}
        neighbours: dict[tuple[str, str, str], tuple[Lesson | None, Lesson | None]] = {}
        for course in self.courses.values():
            sequence = tuple((module, lesson) for module in self.modules_of(course.slug) for lesson in module.lessons)
            sequences[course.slug] = sequence
            for index, (module, lesson) in enumerate(sequence):
                previous = sequence[index - 1][1] if index > 0 else None
                following = sequence[index + 1][1] if index + 1 < len(sequence) else None
                neighbours[(course.slug, module.slug, lesson.slug)] = (previous, following)
        freeze(self, "_sequences", MappingProxyType(sequences))
        freeze(self, "_neighbours", MappingProxyType(neighbours))
        groups: dict[str, list[GlossaryTerm]] = {}
        for term in self.glossary.values():
            groups.setdefault(term.letter, []).append(term)
        freeze(self, "_glossary_index", tuple((letter, tuple(terms)) for letter, terms in sorted(groups.items())))

    def localized(self, language: str | None) -> Catalog:
        """The catalog as read in `language`: every item that has a translation in it is the translated item
        (its `language` says so), every other one the source item. The source catalog for an unknown language."""
        if not language or language == self.language:
            return self
        return self.translations.get(language, self)

    def course(self, slug: str) -> Course | None:
        """The course with this slug, or None."""
        return self.courses.get(slug)

    def module(self, slug: str) -> Module | None:
        """The module with this slug, or None."""
        return self.modules.get(slug)

    def quiz(self, slug: str) -> Quiz | None:
        """The quiz with this slug, or None."""
        return self.quizzes.get(slug)

    def modules_of(self, course_slug: str) -> tuple[Module, ...]:
        """The course's modules in course order; empty for an unknown course."""
        course = self.courses.get(course_slug)
        if course is None:
            return ()
        return tuple(self.modules[slug] for slug in course.module_slugs)

    def lesson_sequence(self, course_slug: str) -> tuple[tuple[Module, Lesson], ...]:
        """Every (module, lesson) of the course in reading order; empty for an unknown course."""
        return self._sequences.get(course_slug, ())

    def neighbours(self, course_slug: str, module_slug: str, lesson_slug: str) -> tuple[Lesson | None, Lesson | None]:
        """(previous, next) lesson within the course, across module boundaries; (None, None) if unknown."""
        return self._neighbours.get((course_slug, module_slug, lesson_slug), (None, None))

    def quizzes_of(self, course_slug: str) -> tuple[Quiz, ...]:
        """The module quizzes of the course in module order, then its final quiz."""
        quizzes = [self.quizzes[m.quiz_slug] for m in self.modules_of(course_slug) if m.quiz_slug]
        course = self.courses.get(course_slug)
        if course is not None and course.final_quiz_slug:
            quizzes.append(self.quizzes[course.final_quiz_slug])
        return tuple(quizzes)

    def courses_with_module(self, module_slug: str) -> tuple[Course, ...]:
        """Every course that includes this module."""
        return tuple(course for course in self.courses.values() if module_slug in course.module_slugs)

    def terms_of(self, lesson: Lesson) -> tuple[GlossaryTerm, ...]:
        """The glossary terms a lesson links to, in the order it first uses them."""
        return tuple(self.glossary[term_id] for term_id in lesson.glossary_ids if term_id in self.glossary)

    def glossary_index(self) -> tuple[tuple[str, tuple[GlossaryTerm, ...]], ...]:
        """Glossary terms grouped by first letter, letters in A-Z order ("#" first for non-letters)."""
        return self._glossary_index

    def stats(self) -> dict[str, int]:
        """Counts of every kind of item, as shown by `flask content check`."""
        return {
            "courses": len(self.courses),
            "modules": len(self.modules),
            "lessons": sum(len(module.lessons) for module in self.modules.values()),
            "quizzes": len(self.quizzes),
            "questions": sum(len(quiz.questions) for quiz in self.quizzes.values()),
            "glossary_terms": len(self.glossary),
        }
