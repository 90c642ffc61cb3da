"""`flask content import-gift`: convert a Moodle GIFT file into a quiz file, reporting what it could not keep."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from greencustoms.content import ContentError, get_catalog, load_catalog
from greencustoms.content.schema import MEAS, is_slug

from .gift import parse_gift
from .giftfiles import OwnerEdit, copy_content, owner_edit, write_atomically
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
    """Convert a Moodle GIFT FILE into quizzes/<quiz>.yaml and make its module (or course) name it. Prints
    `FILE:LINE: message` for every construct that could not be kept. Everything is checked before anything is
    written: exits 1, leaving every file as it was, when no question could be converted, the owner already has
    another quiz, or the result would fail the content check."""
    if not is_slug(quiz_slug):
        raise click.UsageError("--quiz must be lowercase letters, digits and single dashes, e.g. basel-gift")
    owner = _owner(quiz_slug, module, course)
    root = Path(current_app.config["CONTENT_ROOT"])
    target = output or root / "quizzes" / f"{quiz_slug}.yaml"
    if target.exists() and not force:
        click.echo(f"{target} already exists: use --force to overwrite it.", err=True)
        raise click.exceptions.Exit(1)
    owner_edit = _owner_edit(root, quiz_slug, owner, writes_owner=output is None)
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
    text = dump_quiz(quiz, file.name)
    _validate(root, quiz_slug, text, owner_edit)
    write_atomically(target, text)
    click.echo(f"Wrote {target}: {len(result.questions)} question(s).")
    if owner_edit is not None and output is None:
        write_atomically(owner_edit.path, owner_edit.text)
        click.echo(f"Updated {owner_edit.path}: {owner_edit.key}: {quiz_slug}")
    elif owner_edit is not None:
        click.echo(f'To use it, put it in quizzes/ and add "{owner_edit.key}: {quiz_slug}" to {owner_edit.path}.')
    click.echo("Content check: OK.")


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


def _owner_edit(root: Path, quiz_slug: str, owner: dict[str, str], writes_owner: bool) -> OwnerEdit | None:
    """The change the owner's file needs so that it names the quiz (None when it already does). Stops with
    exit 1 and says what to do when the owner does not exist, or when it already has another quiz and the
    import would write it (not with --output, which only writes the quiz file for review)."""
    key, path = (
        ("quiz", root / "modules" / owner["module"] / "module.yaml")
        if "module" in owner
        else ("final_quiz", root / "courses" / f"{owner['course']}.yaml")
    )
    if not path.is_file():
        click.echo(f"{path} does not exist: create the {key.replace('_', ' ')}'s owner first.", err=True)
        raise click.exceptions.Exit(1)
    edit, replaced = owner_edit(path, key, quiz_slug)
    if replaced and writes_owner:
        click.echo(
            f'{path} already names the quiz "{replaced}". A module has one quiz and a course one final: import '
            f"into it with --quiz {replaced} --force, or change {key}: in {path} first. Nothing was written.",
            err=True,
        )
        raise click.exceptions.Exit(1)
    return edit


def _validate(root: Path, quiz_slug: str, text: str, edit: OwnerEdit | None) -> None:
    """Run the content check on a scratch copy of the content with the new quiz (and owner edit) in place;
    print the problems that concern them and exit 1, writing nothing, if there are any."""
    with tempfile.TemporaryDirectory(prefix="gift-check-") as scratch:
        copy = copy_content(root, Path(scratch))
        (copy / "quizzes").mkdir(exist_ok=True)
        (copy / "quizzes" / f"{quiz_slug}.yaml").write_text(text, encoding="utf-8")
        if edit is not None:
            (copy / edit.path.relative_to(root)).write_text(edit.text, encoding="utf-8")
        try:
            load_catalog(copy)
        except ContentError as error:
            concerned = [f"quizzes/{quiz_slug}.yaml"] + ([str(edit.path.relative_to(root))] if edit else [])
            own = [issue for issue in error.issues if any(name in str(issue) for name in concerned)]
            for issue in own:
                click.echo(str(issue))
            if own:
                click.echo("The converted quiz fails the content check (lines above): nothing was written.", err=True)
                raise click.exceptions.Exit(1) from None
