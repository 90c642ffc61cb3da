"""The catalog as read in one language: translated items where they exist, the source items elsewhere.

Ids, versions, completion rules and answer keys are the source's, so progress, attempts and certificates are the
same in every language; only the texts (and each item's `language`) differ.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from .catalog import Catalog, Module
from .quizbank import Quiz
from .translations import Pieces, Status, localize_course


def localized_catalogs(source: Catalog, pieces: dict[str, Pieces], status: Status) -> Catalog:
    """`source` carrying its translated views (Catalog.localized) and the translation status."""
    views = {language: localized_view(source, language, own) for language, own in sorted(pieces.items())}
    return replace(source, translations=MappingProxyType(views), status=status)


def localized_view(source: Catalog, language: str, pieces: Pieces) -> Catalog:
    """`source` as read in `language`, from that language's translated pieces."""
    modules = {slug: _module(module, language, pieces) for slug, module in source.modules.items()}
    quizzes = {slug: _quiz(quiz, language, pieces) for slug, quiz in source.quizzes.items()}
    courses = {slug: localize_course(course, pieces, language) for slug, course in source.courses.items()}
    terms = [pieces.terms.get(term.id, term) for term in source.glossary.values()]
    return Catalog(
        courses=MappingProxyType(courses),
        modules=MappingProxyType(modules),
        quizzes=MappingProxyType(quizzes),
        glossary=MappingProxyType({term.id: term for term in sorted(terms, key=lambda t: t.term.casefold())}),
        version=source.version,
        root=source.root,
        facts=source.facts,
        language=language,
    )


def _module(module: Module, language: str, pieces: Pieces) -> Module:
    lessons = tuple(pieces.lessons.get(lesson.id, lesson) for lesson in module.lessons)
    title, summary = pieces.modules.get(module.slug, (module.title, module.summary))
    own = language if module.slug in pieces.modules else module.language
    if own == module.language and all(a is b for a, b in zip(lessons, module.lessons, strict=True)):
        return module
    return replace(module, title=title, summary=summary, lessons=lessons, language=own)


def _quiz(quiz: Quiz, language: str, pieces: Pieces) -> Quiz:
    translated = pieces.questions.get(quiz.slug, {})
    if not translated and quiz.slug not in pieces.quiz_titles:
        return quiz
    return replace(
        quiz,
        title=pieces.quiz_titles.get(quiz.slug, quiz.title),
        questions=tuple(translated.get(question.id, question) for question in quiz.questions),
        language=language if quiz.slug in pieces.quiz_titles else quiz.language,
    )
