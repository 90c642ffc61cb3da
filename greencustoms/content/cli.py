"""`flask content ...` commands: check the content files, list what the catalog holds."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from . import get_catalog
from .coverage import declared_errors, describe, report, translation_languages
from .issues import ContentError
from .loader import load_catalog
from .rendercache import render_cache_dir
from .stamp import StampError, stamp_file
from .terminology import check_terminology

content_cli = AppGroup("content", help="Check and list the course content (courses/, modules/, quizzes/).")


@content_cli.command("check")
@click.option("--language", "languages", multiple=True, help="Report the translations into this language only.")
def check_command(languages: tuple[str, ...]) -> None:
    """Validate all content from CONTENT_ROOT; exit 1 after printing every `file:line: message`.

    Then report each translation language per course and for the glossary: coverage, what is missing and what
    is out of date (reported, not errors, except for a language a course lists in `languages:`).
    """
    root = current_app.config["CONTENT_ROOT"]
    try:
        catalog = load_catalog(root, render_cache_dir(current_app), eager=True)  # every language, checked now
    except ContentError as exc:
        for issue in exc.issues:
            click.echo(str(issue))
        click.echo(f"{len(exc.issues)} content problem(s) found.", err=True)
        raise click.exceptions.Exit(1) from None
    wanted = list(languages) or translation_languages(catalog)
    for warning in [*catalog.warnings, *check_terminology(catalog, Path(root), wanted)]:
        if not languages or _language_of(warning.path) in (*languages, None):
            click.echo(f"{warning} (warning)")
    rows = report(catalog, wanted)
    errors = declared_errors(catalog, rows)
    _print_report(rows)
    for error in errors:
        click.echo(str(error))
    if errors:
        click.echo(f"{len(errors)} content problem(s) found.", err=True)
        raise click.exceptions.Exit(1)
    counts = catalog.stats()
    click.echo(
        f"Content OK: {counts['courses']} courses, {counts['modules']} modules, {counts['lessons']} lessons, "
        f"{counts['quizzes']} quizzes ({counts['questions']} questions), {counts['glossary_terms']} glossary terms"
    )


def _language_of(path: str) -> str | None:
    """The language of a translation file's name ("fr" for 01-x.fr.md), None for a source file."""
    parts = Path(path).name.split(".")
    return parts[-2] if len(parts) == 3 and len(parts[-2]) == 2 else None


def _print_report(rows) -> None:
    """Per language, then per course: translated/total (percent), then each missing and out-of-date item."""
    language = None
    for row in rows:
        if row.language != language:
            language = row.language
            click.echo(f"Translations into {language}:")
        state = "complete" if row.complete else f"{len(row.missing)} missing, {len(row.outdated)} out of date"
        if row.facts:
            state += f", {len(row.facts)} fact value(s) not in {row.language}"
        declared = ", declared complete" if row.declared else ""
        click.echo(f"  {row.group}: {row.translated}/{row.total} translated ({row.percent}%), {state}{declared}")
        for key in row.missing:
            click.echo(f"    missing: {describe(key)}")
        for key, item in row.outdated:
            why = "not stamped (pending)" if item.declared == "pending" else "the source changed since"
            click.echo(f"    out of date: {describe(key)} ({item.path}:{item.line}: {why})")
        for gap in row.facts:
            where = f"{gap.path}:{gap.line}: {{{{fact:{gap.fact.id}}}}}"
            click.echo(f"    fact value not in {row.language}: {describe(gap.key)} ({where})")


@content_cli.command("stamp")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def stamp_command(files: tuple[Path, ...]) -> None:
    """Write the current source version into every `source_version: pending` of the translation FILES (a version
    already written is never changed). Exit 1 if a file is not a translation or its source is missing."""
    root = Path(current_app.config["CONTENT_ROOT"])
    failed = 0
    for file in files:
        try:
            count = stamp_file(root, file)
        except StampError as exc:
            click.echo(str(exc), err=True)
            failed += 1
            continue
        click.echo(f"{file}: {count} source version(s) stamped")
    if failed:
        raise click.exceptions.Exit(1)


@content_cli.command("list")
def list_command() -> None:
    """Print each course, its modules and quizzes, and every lesson with its reading minutes."""
    catalog = get_catalog()
    for course in catalog.courses.values():
        click.echo(f"{course.slug}: {course.title} ({course.estimated_hours:g} h, version {course.version})")
        for module in catalog.modules_of(course.slug):
            quiz = f", quiz {module.quiz_slug}" if module.quiz_slug else ""
            click.echo(f"  {module.slug}: {module.title} ({module.minutes} min{quiz})")
            for lesson in module.lessons:
                click.echo(f"    {lesson.number:02d}-{lesson.slug}: {lesson.title} ({lesson.minutes} min)")
        if course.final_quiz_slug:
            click.echo(f"  final quiz: {course.final_quiz_slug}")
    unused = [slug for slug in catalog.modules if not catalog.courses_with_module(slug)]
    if unused:
        click.echo(f"modules in no course: {', '.join(unused)}")
