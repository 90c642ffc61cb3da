"""Cross-checks between files: courses name existing modules and quizzes, quizzes and their owners agree."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from .files import ModuleFolder, Parsed


def suggest(name: str, known: Any) -> str:
    """' (did you mean "x"?)' when a known name is close to `name`, else an empty string."""
    close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def owner(quiz: Parsed) -> dict[str, Any]:
    """A quiz's checked belongs_to fields ({} when they were unusable)."""
    return quiz.values.get("belongs_to") or {}


def check_courses(
    courses: dict[str, Parsed], folders: dict[str, ModuleFolder], quizzes: dict[str, Parsed | None]
) -> None:
    """Modules, final quiz and completion lists of each course name things that exist and belong to it.

    `quizzes` holds every quiz file, with None for one too broken to read (reported on its own).
    """
    for slug, course in courses.items():
        doc, values = course.doc, course.values
        for index, module in enumerate(values.get("modules") or ()):
            if module not in folders:
                doc.error(
                    ("modules", index),
                    f'modules[{index}]: no module named "{module}" (folder modules/{module}/ does not exist)'
                    + suggest(module, folders),
                )
        final = values.get("final_quiz")
        if final and final not in quizzes:
            doc.error(
                ("final_quiz",), f'final_quiz: no quiz named "{final}" (file quizzes/{final}.yaml does not exist)'
            )
        elif (
            final
            and (final_quiz := quizzes[final])
            and (final_quiz.values.get("belongs_to") or {}).get("course") != slug
        ):
            doc.error(("final_quiz",), f"final_quiz: quizzes/{final}.yaml must say belongs_to: {{course: {slug}}}")
        # checked values: the schema fills completion.lessons and .quizzes with their default "all"
        completion: dict[str, Any] = values.get("completion") or {}
        mods = set(values.get("modules") or ())
        for index, lesson_id in enumerate(completion["lessons"] if completion["lessons"] != "all" else ()):
            module, lesson = lesson_id.split("/")
            if module not in mods or module not in folders or lesson not in {f.slug for f in folders[module].lessons}:
                doc.error(
                    ("completion", "lessons", index),
                    f'completion.lessons[{index}]: no lesson "{lesson_id}" in the modules of this course',
                )
        own_quizzes = {final} | {
            quiz.source.slug for quiz in quizzes.values() if quiz and owner(quiz).get("module") in mods
        }
        for index, quiz in enumerate(completion["quizzes"] if completion["quizzes"] != "all" else ()):
            if quiz not in own_quizzes:
                doc.error(
                    ("completion", "quizzes", index),
                    f'completion.quizzes[{index}]: no quiz "{quiz}" in this course',
                )


def check_modules(modules: dict[str, Parsed], quizzes: dict[str, Parsed | None]) -> None:
    """A module's quiz exists and says it belongs to that module."""
    for slug, module in modules.items():
        quiz = module.values.get("quiz")
        if quiz and quiz not in quizzes:
            module.doc.error(
                ("quiz",),
                f'quiz: no quiz named "{quiz}" (file quizzes/{quiz}.yaml does not exist)' + suggest(quiz, quizzes),
            )
        elif quiz and (module_quiz := quizzes[quiz]) and owner(module_quiz).get("module") != slug:
            module.doc.error(("quiz",), f"quiz: quizzes/{quiz}.yaml must say belongs_to: {{module: {slug}}}")


def check_quiz_owner(quiz: Parsed, modules: Mapping[str, Parsed | None], courses: Mapping[str, Parsed | None]) -> None:
    """belongs_to names exactly one existing module or course, and that module or course names this quiz.

    `modules` and `courses` hold every existing slug, with None for a file too broken to read.
    """
    doc, slug = quiz.doc, quiz.source.slug
    owner = quiz.values.get("belongs_to") or {}
    module, course = owner.get("module"), owner.get("course")
    if (module is None) == (course is None):
        doc.error(
            ("belongs_to",), 'field "belongs_to" needs exactly one of module: <module name> or course: <course name>'
        )
        return
    if module is not None:
        if module not in modules:
            doc.error(
                ("belongs_to", "module"),
                f'belongs_to.module: no module named "{module}" (folder modules/{module}/ does not exist)',
            )
        elif (owner_module := modules[module]) is not None and owner_module.values.get("quiz") != slug:
            doc.error(
                ("belongs_to", "module"),
                f'belongs_to.module: module "{module}" does not name this quiz: '
                f'add "quiz: {slug}" to modules/{module}/module.yaml',
            )
    elif course not in courses:
        doc.error(
            ("belongs_to", "course"),
            f'belongs_to.course: no course named "{course}" (file courses/{course}.yaml does not exist)',
        )
    elif (
        course is not None
        and (owner_course := courses[course]) is not None
        and owner_course.values.get("final_quiz") != slug
    ):
        doc.error(
            ("belongs_to", "course"),
            f'belongs_to.course: course "{course}" does not name this quiz: '
            f'add "final_quiz: {slug}" to courses/{course}.yaml',
        )
