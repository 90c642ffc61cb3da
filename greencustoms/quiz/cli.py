"""`flask content import-gift`: convert a Moodle GIFT file into a quiz file, reporting what it could not keep."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from greencustoms.content import ContentError, get_catalog, load_catalog
from greencustoms.content.schema import MEAS, is_slug

from .gift import parse_gift
from .giftyaml import build_quiz, dump_quiz


def register_commands(app: Flask) -> None:
    """Add `import-gift` to the `content` command group that the content package registered."""
    group = app.cli.commands.get("content")
    if isinstance(group, click.Group):
        group.add_command(import_gift_command)
        group.add_command(question_stats_command)


@click.command("question-stats")
@with_appcontext
@click.argument("quiz_slug")
@click.option("--by-language", is_flag=True, help="One table per language the quiz was taken in.")
def question_stats_command(quiz_slug: str, by_language: bool) -> None:
    """Item statistics of every question of QUIZ from graded attempts: answers, share right, discrimination.
    With --by-language, one table per language, so that a badly translated question stands out."""
    from .stats import item_statistics, statistics_by_language

    tables = statistics_by_language(quiz_slug) if by_language else {"all": item_statistics(quiz_slug)}
    for language, stats in tables.items():
        click.echo(f"{quiz_slug} [{language}]")
        for question_id, item in sorted(stats.items()):
            discrimination = "-" if item.discrimination is None else f"{item.discrimination:.2f}"
            click.echo(
                f"  {question_id}: {item.attempts} answers, {100 * item.mean_score:.0f}% right, {discrimination}"
            )


@click.command("import-gift")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--quiz", "quiz_slug", required=True, help="Name of the quiz file to write (quizzes/<quiz>.yaml).")
@click.option("--module", help="The module this quiz belongs to (its module.yaml must say quiz: <quiz>).")
@click.option("--course", help="The course whose final quiz this is (its file must say final_quiz: <quiz>).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead.")
@click.option("--title", help="Quiz title (default: from the file name).")
@click.option("--pass-mark", default=70, show_default=True, type=click.IntRange(0, 100))
@click.option("--mea", type=click.Choice(MEAS), help="The mea tag of every question (default: the module's).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def import_gift_command(
    file: Path,
    quiz_slug: str,
    module: str | None,
    course: str | None,
    output: Path | None,
    title: str | None,
    pass_mark: int,
    mea: str | None,
    force: bool,
) -> None:
    """Convert a Moodle GIFT FILE into quizzes/<quiz>.yaml. Prints `FILE:LINE: message` for every construct that
    could not be kept; exits 1 when no question could be converted or the written file fails the content check."""
    if not is_slug(quiz_slug):
        raise click.UsageError("--quiz must be lowercase letters, digits and single dashes, e.g. basel-gift")
    owner = _owner(quiz_slug, module, course)
    root = Path(current_app.config["CONTENT_ROOT"])
    target = output or root / "quizzes" / f"{quiz_slug}.yaml"
    if target.exists() and not force:
        click.echo(f"{target} already exists: use --force to overwrite it.", err=True)
        raise click.exceptions.Exit(1)
    result = parse_gift(file.read_text(encoding="utf-8-sig"))
    quiz, missing = build_quiz(
        result,
        quiz_slug=quiz_slug,
        owner=owner,
        title=title or file.stem.replace("-", " ").replace("_", " "),
        pass_mark=pass_mark,
        mea=mea or _module_mea(owner),
        source=file.name,
    )
    for problem in sorted(result.problems + missing, key=lambda p: p.line):
        click.echo(f"{file}:{problem.line}: {problem.message}")
    if not result.questions:
        click.echo(f"{file}: no question could be converted; nothing was written.", err=True)
        raise click.exceptions.Exit(1)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dump_quiz(quiz, file.name), encoding="utf-8")
    click.echo(f"Wrote {target}: {len(result.questions)} question(s).")
    if target.resolve() == (root / "quizzes" / f"{quiz_slug}.yaml").resolve():
        _check(root, quiz_slug)


def _owner(quiz_slug: str, module: str | None, course: str | None) -> dict[str, str]:
    """belongs_to from --module/--course, else from the module or course that already names this quiz."""
    if module and course:
        raise click.UsageError("give --module or --course, not both")
    if module:
        return {"module": module}
    if course:
        return {"course": course}
    catalog = get_catalog()
    for found in catalog.modules.values():
        if found.quiz_slug == quiz_slug:
            return {"module": found.slug}
    for listed in catalog.courses.values():
        if listed.final_quiz_slug == quiz_slug:
            return {"course": listed.slug}
    raise click.UsageError(f'no module or course names the quiz "{quiz_slug}": give --module M or --course C')


def _module_mea(owner: dict[str, str]) -> str:
    found = get_catalog().module(owner.get("module", ""))
    return found.mea if found is not None and found.mea in MEAS else "general"


def _check(root: Path, quiz_slug: str) -> None:
    """Run the content check and print the problems that concern the new file; exit 1 if there are any."""
    try:
        load_catalog(root)
    except ContentError as error:
        own = [issue for issue in error.issues if f"quizzes/{quiz_slug}.yaml" in str(issue)]
        for issue in own:
            click.echo(str(issue))
        if own:
            click.echo("The file was written but fails the content check: fix the lines above.", err=True)
            raise click.exceptions.Exit(1) from None
        return
    click.echo("Content check: OK.")
