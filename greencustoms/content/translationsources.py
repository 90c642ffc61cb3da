"""What translations are read against: each source item's current version and text (the translation status's
sources and each course's items), and what a translation of each source file needs from it. Used by the loader
(content/loader.py); the loader is passed in for the glossary it parsed."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .builders import module_policy
from .translations import SOURCE_LANGUAGE, Status, lesson_version, source_versions
from .versions import question_version


def source_status(  # noqa: PLR0913 - the parts of one load
    loader: Any, courses, modules, built_modules, texts, quizzes, built_quizzes, built_courses
) -> Status:
    """The current version of every translatable source item, and which items make up each course."""
    status = Status()
    for slug, parsed in courses.items():
        source_versions(status, f"course:{slug}", "course", parsed.doc.data, parsed.source.rel)
    for slug, parsed in modules.items():
        source_versions(status, f"module:{slug}", "module", parsed.doc.data, parsed.source.rel)
    for module in built_modules.values():
        for lesson in module.lessons if module else ():
            lesson_version(status, lesson, texts[lesson.path].decode("utf-8-sig"))
    for slug, parsed in quizzes.items():
        source_versions(status, f"quiz:{slug}", "quiz", parsed.doc.data, parsed.source.rel)
        for index, raw in enumerate(parsed.doc.data.get("questions") or ()):
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                line, text = parsed.doc.line(("questions", index)), "\n".join(_strings(raw))
                status.sources[f"question:{slug}/{raw['id']}"] = (
                    question_version(raw),
                    parsed.source.rel,
                    line,
                    text,
                )
    glossary = loader.glossary_parsed
    for index, raw in enumerate((glossary.doc.data or {}).get("terms") or () if glossary else ()):
        if glossary and isinstance(raw, dict) and isinstance(raw.get("id"), str):
            line = glossary.doc.line(("terms", index))
            source_versions(status, f"term:{raw['id']}", "term", raw, glossary.source.rel, line)
    for slug, course in built_courses.items():
        keys = [f"course:{slug}"]
        for module_slug in course.module_slugs:
            module = built_modules.get(module_slug)
            keys += [
                f"module:{module_slug}",
                *(f"lesson:{lesson.id}" for lesson in (module.lessons if module else ())),
            ]
        for quiz_slug in [*course.completion.quizzes, course.final_quiz_slug]:
            if quiz_slug in built_quizzes:
                keys += [
                    f"quiz:{quiz_slug}",
                    *(f"question:{quiz_slug}/{q.id}" for q in built_quizzes[quiz_slug].questions),
                ]
        status.groups[slug] = tuple(dict.fromkeys(key for key in keys if key in status.sources))
        status.declared[slug] = tuple(lang for lang in course.languages if lang != SOURCE_LANGUAGE)
    status.groups["glossary"] = tuple(key for key in status.sources if key.startswith("term:"))
    return status


def translation_sources(  # noqa: PLR0913 - the parts of one load
    loader: Any, courses, modules, folders, built_modules, quizzes, banks, built, base, quiz_policy, glossary
) -> dict[str, tuple]:
    """What a translation of each source file needs from it, by the source's path (see TranslationReader)."""
    sources: dict[str, tuple] = {}
    for slug, parsed in courses.items():
        sources[parsed.source.rel] = ("course", parsed, replace(base, course=slug))
    for slug, folder in folders.items():
        module = built_modules.get(slug)
        if slug in modules:
            sources[modules[slug].source.rel] = ("module", modules[slug])
        policy = module_policy(folder, base)  # one per module: its fingerprint is computed once
        for lesson in module.lessons if module else ():
            sources[lesson.path] = ("lesson", lesson, policy)
    for slug, parsed in quizzes.items():
        sources[parsed.source.rel] = ("quiz", parsed, banks[slug], quiz_policy, built[slug])
    if loader.glossary_parsed is not None:
        by_id = {term.id: term for term in glossary}
        sources["glossary.yaml"] = ("glossary", loader.glossary_parsed, {i: (0, t) for i, t in by_id.items()})
    return sources


def _strings(value: Any) -> list[str]:
    """Every text of a question's translatable part, ids left out (for the token and terminology checks)."""
    from .quizmerge import texts_of

    return texts_of(value)
