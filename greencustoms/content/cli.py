"""`flask content ...` commands: check the content files, list what the catalog holds."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from . import get_catalog
from .issues import ContentError
from .loader import load_catalog
from .rendercache import render_cache_dir

content_cli = AppGroup("content", help="Check and list the course content (courses/, modules/, quizzes/).")


@content_cli.command("check")
def check_command() -> None:
    """Validate all content from CONTENT_ROOT; exit 1 after printing every `file:line: message`."""
    root = current_app.config["CONTENT_ROOT"]
    try:
        catalog = load_catalog(root, render_cache_dir(current_app))
    except ContentError as exc:
        for issue in exc.issues:
            click.echo(str(issue))
        click.echo(f"{len(exc.issues)} content problem(s) found.", err=True)
        raise click.exceptions.Exit(1) from None
    for warning in catalog.warnings:
        click.echo(f"{warning} (warning)")
    counts = catalog.stats()
    click.echo(
        f"Content OK: {counts['courses']} courses, {counts['modules']} modules, {counts['lessons']} lessons, "
        f"{counts['quizzes']} quizzes ({counts['questions']} questions), {counts['glossary_terms']} glossary terms"
    )


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
