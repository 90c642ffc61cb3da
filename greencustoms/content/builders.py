"""From checked content files to the Catalog's objects: a module with its rendered lessons, a course with its
completion rule and certificate settings, and the link policy each is rendered under. The loader
(content/loader.py) reads and checks the files, then calls these; translations reuse `module_policy`."""

from __future__ import annotations

import math
from dataclasses import replace

from .catalog import CertificateSettings, CompletionRule, Course, GlossaryTerm, Lesson, Module
from .files import ModuleFolder, Parsed, short_hash
from .issues import Issues
from .links import LinkPolicy
from .render import MarkdownRenderer


def link_policy(
    glossary: list[GlossaryTerm], courses: dict[str, Parsed], folders: dict[str, ModuleFolder]
) -> LinkPolicy:
    """What links may point at: every glossary term, every lesson file, and which courses hold which modules."""
    course_modules = {
        slug: frozenset(m for m in course.values.get("modules") or () if m in folders)
        for slug, course in courses.items()
    }
    return LinkPolicy(
        glossary={term.id: term.term for term in glossary},
        lessons={slug: frozenset(f.slug for f in folder.lessons) for slug, folder in folders.items()},
        courses_of={m: tuple(c for c, mods in course_modules.items() if m in mods) for m in folders},
        course_modules=course_modules,
    )


def build_module(
    renderer: MarkdownRenderer,
    issues: Issues,
    parsed: Parsed | None,
    folder: ModuleFolder,
    headers: list[Parsed],
    base: LinkPolicy,
) -> Module | None:
    """Render the module's lessons with links relative to the module and images from its img/ folder."""
    policy = module_policy(folder, base)
    lessons = tuple(build_lesson(renderer, issues, header, folder.slug, policy) for header in headers)
    if parsed is None:
        return None
    values = parsed.values
    return Module(
        slug=folder.slug,
        title=values["title"] or "",
        summary=values["summary"] or "",
        mea=values.get("mea"),
        quiz_slug=values.get("quiz"),
        lessons=lessons,
        version=short_hash(parsed.raw, *(lesson.version for lesson in lessons)),
        path=folder.rel,
    )


def module_policy(folder: ModuleFolder, base: LinkPolicy) -> LinkPolicy:
    """Links in a module's lessons: relative to the module, images from its img/ folder, terms in the lesson."""
    return replace(
        base,
        module=folder.slug,
        media_url=f"/media/modules/{folder.slug}",
        media_dir=folder.path / "img",
        media_label=f"{folder.rel}/img/",
        glossary_anchor="#term-",
    )


def build_lesson(renderer: MarkdownRenderer, issues: Issues, header: Parsed, module: str, policy: LinkPolicy) -> Lesson:
    """Render the body; reading time from `minutes` or one minute per 200 words (at least 1)."""
    values = header.values
    rendered = renderer.render(values["_body"], policy, values["_body_line"])
    for problem in rendered.problems:
        issues.add(header.source.rel, problem.line, problem.message)
    return Lesson(
        slug=header.source.slug,
        module_slug=module,
        number=header.source.number,
        title=values["title"] or "",
        summary=values["summary"] or "",
        objectives=tuple(values["objectives"] or ()),
        minutes=values.get("minutes") or max(1, math.ceil(rendered.words / 200)),
        words=rendered.words,
        html=rendered.html,
        toc=rendered.toc,
        version=short_hash(header.raw),
        path=header.source.rel,
        glossary_ids=rendered.glossary_ids,
    )


def build_course(
    renderer: MarkdownRenderer, issues: Issues, parsed: Parsed, modules: dict[str, Module | None], base: LinkPolicy
) -> Course:
    """Resolve the completion rule; estimated hours from the file or lesson minutes rounded up to 0.5."""
    values, slug = parsed.values, parsed.source.slug
    own = [modules[m] for m in values.get("modules") or () if modules.get(m)]
    description = ""
    if values.get("description"):
        rendered = renderer.render(
            values["description"], replace(base, course=slug), parsed.doc.text_line(("description",))
        )
        for problem in rendered.problems:
            issues.add(parsed.source.rel, problem.line, problem.message)
        description = rendered.html
    minutes = sum(module.minutes for module in own if module)
    completion = values.get("completion") or {}
    lessons = completion.get("lessons", "all")
    quizzes = completion.get("quizzes", "all")
    final = values.get("final_quiz")
    return Course(
        slug=slug,
        title=values["title"] or "",
        summary=values["summary"] or "",
        description_html=description,
        languages=tuple(values["languages"] or ()),
        estimated_hours=values.get("estimated_hours") or max(0.5, math.ceil(minutes / 30) / 2),
        module_slugs=tuple(values.get("modules") or ()),
        final_quiz_slug=final,
        completion=CompletionRule(
            lessons=tuple(lesson.id for m in own if m for lesson in m.lessons)
            if lessons == "all"
            else tuple(lessons or ()),
            quizzes=tuple(m.quiz_slug for m in own if m and m.quiz_slug) if quizzes == "all" else tuple(quizzes or ()),
            final_quiz=bool(final) and bool(completion.get("final_quiz", True)),
        ),
        certificate=CertificateSettings(
            enabled=bool((values.get("certificate") or {}).get("enabled", True)),
            validity_years=(values.get("certificate") or {}).get("validity_years"),
        ),
        version=short_hash(parsed.raw, *(module.version for module in own if module)),
        path=parsed.source.rel,
    )
